"""``realist-review init``: a clean review folder, valid as written, that never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from realist_review.cli import main
from realist_review.config import config_warnings, load_config, validate_config
from realist_review.errors import InputError
from realist_review.scaffold import init_review


def test_init_writes_a_valid_config_and_empty_input_folders(tmp_path: Path) -> None:
    review = tmp_path / "my-review"
    assert main(["init", str(review)]) == 0
    config = load_config(review / "config" / "config.yaml")  # valid as written
    assert config["search"]["mode"] == "live"
    assert not config["review"].get("demo")
    for folder in ("searches", "screening", "dedup", "fulltext"):
        files = sorted(p.name for p in (review / "config" / folder).iterdir())
        assert files == ["README.md"], folder  # no demo sheets, no demo exports
    validate_config(config, root=review)  # every file it names exists


def test_init_never_overwrites_a_review(tmp_path: Path) -> None:
    review = tmp_path / "r"
    main(["init", str(review)])
    config = review / "config" / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "# my edits\n", encoding="utf-8")
    with pytest.raises(InputError, match="already exists"):
        init_review(review)
    assert config.read_text(encoding="utf-8").endswith("# my edits\n")
    assert main(["init", str(review)]) == 2


def _with_export(tmp_path: Path, **entry: object) -> dict:
    config = yaml.safe_load((tmp_path / "config" / "config.yaml").read_text(encoding="utf-8"))
    config["search"]["searches"].append(
        {"id": "psycinfo", "source": "ris", "database": "APA PsycInfo", **entry}
    )
    return config


def test_a_missing_export_file_is_named_by_its_config_key(tmp_path: Path) -> None:
    main(["init", str(tmp_path)])
    config = _with_export(tmp_path, files=["config/searches/psycinfo.ris"], query="1. x.ti.")
    with pytest.raises(InputError) as error:
        validate_config(config, root=tmp_path)
    message = str(error.value)
    assert "search.searches[1].files[0] (psycinfo)" in message
    assert "config/searches/psycinfo.ris not found" in message
    (tmp_path / "config" / "searches" / "psycinfo.ris").write_text("TY  - JOUR\nER  -\n")
    validate_config(config, root=tmp_path)


def test_an_export_without_its_query_warns(tmp_path: Path) -> None:
    main(["init", str(tmp_path)])
    without = _with_export(tmp_path, files=["a.ris"], executed_on="2026-01-02")
    (warning,) = config_warnings(without)
    assert "search.searches[1] (psycinfo)" in warning and "PRISMA-S" in warning
    with_query = _with_export(tmp_path, files=["a.ris"], executed_on="2026-01-02", query="1. x")
    assert config_warnings(with_query) == []
