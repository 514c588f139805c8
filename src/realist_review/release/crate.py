"""Release metadata for a data repository: a Workflow Run Crate and a ``CITATION.cff``.

The archive's top folder is an RO-Crate (https://w3id.org/ro/crate/1.1) conforming to the
Workflow Run Crate profile (https://w3id.org/ro/wfrun/workflow/0.5): ``Snakefile`` is the main
workflow (Snakemake), one ``CreateAction`` (the pipeline's run) has the Snakefile as its
instrument, the review's inputs and raw responses as its objects and the derived outputs (and
the report) as its results. Each kind of file is one formal parameter of the workflow.
``CITATION.cff`` (Citation File Format 1.2.0, type ``dataset``) cites the review outputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from realist_review import __version__
from realist_review.release.manifest import Entry, Kind

WFRUN_PROFILES = {
    "https://w3id.org/ro/wfrun/process/0.5": "Process Run Crate",
    "https://w3id.org/ro/wfrun/workflow/0.5": "Workflow Run Crate",
    "https://w3id.org/workflowhub/workflow-ro-crate/1.0": "Workflow RO-Crate",
}

BIOSCHEMAS_WORKFLOW = "https://bioschemas.org/profiles/ComputationalWorkflow/1.0-RELEASE"

#: Formal parameters of the workflow: kind -> (id, name, description, input?).
PARAMETERS: dict[Kind, tuple[str, str, str, bool]] = {
    Kind.INPUT: (
        "#param-input",
        "review inputs",
        "The config and everything people returned: screening sheets, decision logs, "
        "deduplication decisions, theory edits, search exports.",
        True,
    ),
    Kind.RAW: (
        "#param-raw",
        "raw responses",
        "Every raw search response (and full-text or language-model responses) as received; "
        "they cannot be fetched again to the same result.",
        True,
    ),
    Kind.DERIVED: (
        "#param-derived",
        "derived outputs",
        "Every table, figure and document the pipeline derived from the inputs and raw "
        "responses (re-derived by `realist-review verify`).",
        False,
    ),
    Kind.REPORT: (
        "#param-report",
        "report",
        "The Snakemake HTML report of the review.",
        False,
    ),
}

_FORMATS = {
    ".csv": "text/csv",
    ".json": "application/json",
    ".md": "text/markdown",
    ".html": "text/html",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".xml": "application/xml",
    ".yaml": "application/yaml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ris": "application/x-research-info-systems",
    ".rst": "text/x-rst",
    ".py": "text/x-python",
    ".txt": "text/plain",
    ".smk": "text/plain",
    ".sh": "text/x-shellscript",
    ".cff": "application/yaml",
    ".tsv": "text/tab-separated-values",
    ".nbib": "text/plain",
    ".bib": "application/x-bibtex",
    ".enw": "text/plain",
    ".ciw": "text/plain",
}


def license_url(spdx: str) -> str:
    """The SPDX licence page for an SPDX identifier (``CC-BY-4.0`` -> its spdx.org URL)."""
    return f"https://spdx.org/licenses/{spdx}.html"


def _format_of(path: str) -> str:
    for suffix, media_type in _FORMATS.items():
        if path.lower().endswith(suffix):
            return media_type
    return "application/octet-stream" if "." in path.rsplit("/", 1)[-1] else "text/plain"


def _author_name(author: Mapping[str, Any]) -> str:
    if author.get("name"):
        return str(author["name"])
    return " ".join(str(author[k]) for k in ("given-names", "family-names") if author.get(k))


def crate_metadata(
    *,
    manifest: Mapping[str, Any],
    entries: Sequence[Entry],
    authors: Sequence[Mapping[str, Any]],
    license_id: str,
    end_time: str,
    extra_files: Mapping[str, str],
) -> dict[str, Any]:
    """``ro-crate-metadata.json`` (as plain data) for the archive's top folder.

    ``entries`` are the archived files, ``extra_files`` the release's own files in the crate
    (path -> description: manifest, citation, README), ``end_time`` the run's end (ISO 8601).
    """
    from rocrate.model.contextentity import ContextEntity
    from rocrate.rocrate import ROCrate

    review = manifest["review"]
    version = str(manifest["version"])
    crate = ROCrate(version="1.1")  # the RO-Crate version the Workflow Run Crate profile uses
    crate.name = f"{review['title']} (release {version})"
    crate.description = str(review["question"])
    crate.datePublished = str(manifest["date_released"])
    crate.root_dataset["version"] = version
    crate.root_dataset["keywords"] = ["rapid realist review", "PRISMA 2020", "RAMESES"]
    licence = ContextEntity(
        crate,
        license_url(license_id),
        properties={"@type": "CreativeWork", "name": license_id, "identifier": license_id},
    )
    crate.root_dataset["license"] = crate.add(licence)
    for profile, name in WFRUN_PROFILES.items():
        crate.add(ContextEntity(crate, profile, properties={
            "@type": "CreativeWork", "name": name, "version": profile.rsplit("/", 1)[1],
        }))  # fmt: skip
    crate.root_dataset["conformsTo"] = [{"@id": p} for p in WFRUN_PROFILES]

    people = []
    for index, author in enumerate(authors, start=1):
        ident = str(author.get("orcid") or f"#author-{index}")
        is_person = bool(author.get("family-names"))
        props: dict[str, Any] = {
            "@type": "Person" if is_person else "Organization",
            "name": _author_name(author),
        }
        if author.get("affiliation"):
            props["affiliation"] = crate.add(ContextEntity(
                crate, f"#affiliation-{index}",
                properties={"@type": "Organization", "name": str(author["affiliation"])},
            ))  # fmt: skip
        if author.get("website"):
            props["url"] = str(author["website"])
        people.append(crate.add(ContextEntity(crate, ident, properties=props)))
    if people:
        crate.root_dataset["author"] = people

    by_kind: dict[Kind, list[Any]] = {kind: [] for kind in Kind}
    workflow = None
    for entry in entries:
        props = {"name": entry.path.rsplit("/", 1)[-1], "contentSize": str(entry.size)}
        props["encodingFormat"] = _format_of(entry.path)
        if entry.path == "Snakefile":
            workflow = crate.add_workflow(
                dest_path="Snakefile", main=True, lang="snakemake", properties=props
            )
            workflow["name"] = f"realist-review workflow {__version__}"
            workflow["version"] = __version__
            bioschemas = ContextEntity(
                crate,
                BIOSCHEMAS_WORKFLOW,
                properties={
                    "@type": "CreativeWork",
                    "name": "Bioschemas ComputationalWorkflow profile",
                    "version": "1.0-RELEASE",
                },
            )
            workflow["conformsTo"] = crate.add(bioschemas)
            continue
        by_kind[entry.kind].append(crate.add_file(dest_path=entry.path, properties=props))
    for path, description in extra_files.items():
        props = {"name": path, "description": description}
        props["encodingFormat"] = _format_of(path)
        entity = crate.add_file(dest_path=path, properties=props)
        if path == "README.md":
            entity["about"] = crate.root_dataset
    if workflow is None:
        raise ValueError("a release needs the Snakefile (the main workflow)")

    inputs: list[Any] = []
    outputs: list[Any] = []
    for kind, (ident, name, description, is_input) in PARAMETERS.items():
        files = by_kind[kind]
        if not files:
            continue
        parameter = crate.add_formal_parameter(
            name=name, additionalType="File", identifier=ident, description=description
        )
        parameter["workExample"] = files
        for file in files:
            file["exampleOfWork"] = parameter
        (inputs if is_input else outputs).append(parameter)
    workflow["input"] = inputs
    workflow["output"] = outputs

    action = crate.add_action(
        workflow,
        identifier="#pipeline-run",
        object=by_kind[Kind.INPUT] + by_kind[Kind.RAW],
        result=by_kind[Kind.DERIVED] + by_kind[Kind.REPORT],
        properties={
            "name": f"Run of the realist-review pipeline for {review['id']}",
            "description": (
                "The Snakemake run whose outputs this release freezes; "
                "`realist-review verify` repeats it offline from the archived inputs."
            ),
            "endTime": end_time,
            "actionStatus": "http://schema.org/CompletedActionStatus",
        },
    )
    if people:
        action["agent"] = people
    crate.root_dataset["mentions"] = [action]
    data = crate.metadata.generate()
    for item in data["@graph"]:
        if item.get("@id") == "ro-crate-metadata.json":
            item["conformsTo"] = [
                {"@id": "https://w3id.org/ro/crate/1.1"},
                {"@id": "https://w3id.org/workflowhub/workflow-ro-crate/1.0"},
            ]
        for key, value in list(item.items()):
            if isinstance(value, list) and len(value) == 1:  # RO-Crate: a single value, no list
                item[key] = value[0]
    return dict(data)


def default_authors(config: Mapping[str, Any]) -> list[dict[str, str]]:
    """``release.authors`` from the config, else the review team as one entity."""
    authors = (config.get("release") or {}).get("authors") or []
    if authors:
        return [{str(k): str(v) for k, v in a.items()} for a in authors]
    review_id = str((config.get("review") or {}).get("id", "review"))
    return [{"name": f"The {review_id} review team"}]


def citation_cff(
    *,
    manifest: Mapping[str, Any],
    authors: Sequence[Mapping[str, str]],
    license_id: str,
    doi: str = "",
) -> str:
    """``CITATION.cff`` (CFF 1.2.0, a dataset) for the review outputs of one release."""
    review = manifest["review"]
    data: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use these review outputs, please cite them as below.",
        "type": "dataset",
        "title": f"{review['title']} (review outputs)",
        "version": str(manifest["version"]),
        "date-released": dt.date.fromisoformat(str(manifest["date_released"])),
        "abstract": str(review["question"]).strip(),
        "authors": [dict(a) for a in authors],
        "license": license_id,
        "keywords": ["rapid realist review", "PRISMA 2020", "RAMESES"],
    }
    if doi:
        data["doi"] = doi
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
