"""The demo review's CMO extraction and programme theory: a fictional team fills the sheets.

``python -m tools.demo --extraction`` runs the workflow in a scratch copy of the project up to
the extraction sheets (``snakemake --until export_extraction_sheets``), then lets the demo team
fill them as reviewers would: a candidate whose evidence carries one of the demo's own
context / mechanism / outcome fragments (the generator wrote them into the fictional
abstracts, see ``phrases.yaml``) is confirmed, with the context, mechanism and outcome
rewritten in the reviewer's words (status ``edit``), all others rejected; of several candidates
for the same configuration only the one with the least evidence is kept. The second reviewer
checks the same way, so the two agree. Then it builds programme theory version 0.1 through
the workflow, keeps it as published under ``config/theory/versions/0.1/``, and writes the
reviewers' edits of version 0.2 (``config/theory/0.2.xlsx``): one statement reworded, one
merged into another, one dropped. Deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

import yaml
from openpyxl import load_workbook

from realist_review.cmo.extraction import COLUMNS, read_returned_sheet
from realist_review.screen.sheets import workbook_bytes
from realist_review.tables import write_atomic
from tools.demo import text

#: what the scratch copy needs from the project
_PROJECT = ("Snakefile", "workflow", "config")


def _fragments() -> dict[str, tuple[str, ...]]:
    return {
        "context": text.RES_CONTEXTS,
        "mechanism": text.RES_MECHANISMS,
        "outcome": text.RES_OUTCOMES,
    }


def _found(quote: str, options: tuple[str, ...]) -> str:
    lowered = quote.lower()
    return next((o for o in options if o.lower() in lowered), "")


def _clause(fragment: str) -> str:
    clause = re.sub(r"^(which they linked with|and|with|while|although|but)\s+", "", fragment)
    return clause[:1].upper() + clause[1:]


#: the area a reviewer gives a configuration the pipeline left untagged, by its words
_AREA_WORDS = (
    ("trauma-informed-supervision", ("supervision", "reflective", "psychologist")),
    ("staff-training", ("training", "coaching")),
    ("organisational-governance", ("leaders", "inspection", "managers", "agency", "shift")),
    ("relationships-and-safety", ("trust", "listened", "safer", "relationship", "bedtime")),
)


def _area_of(quote: str) -> str:
    lowered = quote.lower()
    for area, words in _AREA_WORDS:
        if any(word in lowered for word in words):
            return area
    return "trauma-aware-care"


def review_row(row: Mapping[str, str]) -> dict[str, str] | None:
    """How the demo team fills one sheet row (None: reject)."""
    found = {role: _found(row["quote"], options) for role, options in _fragments().items()}
    if not (found["context"] and found["outcome"]):
        return None
    outcome = found["outcome"]
    direction = "refines" if outcome.startswith(("although", "but")) else "supports"
    return {
        "status": "edit",
        "theory_area": row["theory_area"] or _area_of(row["quote"]),
        "context": _clause(found["context"]),
        "mechanism_resource": "",
        "mechanism_response": _clause(found["mechanism"]) if found["mechanism"] else "",
        "outcome": _clause(outcome),
        "direction": direction,
        "explicit_or_inferred": "explicit" if found["mechanism"] else "inferred",
        "relevance": "high",
        "rigour": "medium",
        "confidence": "high" if found["mechanism"] else "medium",
    }


def fill_sheet(sent: Path, returned: Path) -> int:
    """Fill one reviewer's sheet; returns the number of configurations confirmed."""
    book = load_workbook(sent)
    tab = book["extraction"]
    header = [c.value for c in tab[1]]
    sheet = read_returned_sheet(sent)
    evidence_size = {row["cmoc_id"]: len(row["quote"]) for _, row in sheet.rows}
    best: dict[tuple[str, str, str], str] = {}
    decisions: dict[str, dict[str, str] | None] = {}
    for _, row in sheet.rows:
        decision = review_row(row)
        decisions[row["cmoc_id"]] = decision
        if decision is not None:
            key = (row["record_id"], decision["context"], decision["outcome"])
            if key not in best or evidence_size[row["cmoc_id"]] < evidence_size[best[key]]:
                best[key] = row["cmoc_id"]
    kept = set(best.values())
    for cells in tab.iter_rows(min_row=2):
        cmoc = cells[0].value
        decision = decisions.get(cmoc) if cmoc in kept else None
        values = decision or {"status": "reject", "notes": "not a configuration of the review"}
        for column, value in values.items():
            cells[header.index(column)].value = value
    returned.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(returned, workbook_bytes(book))
    return len(kept)


