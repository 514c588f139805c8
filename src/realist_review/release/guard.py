"""Frozen searches stay frozen: a config change that would alter one asks for a new version.

Every release records the searches it froze (:func:`frozen_searches`: each search's config
entry, the review-wide limits and the checksums of its export files). Before Snakemake runs,
:func:`check_frozen_searches` compares the config with the newest release: a changed query,
limit, source or file, or a removed search, stops the run with a message saying what would
change, unless ``release.version`` names a version that is not frozen yet (the version the
team now works towards). New searches never conflict with a release.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from realist_review.errors import InputError
from realist_review.tables import sha256_file

RELEASES_DIR = Path("results/releases")
#: A release version: digits and dots, optionally a suffix (``1.0``, ``2.1.3``, ``1.0-rc1``).
VERSION_PATTERN = re.compile(r"^[0-9]+(\.[0-9]+)*(-[A-Za-z0-9.]+)?$")


def check_version(version: object) -> str:
    """The version as text, or an error saying what a version looks like."""
    if not isinstance(version, str) or not VERSION_PATTERN.match(version):
        raise InputError(
            f"release version {version!r} is not valid: write it as text of digits and dots, "
            'e.g. "1.0" or "1.1" (quoted in config/config.yaml so YAML keeps "1.10" as is), '
            "optionally with a suffix such as 1.0-rc1."
        )
    return version


def version_key(version: str) -> tuple[tuple[int, ...], str]:
    """Sort key: numeric parts, then the suffix (``1.10`` after ``1.9``)."""
    number, _, suffix = version.partition("-")
    return tuple(int(p) for p in number.split(".")), suffix


def next_version(version: str) -> str:
    """The version after ``version``: its last number plus one (``1.0`` -> ``1.1``)."""
    number = version.partition("-")[0].split(".")
    number[-1] = str(int(number[-1]) + 1)
    return ".".join(number)


def frozen_searches(config: Mapping[str, Any], root: Path) -> dict[str, Any]:
    """What defines each configured search: its config entry, the limits, its files' checksums."""
    searches: dict[str, Any] = {}
    for raw in (config.get("search") or {}).get("searches") or []:
        entry = dict(raw)
        files = {}
        for name in raw.get("files") or []:
            path = Path(root) / str(name)
            files[str(name)] = sha256_file(path) if path.is_file() else "missing"
        if files:
            entry["file_sha256"] = files
        searches[str(raw["id"])] = entry
    return {"limits": dict(config.get("limits") or {}), "searches": searches}


def _describe(old: Any, new: Any) -> str:
    return f"{json.dumps(old, sort_keys=True)} -> {json.dumps(new, sort_keys=True)}"


def search_changes(frozen: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """What would change in the frozen searches, one line per change (empty: nothing)."""
    changes = []
    old_limits, new_limits = frozen.get("limits") or {}, current.get("limits") or {}
    for key in sorted(set(old_limits) | set(new_limits)):
        if old_limits.get(key) != new_limits.get(key):
            changes.append(
                f"limits.{key}: {_describe(old_limits.get(key), new_limits.get(key))} "
                "(applies to every search)"
            )
    new_searches = current.get("searches") or {}
    for search_id, old in sorted((frozen.get("searches") or {}).items()):
        new = new_searches.get(search_id)
        if new is None:
            changes.append(f"search {search_id}: removed from the config")
            continue
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                what = "its export files' contents" if key == "file_sha256" else key
                changes.append(
                    f"search {search_id}: {what} {_describe(old.get(key), new.get(key))}"
                )
    return changes


def released_versions(root: Path) -> list[str]:
    """Versions frozen under ``root/results/releases`` (with a manifest), oldest first."""
    folder = Path(root) / RELEASES_DIR
    if not folder.is_dir():
        return []
    versions = [
        p.name
        for p in folder.iterdir()
        if (p / "manifest.json").is_file() and VERSION_PATTERN.match(p.name)
    ]
    return sorted(versions, key=version_key)


def check_frozen_searches(config: Mapping[str, Any], root: Path = Path()) -> list[str]:
    """Raise :class:`InputError` when the config would alter a search of the newest release.

    Returns warnings (changes allowed because ``release.version`` names a new version).
    """
    versions = released_versions(root)
    if not versions:
        return []
    latest = versions[-1]
    manifest_path = Path(root) / RELEASES_DIR / latest / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{manifest_path}: not readable ({exc})") from None
    frozen = manifest.get("frozen_searches")
    if not isinstance(frozen, dict):
        return []
    changes = search_changes(frozen, frozen_searches(config, root))
    if not changes:
        return []
    working_on = (config.get("release") or {}).get("version")
    if isinstance(working_on, str) and working_on not in versions:
        return [
            f"release {latest} froze these searches; they change for release {working_on}: {c}"
            for c in changes
        ]
    lines = "\n    ".join(changes)
    raise InputError(
        f"release {latest} is frozen (results/releases/{latest}/) and this config would alter "
        f"its searches:\n    {lines}\n"
        "A frozen search is never re-run over. To work towards a new release, set "
        f'release.version: "{next_version(latest)}" in config/config.yaml (release {latest} '
        "stays as it is); otherwise restore the frozen settings."
    )
