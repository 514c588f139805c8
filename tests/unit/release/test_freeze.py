"""Freezing: one deterministic archive, the manifest, CITATION.cff and the Workflow Run Crate."""

from __future__ import annotations

import gzip
import json
import shutil
import tarfile
from pathlib import Path

import jsonschema
import pytest
import yaml

from realist_review.cli import main
from realist_review.errors import InputError
from realist_review.release.freeze import freeze_release
from tests.unit.release.conftest import demo_config, write_review
from tests.unit.release.rocrate_check import crate_issues, seed_cache

CFF_SCHEMA = Path(__file__).parents[2] / "data/release/citation-file-format-1.2.0.schema.json"

#: Recommended checks of the workflow-run-crate profile a release cannot meet, and why.
UNMET_RECOMMENDED = {
    # The profile's SoftwareApplication checks also target the main workflow, whose id must be
    # a file inside the crate (Workflow RO-Crate), so it cannot be an absolute http(s) URI.
    "process-run-crate-0.5_5.1",
    # ... and ask that workflow for a url: the pipeline has no public home page yet.
    "process-run-crate-0.5_3.2",
    # The publisher is the data repository the release is deposited in, known only then.
    "ro-crate-1.1_22.3",
    # CITATION.cff gives an author's affiliation as a name only: that organisation has no URL.
    "ro-crate-1.1_31.2",
}


def freeze(root: Path, version: str = "1.0", **kwargs: object):  # type: ignore[no-untyped-def]
    config = kwargs.pop("config", None) or demo_config()
    return freeze_release(
        root, version=version, command="test", date="2026-12-04", config=config, **kwargs
    )


def test_release_folder_and_manifest(review: Path) -> None:
    release = freeze(review)
    assert release.folder == review / "results/releases/1.0"
    names = sorted(p.name for p in release.folder.iterdir())
    assert names == sorted(
        ["tiny-review-1.0.tar.gz", "manifest.json", "ro-crate-metadata.json", "CITATION.cff",
         "README.md", "SHA256SUMS"]
    )  # fmt: skip
    manifest = json.loads((release.folder / "manifest.json").read_text())
    kinds = {f["path"]: f["kind"] for f in manifest["files"]}
    assert kinds["results/dedup/records.csv"] == "derived"
    assert kinds["results/search/raw/pubmed/pubmed/abc/esearch-0001.xml"] == "raw"
    assert kinds["config/config.yaml"] == "input"
    assert kinds["Snakefile"] == "workflow"
    assert kinds["report.html"] == "report"
    assert manifest["expected_differences"][0]["path"] == "report.html"
    assert manifest["not_archived"] == [
        "config/fulltext/paper.pdf",
        "results/fulltext/files/rec-1.pdf",
    ]
    software = manifest["software"]
    assert software["packages"]["snakemake"] and software["python"]
    assert list(software["packages"]) == sorted(software["packages"])
    assert manifest["frozen_searches"]["searches"]["pubmed"]["query"] == "care"
    assert {"file": "config/config.yaml", "key": "screening.seed", "value": 7} in manifest["seeds"]
    with tarfile.open(release.archive) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == sorted(m.name for m in members)
        assert {m.mtime for m in members} == {1796342400}  # 2026-12-04T00:00:00Z
        assert {(m.uid, m.gid, m.uname, m.gname, m.mode) for m in members} == {
            (0, 0, "", "", 0o644)
        }
        names = {m.name.split("/", 1)[1] for m in members}
    assert "results/fulltext/files/rec-1.pdf" not in names
    assert {"manifest.json", "ro-crate-metadata.json", "CITATION.cff", "README.md"} <= names
    assert gzip.decompress(release.archive.read_bytes())  # a valid gzip stream
    assert release.archive.read_bytes()[4:8] == b"\0\0\0\0"  # gzip mtime 0


def test_same_files_same_archive_bytes(tmp_path: Path) -> None:
    first = freeze(write_review(tmp_path / "a"))
    second_root = write_review(tmp_path / "b")
    for path in second_root.rglob("*"):  # other modification times, same contents
        if path.is_file():
            path.touch()
    second = freeze(second_root)
    a = json.loads((first.folder / "ro-crate-metadata.json").read_text())
    b = json.loads((second.folder / "ro-crate-metadata.json").read_text())
    # the crate records when the run ended; everything else is the same
    for crate in (a, b):
        for item in crate["@graph"]:
            item.pop("endTime", None)
    assert a == b
    with tarfile.open(first.archive) as ta, tarfile.open(second.archive) as tb:
        for ma, mb in zip(ta.getmembers(), tb.getmembers(), strict=True):
            assert ma.name == mb.name
            if not ma.name.endswith("ro-crate-metadata.json"):
                assert ta.extractfile(ma).read() == tb.extractfile(mb).read(), ma.name


