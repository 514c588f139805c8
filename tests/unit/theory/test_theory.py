"""Programme theory: statements from confirmed CMO rows, reviewer edits, versions, diagram."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from realist_review.cli import main
from realist_review.errors import InputError
from realist_review.tables import write_table
from realist_review.theory import build_programme_theory
from realist_review.theory.edits import apply_edits, read_statement_sheet
from realist_review.theory.statements import Configuration, build_theory, phrase
from realist_review.theory.versions import diff_theories, read_yaml

AREAS = {"supervision": "Trauma-informed supervision", "training": "Staff training"}


def _row(cmoc: str, record: str, area: str, c: str, m: str, o: str, direction: str = "supports"):
    return {
        "cmoc_id": cmoc, "record_id": record, "citation": f"Author {record} (2020)",
        "source_type": "journal article", "section": "results", "page": "", "evidence": "1;2",
        "quote": f"{c}. {m}. {o}.", "context": c, "mechanism_resource": m,
        "mechanism_response": "", "outcome": o, "direction": direction,
        "explicit_or_inferred": "explicit", "theory_area": area, "relevance": "high",
        "rigour": "medium", "confidence": "medium", "origin": "pipeline",
        "reviewers": "reviewer-a", "notes": "",
    }  # fmt: skip


ROWS = [
    _row("cmoc-0000000001", "rec-1", "supervision",
         "Where managers protected time for reflective supervision",
         "staff felt contained and noticed their own reactions",
         "fewer physical interventions were recorded"),
    _row("cmoc-0000000002", "rec-2", "supervision",
         "When managers protected regular reflective supervision time",
         "staff felt contained and able to notice reactions",
         "physical interventions fell"),
    _row("cmoc-0000000003", "rec-3", "supervision",
         "Where supervision focused on compliance and paperwork",
         "staff felt scrutinised rather than supported",
         "burnout stayed high", "refutes"),
    _row("cmoc-0000000004", "rec-1", "training",
         "When whole-team training was followed by on-site coaching",
         "workers reframed challenging behaviour as communication of distress",
         "young people described the home as safer"),
]  # fmt: skip


def _configs(rows=ROWS) -> list[Configuration]:  # type: ignore[no-untyped-def]
    return [Configuration.from_row(r) for r in rows]


def test_statements_group_alike_configurations_within_an_area_only() -> None:
    theory = build_theory(_configs(), areas=AREAS)
    by_area = {}
    for s in theory.statements:
        by_area.setdefault(s.theory_area, []).append(s)
    assert next(s.theory_area for s in theory.statements) == "supervision"  # config order
    groups = sorted(s.cmoc_ids for s in by_area["supervision"])
    assert ("cmoc-0000000001", "cmoc-0000000002") in groups  # the two alike ones together
    assert ("cmoc-0000000003",) in groups  # the contrary one apart
    assert [s.cmoc_ids for s in by_area["training"]] == [("cmoc-0000000004",)]
    together = next(s for s in theory.statements if len(s.cmoc_ids) == 2)
    assert together.count("supports") == 2 and together.sources == ("rec-1", "rec-2")
    assert together.text.startswith("If managers protected") and ", then " in together.text
    assert ", because " in together.text and together.text.endswith(".")


def test_every_statement_traces_to_the_rows_it_cites() -> None:
    rows = {r["cmoc_id"]: r for r in ROWS}
    for s in build_theory(_configs(), areas=AREAS).statements:
        for e in s.evidence:
            row = rows[e.cmoc_id]
            assert (e.record_id, e.quote, e.direction) == (
                row["record_id"], row["quote"], row["direction"]
            )  # fmt: skip
            assert row["theory_area"] == s.theory_area


def test_the_same_table_gives_the_same_ids_and_a_grown_cluster_keeps_its_id() -> None:
    first = build_theory(_configs(), areas=AREAS)
    assert first == build_theory(list(reversed(_configs())), areas=AREAS)
    extra = _row("cmoc-0000000005", "rec-4", "supervision",
                 "Where managers protected time for reflective supervision sessions",
                 "staff felt contained", "physical interventions were fewer")  # fmt: skip
    second = build_theory(_configs([*ROWS, extra]), areas=AREAS, previous=first)
    diff = diff_theories(first, second)
    assert not diff.added and not diff.dropped
    ((old, new, changes),) = diff.refined
    assert changes == ("evidence",) and "cmoc-0000000005" in new.cmoc_ids and old.id == new.id


def test_demi_regularities_need_two_sources() -> None:
    theory = build_theory(_configs(), areas=AREAS)
    (pattern,) = theory.demi_regularities
    assert pattern.sources == ("rec-1", "rec-2")
    assert any(pattern.id in s.demi_regularities for s in theory.statements)


def _sheet_rows(theory, **changes):  # type: ignore[no-untyped-def]
    rows = []
    for s in theory.statements:
        rows.append({"statement_id": s.id, "action": "keep", "statement": s.text,
                     "merge_into": "", "cmoc_ids": "; ".join(s.cmoc_ids), "notes": ""})  # fmt: skip
    return rows


def test_reviewers_edit_merge_split_and_drop() -> None:
    theory = build_theory(_configs(), areas=AREAS)
    pair = next(s for s in theory.statements if len(s.cmoc_ids) == 2)
    contrary = next(s for s in theory.statements if s.cmoc_ids == ("cmoc-0000000003",))
    training = next(s for s in theory.statements if s.theory_area == "training")
    rows = _sheet_rows(theory)
    for row in rows:
        if row["statement_id"] == training.id:
            row.update(action="edit", statement="If coaching follows training, then ...")
        if row["statement_id"] == contrary.id:
            row.update(action="merge", merge_into=pair.id)
    edited = apply_edits(theory, rows, path="sheet.xlsx")
    ids = edited.by_id()
    assert contrary.id not in ids and set(ids[pair.id].cmoc_ids) == {
        "cmoc-0000000001", "cmoc-0000000002", "cmoc-0000000003"}  # fmt: skip
    assert ids[training.id].text == "If coaching follows training, then ..."
    assert ids[training.id].edited
    split = [*_sheet_rows(theory), {"statement_id": pair.id, "action": "split",
             "statement": "If protected time, then fewer restraints, because containment.",
             "cmoc_ids": "cmoc-0000000002", "merge_into": "", "notes": ""}]  # fmt: skip
    after = apply_edits(theory, split, path="sheet.xlsx")
    assert len(after.statements) == len(theory.statements) + 1
    assert after.by_id()[pair.id].cmoc_ids == ("cmoc-0000000001",)
    dropped = [{**r, "action": "drop"} if r["statement_id"] == training.id else r
               for r in _sheet_rows(theory)]  # fmt: skip
    assert training.id not in apply_edits(theory, dropped, path="s").by_id()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"statement_id": "pt-unknown"}, "not in this version"),
        ({"action": "delete"}, "not one of"),
        ({"action": "merge", "merge_into": "pt-nowhere"}, "merge_into must name"),
        ({"action": "edit", "statement": ""}, "new wording"),
    ],
    ids=["unknown-id", "bad-action", "merge-nowhere", "edit-without-text"],
)
def test_bad_sheet_rows_are_named(change: dict[str, str], message: str) -> None:
    theory = build_theory(_configs(), areas=AREAS)
    rows = _sheet_rows(theory)
    rows[0].update(change)
    with pytest.raises(InputError, match=message) as error:
        apply_edits(theory, rows, path="config/theory/0.2.xlsx")
    assert "config/theory/0.2.xlsx" in str(error.value) and "row 2" in str(error.value)


def _review(tmp_path: Path) -> Path:
    confirmed = tmp_path / "cmo_confirmed.csv"
    write_table(confirmed, ROWS, "cmo_confirmed")
    return confirmed


@pytest.mark.slow
def test_build_writes_versions_sheet_and_diagram_deterministically(tmp_path: Path) -> None:
    confirmed = _review(tmp_path)
    outputs = {}
    for name in ("a", "b"):
        build_programme_theory(
            confirmed, areas=AREAS, output_dir=tmp_path / name, version="0.1", review="r",
            title="A review",
        )  # fmt: skip
        outputs[name] = {p.name: p.read_bytes() for p in (tmp_path / name).iterdir()}
    assert set(outputs["a"]) == {
        "programme_theory.yaml", "programme_theory.md", "statements.xlsx",
        "programme_theory.svg", "programme_theory.png", "programme_theory.pdf",
    }  # fmt: skip
    assert outputs["a"] == outputs["b"]
    markdown = (tmp_path / "a" / "programme_theory.md").read_text(encoding="utf-8")
    assert "## Trauma-informed supervision" in markdown and "Author rec-2 (2020)" in markdown
    sheet = load_workbook(tmp_path / "a" / "statements.xlsx")["statements"]
    assert sheet["A1"].value == "statement_id" and sheet.max_row == 4
    assert read_yaml(tmp_path / "a" / "programme_theory.yaml").statements


@pytest.mark.slow
def test_the_returned_sheet_makes_the_next_version_and_diff_shows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    confirmed = _review(tmp_path)
    first = build_programme_theory(confirmed, areas=AREAS, output_dir=tmp_path / "v1",
                                   version="0.1", review="r", title="t")  # fmt: skip
    sheet = tmp_path / "v1" / "statements.xlsx"
    book = load_workbook(sheet)
    tab = book["statements"]
    tab["C2"], tab["D2"] = "edit", "If managers protect supervision time, then restraint falls."
    returned = tmp_path / "0.2.xlsx"
    book.save(returned)
    assert read_statement_sheet(returned)[0]["action"] == "edit"
    build_programme_theory(confirmed, areas=AREAS, output_dir=tmp_path / "v2", version="0.2",
                           review="r", title="t", previous=tmp_path / "v1" /
                           "programme_theory.yaml", edits=returned)  # fmt: skip
    code = main(["theory", "diff", str(tmp_path / "v1" / "programme_theory.yaml"),
                 str(tmp_path / "v2" / "programme_theory.yaml")])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "0 added, 1 refined, 0 dropped" in out
    assert f"~ {first.statements[0].id}" in out and "now: If managers protect" in out


@pytest.mark.slow
def test_an_added_column_in_the_returned_sheet_is_refused(tmp_path: Path) -> None:
    confirmed = _review(tmp_path)
    build_programme_theory(confirmed, areas=AREAS, output_dir=tmp_path / "v1", version="0.1",
                           review="r", title="t")  # fmt: skip
    book = load_workbook(tmp_path / "v1" / "statements.xlsx")
    book["statements"]["L1"] = "my comments"
    book["statements"]["L2"] = "important"
    book.save(tmp_path / "back.xlsx")
    with pytest.raises(InputError, match="'my comments'"):
        read_statement_sheet(tmp_path / "back.xlsx")


def test_phrase_makes_a_clause() -> None:
    assert phrase("  When staff were trained. ") == "staff were trained"
    assert phrase("NHS trusts joined") == "NHS trusts joined"


def test_a_returned_statement_sheet_is_recorded_and_never_edited_after(tmp_path: Path) -> None:
    from realist_review.theory import build_theory_stage

    confirmed = _review(tmp_path)
    areas = [{"id": k, "label": v} for k, v in AREAS.items()]
    first = build_programme_theory(confirmed, areas=AREAS, output_dir=tmp_path / "v1",
                                   version="0.1", review="r", title="t")  # fmt: skip
    returned = tmp_path / "config" / "theory" / "0.2.xlsx"
    returned.parent.mkdir(parents=True)
    book = load_workbook(tmp_path / "v1" / "statements.xlsx")
    book["statements"]["C2"] = "drop"
    book.save(returned)
    kwargs = {"confirmed": confirmed, "areas": areas, "version": "0.2", "review": "r",
              "title": "t", "output_dir": tmp_path / "out", "diff": tmp_path / "out" / "d.md",
              "previous": tmp_path / "v1" / "programme_theory.yaml", "edits": returned}  # fmt: skip
    theory = build_theory_stage(**kwargs)
    assert first.statements[0].id not in theory.by_id()
    assert "0.2.xlsx" in (returned.parent / "SHA256SUMS").read_text()
    assert "1 dropped" in (tmp_path / "out" / "d.md").read_text()
    book["statements"]["C2"] = "keep"
    book.save(returned)
    with pytest.raises(InputError, match=r"changed after it was first read.*0\.2\.v2\.xlsx"):
        build_theory_stage(**kwargs)
