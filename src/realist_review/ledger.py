"""An append-only checksum ledger of the files people return (``SHA256SUMS`` in their folder).

The first time the pipeline reads a returned file, its SHA-256 is added to the ledger; from
then on, a file whose bytes changed or that went missing is refused, so nothing a person
returned is lost or silently replaced: corrections come as a new file (e.g. ``alice.v2.xlsx``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from realist_review.tables import decode_text, read_bytes, write_atomic

SUMS_FILE = "SHA256SUMS"


def read_ledger(folder: Path) -> dict[str, str]:
    """``file name -> SHA-256`` recorded so far (empty when there is no ledger)."""
    path = Path(folder) / SUMS_FILE
    known: dict[str, str] = {}
    if path.exists():
        for line in decode_text(read_bytes(path), path=path).splitlines():
            if line.strip():
                digest, _, name = line.partition("  ")
                known[name.strip()] = digest.strip()
    return known


def check_and_record(
    folder: Path, present: Mapping[str, str], corrections: Mapping[str, str] | None = None
) -> list[str]:
    """Check the files present (``name -> SHA-256``) against the ledger and add the new ones.

    Returns the problems (nothing is recorded while there are any): a file changed since it
    was first read (``corrections`` names what to send instead), or one read before and now
    missing."""
    folder = Path(folder)
    sums = folder / SUMS_FILE
    known = read_ledger(folder)
    corrections = corrections or {}
    problems = []
    for name, digest in sorted(present.items()):
        if name in known and known[name] != digest:
            instead = corrections.get(name, "a new file")
            problems.append(
                f"{folder / name}: changed after it was first read (its checksum is in {sums}). "
                f"A returned file is never edited: restore it and send the correction as {instead}"
            )
    for name in sorted(set(known) - set(present)):
        problems.append(
            f"{folder / name}: read before (listed in {sums}) but now missing; restore it: "
            "nothing returned may be lost"
        )
    new = {name: digest for name, digest in present.items() if name not in known}
    if new and not problems:
        lines = [f"{d}  {n}" for n, d in sorted({**known, **new}.items())]
        write_atomic(sums, ("\n".join(lines) + "\n").encode("utf-8"))
    return problems