def test_freezing_twice_is_refused(review: Path) -> None:
    release = freeze(review)
    before = release.archive.read_bytes()
    with pytest.raises(InputError, match=r"release 1.0 already exists.*never changed"):
        freeze(review)
    assert release.archive.read_bytes() == before
    assert freeze(review, "1.1").archive.name == "tiny-review-1.1.tar.gz"


@pytest.mark.parametrize("version", ["v1.0", "1.0 final", "", "../1.0", "1.0/x"])
def test_bad_versions_are_refused(review: Path, version: str) -> None:
    with pytest.raises(InputError, match="not valid"):
        freeze(review, version)


def test_nothing_to_freeze(tmp_path: Path) -> None:
    (tmp_path / "Snakefile").write_text("")
    with pytest.raises(InputError, match="Run the pipeline first"):
        freeze(tmp_path)


def test_citation_cff_is_valid_cff_1_2_0(review: Path) -> None:
    config = demo_config()
    config["release"] = {
        "authors": [{"family-names": "Doe", "given-names": "Ada",
                     "orcid": "https://orcid.org/0000-0002-1825-0097"}],
        "license": "CC-BY-4.0",
        "doi": "10.5281/zenodo.1234567",
    }  # fmt: skip
    for cfg, version in ((demo_config(), "1.0"), (config, "1.1")):
        release = freeze(review, version, config=cfg)
        data = yaml.safe_load((release.folder / "CITATION.cff").read_text())
        schema = json.loads(CFF_SCHEMA.read_text())
        # the schema's date format: YAML reads date-released as a date; CFF tools send text
        data["date-released"] = data["date-released"].isoformat()
        jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
        assert data["version"] == version
    assert data["authors"][0]["family-names"] == "Doe"
    assert data["doi"] == "10.5281/zenodo.1234567"


def test_citation_cff_schema_rejects_a_broken_file() -> None:
    schema = json.loads(CFF_SCHEMA.read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"cff-version": "1.2.0", "title": "x", "message": "y"}, schema)


@pytest.mark.slow
def test_crate_is_a_valid_workflow_run_crate(review: Path, tmp_path: Path) -> None:
    config = demo_config()
    config["release"] = {
        "authors": [{"family-names": "Doe", "given-names": "Ada",
                     "orcid": "https://orcid.org/0000-0002-1825-0097",
                     "affiliation": "Care Research Unit"},
                    {"name": "Care Research Unit", "website": "https://example.org"}],
    }  # fmt: skip
    release = freeze(review, config=config)
    with tarfile.open(release.archive) as tar:
        tar.extractall(tmp_path / "crate", filter="data")
    crate_dir = tmp_path / "crate/tiny-review-1.0"
    cache = seed_cache(tmp_path / "validator-cache")
    assert crate_issues(crate_dir, cache, recommended=False) == []
    recommended = crate_issues(crate_dir, cache, recommended=True)
    unexplained = [i for i in recommended if i.split()[1].rstrip(":") not in UNMET_RECOMMENDED]
    assert unexplained == [], "\n".join(unexplained)
    # the validator does check: a crate without its main workflow fails the required level
    (crate_dir / "ro-crate-metadata.json").chmod(0o644)
    data = json.loads((crate_dir / "ro-crate-metadata.json").read_text())
    for item in data["@graph"]:
        if item["@id"] == "./":
            item.pop("mainEntity")
    (crate_dir / "ro-crate-metadata.json").write_text(json.dumps(data))
    assert crate_issues(crate_dir, cache, recommended=False)


def test_cli_freeze_prints_the_archive(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(review / "config/demo")
    assert (
        main(["freeze", "--version", "2.0", "--directory", str(review), "--date", "2026-12-04"])
        == 0
    )
    out = capsys.readouterr().out
    assert "tiny-review-2.0.tar.gz" in out and "realist-review verify" in out
    assert main(["freeze", "--version", "2.0", "--directory", str(review)]) == 2
    assert "already exists" in capsys.readouterr().err
