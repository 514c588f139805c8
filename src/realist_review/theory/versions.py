"""Programme-theory versions as YAML (read back) and Markdown (read by people), and their diff.

A version file holds every statement with its stable id, wording, theory area, evidence (the
configurations, sources and quotes) and demi-regularities. ``realist-review theory diff A B``
says which statements were added, refined (wording or evidence changed) and dropped, so a
review can show how its theory moved from the initial to the refined version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from realist_review.errors import InputError
from realist_review.tables import read_text, write_atomic
from realist_review.theory.statements import DemiRegularity, Evidence, Statement, Theory

#: Format version of the YAML file.
FORMAT = "realist-review programme theory 1"


def theory_to_data(theory: Theory, *, version: str, review: str) -> dict[str, Any]:
    """Plain data for YAML (sorted, no timestamps)."""
    return {
        "format": FORMAT,
        "review": review,
        "version": version,
        "theory_areas": [{"id": k, "label": v} for k, v in theory.areas.items()],
        "statements": [
            {
                "id": s.id,
                "theory_area": s.theory_area,
                "statement": s.text,
                "context": s.context,
                "mechanism": s.mechanism,
                "outcome": s.outcome,
                "edited": s.edited,
                "notes": s.notes,
                "sources": {
                    "supporting": s.count("supports"),
                    "refuting": s.count("refutes"),
                    "refining": s.count("refines"),
                },
                "demi_regularities": list(s.demi_regularities),
                "evidence": [
                    {
                        "cmoc_id": e.cmoc_id,
                        "record_id": e.record_id,
                        "citation": e.citation,
                        "direction": e.direction,
                        "quote": e.quote,
                    }
                    for e in sorted(s.evidence, key=lambda e: e.cmoc_id)
                ],
            }
            for s in theory.statements
        ],
        "demi_regularities": [
            {
                "id": d.id,
                "theory_areas": list(d.theory_areas),
                "pattern": d.pattern,
                "cmoc_ids": list(d.cmoc_ids),
                "sources": list(d.sources),
            }
            for d in theory.demi_regularities
        ],
    }


def theory_from_data(data: Mapping[str, Any], *, path: Path | str) -> Theory:
    """A :class:`Theory` from a version file's data; errors name the file and statement."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise InputError(f"{path}: not a programme-theory version file (format: {FORMAT})")
    statements = []
    for number, raw in enumerate(data.get("statements") or [], 1):
        try:
            evidence = tuple(
                Evidence(
                    str(e["cmoc_id"]),
                    str(e["record_id"]),
                    str(e.get("citation", "")),
                    str(e["direction"]),
                    str(e.get("quote", "")),
                )
                for e in raw["evidence"]
            )
            statements.append(
                Statement(
                    id=str(raw["id"]),
                    theory_area=str(raw["theory_area"]),
                    text=str(raw["statement"]),
                    context=str(raw.get("context", "")),
                    mechanism=str(raw.get("mechanism", "")),
                    outcome=str(raw.get("outcome", "")),
                    evidence=evidence,
                    demi_regularities=tuple(raw.get("demi_regularities") or ()),
                    edited=bool(raw.get("edited", False)),
                    notes=str(raw.get("notes", "")),
                )
            )
        except (KeyError, TypeError) as exc:
            raise InputError(f"{path}: statement {number} lacks {exc}") from None
    patterns = tuple(
        DemiRegularity(
            str(d["id"]),
            tuple(d["theory_areas"]),
            str(d["pattern"]),
            tuple(d["cmoc_ids"]),
            tuple(d["sources"]),
        )
        for d in data.get("demi_regularities") or []
    )
    areas = {str(a["id"]): str(a["label"]) for a in data.get("theory_areas") or []}
    return Theory(tuple(statements), patterns, areas)


def write_yaml(theory: Theory, path: Path, *, version: str, review: str) -> None:
    """The version as YAML (deterministic bytes)."""
    data = theory_to_data(theory, version=version, review=review)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    write_atomic(Path(path), text.encode("utf-8"))


def read_yaml(path: Path) -> Theory:
    """Read a version written by :func:`write_yaml` (or edited by hand with care)."""
    try:
        data = yaml.safe_load(read_text(Path(path)))
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML: {exc}") from None
    return theory_from_data(data, path=path)


