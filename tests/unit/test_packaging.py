"""Install contract: every runtime dependency is declared where each documented install reads it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
#: conda-forge names that differ from the PyPI names in pyproject.toml
CONDA_NAMES = {"matplotlib": "matplotlib-base"}
#: provided by the environment that runs Snakemake itself, not by the rules' environment
NOT_IN_RULE_ENV = {"snakemake"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower()


def _runtime_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_name(r) for r in project["dependencies"]}


def _conda_env_dependencies() -> set[str]:
    env = yaml.safe_load((ROOT / "workflow/envs/realist-review.yaml").read_text(encoding="utf-8"))
    names: set[str] = set()
    for item in env["dependencies"]:
        if isinstance(item, dict):
            names |= {_name(r) for r in item.get("pip", [])}
        else:
            names.add(_name(item))
    return names


def test_every_runtime_dependency_is_in_the_rules_conda_environment() -> None:
    wanted = {CONDA_NAMES.get(n, n) for n in _runtime_dependencies() - NOT_IN_RULE_ENV}
    missing = wanted - _conda_env_dependencies()
    assert not missing, f"add to workflow/envs/realist-review.yaml: {sorted(missing)}"


def test_the_report_command_has_its_dependency_without_the_test_extras() -> None:
    # `snakemake --report` needs pygments; the README's run command installs only `pip install -e .`
    assert "pygments" in _runtime_dependencies()


def test_no_cache_files_are_committed() -> None:
    committed = [p.name for p in ROOT.glob("*.sqlite")]
    gitignore = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "*.sqlite" in gitignore, committed


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_ci_runs_the_readme_run_command_then_the_test_command() -> None:
    run, test = _readme_commands()
    assert "snakemake --report" in run
    assert "pytest" in test
    lines = (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert lines.index(run) < lines.index(test), "CI must run the README's commands, run first"
