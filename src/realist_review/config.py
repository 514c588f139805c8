"""Loading and validating ``config/config.yaml``.

The JSON schema (``workflow/schemas/config.schema.json``) catches typos and wrong types;
:func:`check_config` adds the rules a schema cannot say (unique search ids, a query for every
API search, files for every export). Every message names the key path, e.g.
``search.searches[2].source``, and says what is expected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from realist_review.errors import InputError
from realist_review.records import API_SOURCES, FILE_SOURCES, PrismaGroup, Source
from realist_review.tables import load_schema

#: Client defaults; the config overrides them key by key.
CLIENT_DEFAULTS: dict[str, Any] = {
    "contact_email_env": "REALIST_REVIEW_EMAIL",
    "timeout_seconds": 30,
    "max_retries": 5,
    "backoff_seconds": 1.0,
    "max_wait_seconds": 120,
    "pubmed": {
        "base_url": "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/",
        "api_key_env": "NCBI_API_KEY",
        "batch_size": 200,
        "tool": "realist-review",
        "max_esearch": 9999,
    },
    "europepmc": {
        "base_url": "https://www.ebi.ac.uk/europepmc/webservices/rest/",
        "page_size": 1000,
    },
    "openalex": {
        "base_url": "https://api.openalex.org/",
        "api_key_env": "OPENALEX_API_KEY",
        "per_page": 100,
    },
    "crossref": {"base_url": "https://api.crossref.org/", "rows": 1000},
    "zotero": {
        "base_url": "https://api.zotero.org",
        "api_key_env": "ZOTERO_API_KEY",
        "page_size": 100,
    },
}


@dataclass(frozen=True)
class Limits:
    """Review-wide limits (years inclusive; languages as ISO 639 codes)."""

    year_from: int | None = None
    year_to: int | None = None
    languages: tuple[str, ...] = ()
    publication_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchSpec:
    """One configured search: a query sent to an API, an export file set, or a Zotero library."""

    id: str
    source: Source
    database: str
    prisma_group: PrismaGroup = PrismaGroup.DATABASES
    other_method: str = ""
    platform: str = ""
    query: str = ""
    executed_on: str = ""
    files: tuple[str, ...] = ()
    format: str = ""
    encoding: str = ""
    column_map: Mapping[str, str] = field(default_factory=dict)
    library_id: str = ""
    library_type: str = "group"
    collection: str = ""
    filters: Mapping[str, Any] = field(default_factory=dict)


def _path_of(error: jsonschema.ValidationError) -> str:
    parts: list[str] = []
    for part in error.absolute_path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "(top level)"


def _message(error: jsonschema.ValidationError) -> str:
    where = _path_of(error)
    validator = error.validator
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = (
            sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        )
        return (
            f"{where}: unknown key(s) {', '.join(map(repr, extra))}; "
            f"allowed here: {', '.join(allowed)} (a typo?)"
        )
    if validator == "required":
        return f"{where}: {error.message.replace(' is a required property', '')} is missing"
    if validator == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        return f"{where}: {error.instance!r} is not one of: {options}"
    if validator == "pattern":
        hint = error.schema.get("description", f"must match {error.validator_value}")
        return f"{where}: {error.instance!r} is not valid ({hint})"
    if validator == "type":
        return f"{where}: {error.instance!r} should be of type {error.validator_value}"
    return f"{where}: {error.message}"


def validate_config(
    config: Mapping[str, Any], *, path: str = "config", root: Path | None = None
) -> None:
    """Validate against the JSON schema and the cross-field rules; raise one InputError.

    With ``root`` (the review's folder), export files named in the config must exist there;
    a missing one is reported by its config key.
    """
    validator = jsonschema.Draft202012Validator(load_schema("config"))
    errors = sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.path)))
    messages = [_message(error) for error in errors]
    if not messages:
        messages = check_config(config)
    if not messages and root is not None:
        messages = missing_export_files(config, Path(root))
    if messages:
        raise InputError(f"{path} has {len(messages)} problem(s):\n  - " + "\n  - ".join(messages))


def check_config(config: Mapping[str, Any]) -> list[str]:
    """Rules the schema cannot express; returns messages (empty when fine)."""
    problems: list[str] = []
    limits = config.get("limits", {})
    if (
        limits.get("year_from")
        and limits.get("year_to")
        and limits["year_from"] > limits["year_to"]
    ):
        problems.append(
            f"limits: year_from ({limits['year_from']}) is after year_to ({limits['year_to']})"
        )
    seen: set[str] = set()
    for index, search in enumerate(config["search"]["searches"]):
        where = f"search.searches[{index}] ({search['id']})"
        if search["id"] in seen:
            problems.append(f"{where}: the id {search['id']!r} is used twice; ids must be unique")
        seen.add(search["id"])
        source = Source(search["source"])
        if source in API_SOURCES - {Source.ZOTERO} and not search.get("query"):
            problems.append(f"{where}: a {source} search needs a query")
        if source in FILE_SOURCES and not search.get("files"):
            problems.append(f"{where}: a {source} import needs files: [path, ...]")
        if source in FILE_SOURCES and search.get("filters"):
            problems.append(f"{where}: filters apply to API searches only; remove them")
        if source is Source.ZOTERO and not search.get("library_id"):
            problems.append(f"{where}: a zotero search needs library_id (and usually collection)")
        if search.get("other_method") and search.get("prisma_group", _default_group(source)) != (
            "other_methods"
        ):
            problems.append(f"{where}: other_method is only used with prisma_group: other_methods")
    return problems


def missing_export_files(config: Mapping[str, Any], root: Path) -> list[str]:
    """Export files named in the config that are not there, each by its config key."""
    problems = []
    for index, search in enumerate(config["search"]["searches"]):
        for position, name in enumerate(search.get("files", [])):
            if not (root / name).is_file():
                problems.append(
                    f"search.searches[{index}].files[{position}] ({search['id']}): {name} not "
                    f"found in {root}; save the export there or correct the path"
                )
    return problems


def config_warnings(config: Mapping[str, Any]) -> list[str]:
    """What is allowed but weakens the review's reporting (PRISMA-S), one message each."""
    warnings = []
    for index, search in enumerate(config["search"]["searches"]):
        source = Source(search["source"])
        where = f"search.searches[{index}] ({search['id']})"
        if source in FILE_SOURCES and not str(search.get("query", "")).strip():
            warnings.append(
                f"{where}: an export without its query; PRISMA-S item 8 asks for the strategy "
                "exactly as run: add query: (and executed_on:) so the search log can show it"
            )
        if source in FILE_SOURCES and not search.get("executed_on"):
            warnings.append(
                f"{where}: an export without executed_on; give the date the search was run "
                "(YYYY-MM-DD) for the search log"
            )
    return warnings


def _default_group(source: Source) -> str:
    return PrismaGroup.OTHER_METHODS if source is Source.ZOTERO else PrismaGroup.DATABASES


def load_config(path: Path) -> dict[str, Any]:
    """Read and validate a YAML config file; errors name the file."""
    path = Path(path)
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: config file not found") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(config, dict):
        raise InputError(f"{path}: the config must be a mapping of keys to values")
    validate_config(config, path=str(path))
    return config


def search_specs(config: Mapping[str, Any]) -> list[SearchSpec]:
    """The configured searches as :class:`SearchSpec`, in config order."""
    specs = []
    for raw in config["search"]["searches"]:
        source = Source(raw["source"])
        specs.append(
            SearchSpec(
                id=raw["id"],
                source=source,
                database=raw["database"],
                prisma_group=PrismaGroup(raw.get("prisma_group", _default_group(source))),
                other_method=raw.get("other_method", "other" if source is Source.ZOTERO else ""),
                platform=raw.get("platform", ""),
                query=raw.get("query", ""),
                executed_on=raw.get("executed_on", ""),
                files=tuple(raw.get("files", ())),
                format=raw.get("format", ""),
                encoding=raw.get("encoding", ""),
                column_map=dict(raw.get("column_map", {})),
                library_id=str(raw.get("library_id", "")),
                library_type=raw.get("library_type", "group"),
                collection=raw.get("collection", ""),
                filters=dict(raw.get("filters", {})),
            )
        )
    return specs


def search_params(config: Mapping[str, Any], search_id: str) -> dict[str, Any]:
    """What one search needs from the config, as plain data: the search entry, the mode and
    snapshot folder, the limits and the client settings (names of secret variables only).

    :func:`config_of_search` turns it back into a config holding that search alone."""
    entry = next(s for s in config["search"]["searches"] if s["id"] == search_id)
    return {
        "search": dict(entry),
        "mode": config["search"]["mode"],
        "snapshot_dir": config["search"].get("snapshot_dir", ""),
        "limits": dict(config.get("limits", {})),
        "clients": dict(config.get("clients", {})),
    }


def config_of_search(params: Mapping[str, Any]) -> dict[str, Any]:
    """A config with the one search of :func:`search_params` (what the search stage reads)."""
    search: dict[str, Any] = {"mode": params["mode"], "searches": [dict(params["search"])]}
    if params.get("snapshot_dir"):
        search["snapshot_dir"] = params["snapshot_dir"]
    return {"search": search, "limits": params["limits"], "clients": params["clients"]}


def get_search(config: Mapping[str, Any], search_id: str) -> SearchSpec:
    """The search with this id; a clear error when there is none."""
    for spec in search_specs(config):
        if spec.id == search_id:
            return spec
    known = ", ".join(s["id"] for s in config["search"]["searches"])
    raise InputError(f"no search with id {search_id!r} in the config (known: {known})")


def get_limits(config: Mapping[str, Any]) -> Limits:
    """The review's limits."""
    raw = config.get("limits", {})
    return Limits(
        year_from=raw.get("year_from"),
        year_to=raw.get("year_to"),
        languages=tuple(raw.get("languages", ())),
        publication_types=tuple(raw.get("publication_types", ())),
    )


def client_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """Client settings: :data:`CLIENT_DEFAULTS` overridden by ``config['clients']``."""
    merged: dict[str, Any] = {}
    given = config.get("clients", {})
    for key, default in CLIENT_DEFAULTS.items():
        if isinstance(default, dict):
            merged[key] = {**default, **given.get(key, {})}
        else:
            merged[key] = given.get(key, default)
    return merged
