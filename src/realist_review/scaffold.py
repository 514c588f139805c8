"""``realist-review init DIR``: a clean folder for a new review.

It writes the config skeleton (commented, valid as written), empty folders for the people's
inputs (``config/searches/`` for exports, ``config/screening/`` for returned sheets,
``config/dedup/`` for duplicate decisions) and nothing from the demo. It never writes into a
folder that already holds a config, so a review's own inputs cannot be overwritten.
"""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

from realist_review.errors import InputError

#: folders of human inputs a review starts with, and what goes into each
INPUT_FOLDERS: dict[str, str] = {
    "config/searches": "Database exports (RIS, NBIB, CSV, BibTeX, EndNote XML, ...) named in\n"
    "config.yaml under search.searches[].files.",
    "config/screening": "Returned screening sheets: config/screening/round-NN/<reviewer>.xlsx.\n"
    "The pipeline writes the sheets to send out under results/screen/sheets/.",
    "config/dedup": "People's decisions on borderline duplicate pairs (review_pairs.xlsx,\n"
    "filled and saved here).",
    "config/fulltext": "Full texts the team found itself (PDF or JATS), named by record id, DOI\n"
    "or PMID where possible; others are matched by title and confirmed in a sheet.",
}


def config_template() -> str:
    """The commented config skeleton a new review starts from."""
    return (resources.files("realist_review") / "templates" / "config.yaml").read_text(
        encoding="utf-8"
    )


def init_review(folder: Path) -> list[Path]:
    """Write a new review's folder; return the files written. Refuses an existing config."""
    folder = Path(folder)
    config = folder / "config" / "config.yaml"
    if config.exists():
        raise InputError(
            f"{config} already exists; init never overwrites a review's inputs. "
            "Choose an empty folder."
        )
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file; give a folder for the new review")
    written = []
    for sub, note in INPUT_FOLDERS.items():
        readme = folder / sub / "README.md"
        readme.parent.mkdir(parents=True, exist_ok=True)
        if not readme.exists():
            readme.write_text(f"# {sub}/\n\n{note}\n", encoding="utf-8")
            written.append(readme)
    config.write_text(config_template(), encoding="utf-8")
    written.append(config)
    return written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``realist-review init``."""
    parser.add_argument("folder", type=Path, metavar="DIR", help="folder of the new review")


def run(args: argparse.Namespace) -> int:
    """Write the folder and say what to do next."""
    written = init_review(args.folder)
    for path in written:
        print(f"wrote {path}")
    print(
        f"\nNext: edit {args.folder / 'config' / 'config.yaml'}, export REALIST_REVIEW_EMAIL, then"
        f" run from the realist-review project folder:\n"
        f"    snakemake --cores 2 --directory {args.folder}"
    )
    return 0