def _quote(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def to_markdown(theory: Theory, *, version: str, title: str) -> str:
    """The version for people: statements by theory area, each with its evidence."""
    lines = [f"# Initial programme theory: {title}", "", f"Version {version}.", ""]
    lines.append(
        "Each statement reads *If <context>, then <outcome>, because <mechanism>* and lists the "
        "confirmed CMO configurations behind it (sources supporting / refuting / refining)."
    )
    lines.append("")
    for area, label in theory.areas.items():
        statements = [s for s in theory.statements if s.theory_area == area]
        if not statements:
            continue
        lines += [f"## {label}", ""]
        for s in statements:
            counts = f"{s.count('supports')} / {s.count('refutes')} / {s.count('refines')}"
            lines += [
                f"### {s.id}",
                "",
                s.text,
                "",
                f"Sources (supporting / refuting / refining): {counts}.",
            ]
            if s.demi_regularities:
                lines.append(f"Demi-regularities: {', '.join(s.demi_regularities)}.")
            lines.append("")
            for e in sorted(s.evidence, key=lambda e: e.cmoc_id):
                source = e.citation or e.record_id
                lines.append(f"- {source} ({e.cmoc_id}, {e.direction}): “{_quote(e.quote)}”")
            lines.append("")
    if theory.demi_regularities:
        lines += ["## Demi-regularities", ""]
        for d in theory.demi_regularities:
            lines.append(f"- **{d.id}** ({len(d.sources)} sources): {d.pattern}.")
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class TheoryDiff:
    """Statements added, refined (wording or evidence changed), dropped and unchanged."""

    added: tuple[Statement, ...]
    refined: tuple[tuple[Statement, Statement, tuple[str, ...]], ...]
    dropped: tuple[Statement, ...]
    unchanged: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """Nothing changed."""
        return not (self.added or self.refined or self.dropped)


def diff_theories(old: Theory, new: Theory) -> TheoryDiff:
    """What changed from ``old`` to ``new``, statement by statement (matched by id)."""
    before, after = old.by_id(), new.by_id()
    refined = []
    unchanged = []
    for ident in sorted(before.keys() & after.keys()):
        a, b = before[ident], after[ident]
        changes = []
        if a.text != b.text:
            changes.append("wording")
        if set(a.cmoc_ids) != set(b.cmoc_ids):
            changes.append("evidence")
        if a.theory_area != b.theory_area:
            changes.append("theory area")
        if changes:
            refined.append((a, b, tuple(changes)))
        else:
            unchanged.append(ident)
    return TheoryDiff(
        added=tuple(after[i] for i in sorted(after.keys() - before.keys())),
        refined=tuple(refined),
        dropped=tuple(before[i] for i in sorted(before.keys() - after.keys())),
        unchanged=tuple(unchanged),
    )


def format_diff(diff: TheoryDiff, old_name: str, new_name: str) -> str:
    """The diff as text a reviewer reads (also valid Markdown)."""
    lines = [f"Programme theory: {old_name} -> {new_name}", ""]
    lines.append(
        f"{len(diff.added)} added, {len(diff.refined)} refined, {len(diff.dropped)} dropped, "
        f"{len(diff.unchanged)} unchanged."
    )
    for s in diff.added:
        lines += [
            "",
            f"+ {s.id} [{s.theory_area}] {s.text}",
            f"  evidence: {', '.join(s.cmoc_ids)}",
        ]
    for a, b, changes in diff.refined:
        lines += ["", f"~ {b.id} [{b.theory_area}] refined: {', '.join(changes)}"]
        if "wording" in changes:
            lines += [f"  was: {a.text}", f"  now: {b.text}"]
        if "evidence" in changes:
            gained = sorted(set(b.cmoc_ids) - set(a.cmoc_ids))
            lost = sorted(set(a.cmoc_ids) - set(b.cmoc_ids))
            lines.append(
                f"  evidence: +{len(gained)} {' '.join(gained)} -{len(lost)} {' '.join(lost)}"
            )
    for s in diff.dropped:
        lines += ["", f"- {s.id} [{s.theory_area}] {s.text}"]
    return "\n".join(lines) + "\n"