def _snakemake(work: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", "--quiet", "all", *args],
        cwd=work, check=True,
    )  # fmt: skip


def _scratch(base_dir: Path, work: Path) -> None:
    """The project in ``work``, configured to build theory version 0.1 (no previous one)."""
    for name in _PROJECT:
        source = base_dir / name
        if source.is_dir():
            shutil.copytree(source, work / name)
        else:
            shutil.copy2(source, work / name)
    config_path = work / "config" / "config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["theory"] = {"version": "0.1"}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    for folder in ("extraction", "theory"):
        shutil.rmtree(work / "config" / folder, ignore_errors=True)


def write_demo_extraction(*, base_dir: Path = Path()) -> list[Path]:
    """Replace ``config/extraction/`` and ``config/theory/`` with the demo team's files."""
    extraction = base_dir / "config" / "extraction"
    theory = base_dir / "config" / "theory"
    for folder in (extraction, theory):
        if folder.exists():
            shutil.rmtree(folder)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="realist-review-demo-") as scratch:
        work = Path(scratch)
        _scratch(base_dir, work)
        _snakemake(work, "--until", "export_extraction_sheets")
        for sent in sorted((work / "results" / "extract" / "sheets").glob("*.xlsx")):
            returned = extraction / sent.name
            fill_sheet(sent, returned)
            written.append(returned)
        # version 0.1: built from the confirmed table, without edits, then kept as published
        shutil.rmtree(work / "config" / "extraction", ignore_errors=True)
        shutil.copytree(extraction, work / "config" / "extraction")
        _snakemake(work, "--until", "build_programme_theory")
        published = theory / "versions" / "0.1" / "programme_theory.yaml"
        published.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(work / "results" / "theory" / "programme_theory.yaml", published)
        written.append(published)
        written.append(_edits(work / "results" / "theory" / "statements.xlsx", theory / "0.2.xlsx"))
    return written


def _reworded(statement: str) -> str:
    """The team's wording of a generated statement: present tense, each clause a sentence."""
    text = statement.replace(" protected ", " protect ")
    text = text.replace(", then fewer ", ", then staff use fewer ")
    text = text.replace(" carers reported more confidence to ", " carers feel confident to ")
    return text if text != statement else statement.replace("If ", "If, as the team puts it, ", 1)


def _edits(sent: Path, returned: Path) -> Path:
    """The reviewers' edits of version 0.2: reword the first statement, merge the second of
    an area into its first, drop the last statement."""
    book = load_workbook(sent)
    tab = book["statements"]
    header = [c.value for c in tab[1]]
    rows = list(tab.iter_rows(min_row=2))
    col = {name: header.index(name) for name in header}
    chosen = next((r for r in rows if "supervision" in r[col["statement"]].value), rows[0])
    chosen[col["action"]].value = "edit"
    chosen[col["statement"]].value = _reworded(chosen[col["statement"]].value)
    by_area: dict[str, list] = {}
    for row in rows:
        by_area.setdefault(row[col["theory_area"]].value, []).append(row)
    merged = next((group for group in by_area.values() if len(group) >= 3), None)
    if merged is not None:
        merged[2][col["action"]].value = "merge"
        merged[2][col["merge_into"]].value = merged[1][col["statement_id"]].value
    rows[-1][col["action"]].value = "drop"
    rows[-1][col["notes"]].value = "one source only; kept for the refined theory"
    returned.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(returned, workbook_bytes(book))
    return returned


__all__ = ["COLUMNS", "fill_sheet", "review_row", "write_demo_extraction"]
