"""diff: records, decisions, CMO rows and programme-theory statements added, changed, removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from realist_review.cli import main
from realist_review.release.diff import diff_releases, format_diff
from realist_review.theory.statements import Evidence, Statement, Theory
from realist_review.theory.versions import write_yaml
from tests.unit.release.conftest import DECISIONS_HEADER, RECORDS_HEADER, write_review
from tests.unit.release.test_freeze import freeze


def statement(ident: str, text: str, cmoc: str) -> Statement:
    evidence = (Evidence(cmoc, "rec-1", "Doe 2020", "supports", "a quote"),)
    return Statement(ident, "ta1", text, "context", "mechanism", "outcome", evidence)


def write_theory(root: Path, *statements: Statement) -> None:
    path = root / "results/theory/programme_theory.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_yaml(Theory(statements, areas={"ta1": "Area"}), path, version="1", review="tiny")


def test_two_releases(tmp_path: Path) -> None:
    root = write_review(tmp_path / "review")
    write_theory(root, statement("pt-1", "If staff train, then trust", "cmo-1"),
                 statement("pt-2", "If supervised, then calm", "cmo-1"))  # fmt: skip
    first = freeze(root, "1.0")
    (root / "results/dedup/records.csv").write_text(
        RECORDS_HEADER + "rec-1,Care homes,10.1/a\nrec-2,Staff training (revised),\n"
        "rec-4,Governance,10.1/d\n"
    )
    (root / "results/screen/decision_log.csv").write_text(
        DECISIONS_HEADER
        + "rec-1,a,1,include,,,2025-01-01T00:00:00Z,round-01/a.csv,x,ranked,1,2\n"
        + "rec-2,a,1,include,,,2025-01-01T00:00:00Z,round-01/a.v2.csv,y,ranked,2,3\n"
        + "rec-4,b,2,exclude,E2,,2025-02-01T00:00:00Z,round-02/b.csv,z,ranked,1,2\n"
    )
    (root / "results/cmo/confirmed.csv").write_text(
        "cmoc_id,record_id,outcome\ncmo-1,rec-1,more trust\ncmo-2,rec-4,calm\n"
    )
    write_theory(root, statement("pt-1", "If staff train, then more trust", "cmo-1"),
                 statement("pt-3", "If governed, then safe", "cmo-2"))  # fmt: skip
    second = freeze(root, "1.1")
    sections = {s.title: s for s in diff_releases(first.folder, second.archive)}

    records = sections["records"]
    assert records.added == ["rec-4: Governance"]
    assert records.removed == ["rec-3: Supervision"]
    assert records.changed == ["rec-2: title 'Staff training' -> 'Staff training (revised)'"]

    decisions = sections["screening decisions"]
    assert decisions.added == ["rec-4 / b / 2 / ranked: exclude"]
    # the corrected sheet changed the decision (provenance columns are not a change)
    assert decisions.changed == [
        "rec-2 / a / 1 / ranked: decision 'exclude' -> 'include', reason 'E1' -> ''"
    ]
    assert decisions.removed == []

    cmo = sections["CMO rows"]
    assert cmo.source == "results/cmo/confirmed.csv"
    assert cmo.added == ["cmo-2: rec-4"]
    assert cmo.changed == ["cmo-1: outcome 'trust' -> 'more trust'"]

    theory = sections["programme-theory statements"]
    assert [a.split(":")[0] for a in theory.added] == ["pt-3"]
    assert [c.split(":")[0] for c in theory.changed] == ["pt-1 (wording)"]
    assert [r.split(":")[0] for r in theory.removed] == ["pt-2"]

    text = format_diff(list(sections.values()), "1.0", "1.1")
    assert "records (results/dedup/records.csv): 1 added, 1 changed, 1 removed" in text


def test_absent_tables_are_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_review(tmp_path / "review")
    (root / "results/cmo/confirmed.csv").unlink()
    first = freeze(root, "1.0")
    second = freeze(root, "1.1")
    assert main(["diff", str(first.folder), str(second.folder)]) == 0
    out = capsys.readouterr().out
    assert "CMO rows: skipped" in out
    assert "programme-theory statements: skipped" in out
    assert "records (results/dedup/records.csv): 0 added, 0 changed, 0 removed" in out
