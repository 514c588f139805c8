"""``realist-review simulate``: input checks, priors, order, metrics, stopping, the CLI."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest

from realist_review.cli import main
from realist_review.errors import InputError
from realist_review.screen import stopping_rules
from realist_review.screen.model import get_preset
from realist_review.screen.simulate import (
    draw_priors,
    read_dataset,
    read_labelled_csv,
    records_for_recall,
    screening_metrics,
    simulate_screening,
)
from realist_review.tables import read_table

from .corpus import make_corpus


def write_csv(path: Path, rows: list[dict[str, object]], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def dataset_csv(tmp_path: Path) -> Path:
    documents, labels = make_corpus(n=90, n_include=12, seed=4)
    rows = [
        {
            "record_id": f"r{i:03d}",
            "title": t,
            "abstract": a,
            "label_included": y,
            "label_abstract_screening": y,
        }
        for i, ((t, a), y) in enumerate(zip(documents, labels, strict=True))
    ]
    return write_csv(tmp_path / "labelled.csv", rows)


# ---- metrics on hand-made orders -------------------------------------------------------------
@pytest.mark.parametrize(
    ("labels", "wss", "recall10", "n95", "n100"),
    [
        # N=10, R=2: 95% of 2 needs both, reached at record 3: WSS = 7/10 - 0
        pytest.param([1, 0, 1, 0, 0, 0, 0, 0, 0, 0], 0.7, 0.5, 3, 3, id="two-includes"),
        # N=40, R=20: 19 includes (95%) first at record 19: WSS = 21/40 - (1 - 19/20) = 0.475;
        # first 4 records (10%) hold 4 includes: recall 0.2; the last include is record 40
        pytest.param([1] * 19 + [0] * 20 + [1], 0.475, 0.2, 19, 40, id="twenty-includes"),
        # the worst order: every include last; recall@10% 0
        pytest.param([0] * 18 + [1, 1], 0.0, 0.0, 20, 20, id="worst"),
    ],
)
def test_metrics_hand_cases(
    labels: list[int], wss: float, recall10: float, n95: int, n100: int
) -> None:
    metrics = screening_metrics(labels)
    assert metrics.wss_95 == pytest.approx(wss)
    assert metrics.recall_at_10 == pytest.approx(recall10)
    assert metrics.records_for_95 == n95
    assert metrics.records_for_100 == n100
    assert metrics.records == len(labels) and metrics.includes == sum(labels)


def test_records_for_recall_needs_includes() -> None:
    assert records_for_recall([0, 1, 0, 1], 0.5) == 2
    with pytest.raises(ValueError, match="no includes"):
        records_for_recall([0, 0], 0.95)


# ---- priors and the simulated order ----------------------------------------------------------
def test_priors_are_one_include_and_one_exclude_by_seed() -> None:
    labels = [0, 1, 0, 0, 1, 0, 1, 0, 0, 0]
    draws = {draw_priors(labels, seed) for seed in range(30)}
    assert all(labels[inc] == 1 and labels[exc] == 0 for inc, exc in draws)
    assert len(draws) > 3  # different seeds, different priors
    assert draw_priors(labels, 7) == draw_priors(labels, 7)


@pytest.mark.parametrize("batch", [1, 7, 50])
def test_order_lists_every_record_once_priors_first(batch: int) -> None:
    documents, labels = make_corpus(n=80, n_include=10, seed=2)
    result = simulate_screening(documents, labels, seed=3, batch_size=batch)
    assert sorted(result.order) == list(range(80))
    assert result.order[:2] == result.priors
    assert result.priors == draw_priors(labels, 3)
    assert result.query[:2] == ("prior", "prior")
    assert list(result.labels_in_order) == [labels[i] for i in result.order]
    assert result.seed == 3 and result.batch_size == batch and result.preset == "default"
    # 8 of the 10 synthetic includes use include words: they come early
    assert records_for_recall(result.labels_in_order, 0.8) <= 25


def test_same_seed_same_simulation_other_seed_other_priors() -> None:
    documents, labels = make_corpus(n=80, n_include=10, seed=2)
    first = simulate_screening(documents, labels, seed=5, batch_size=10)
    assert first == simulate_screening(documents, labels, seed=5, batch_size=10)
    others = {simulate_screening(documents, labels, seed=s, batch_size=10).priors for s in (6, 7)}
    assert others != {first.priors}


def test_stopping_outcome_is_consistent() -> None:
    documents, labels = make_corpus(n=150, n_include=25, seed=8)
    result = simulate_screening(documents, labels, seed=1, batch_size=10)
    stop = result.stopping
    assert stop.stopped_at <= 150
    if stop.switched_at is not None:
        assert stop.stopped_at == stop.switched_at + stop.random_sampled
        assert stop.recall_at_switch is not None
    assert stop.recall == pytest.approx(stop.includes_found / 25)
    assert stop.target_reached == (stop.recall >= 0.95)
    assert stop.work_saved == pytest.approx(1 - stop.stopped_at / 150)
    # the default rule's outcome is the one reported, every rule is measured beside it
    assert stop.rule == stopping_rules.DEFAULT_RULE
    assert [o.rule for o in result.rules] == list(stopping_rules.RULES)
    default = next(o for o in result.rules if o.rule == stop.rule)
    assert (default.stopped_at, default.recall) == (stop.stopped_at, stop.recall)
    # rules are checked at the end of each round of 10 records (after the 2 priors)
    assert result.round_ends[:3] == (12, 22, 32)


def test_another_stopping_rule_can_be_reported() -> None:
    documents, labels = make_corpus(n=150, n_include=25, seed=8)
    result = simulate_screening(documents, labels, seed=1, batch_size=10, stopping_rule="buscar")
    assert result.stopping.rule == "buscar"
    if result.stopping.switched_at is not None:
        assert result.stopping.random_sampled > 0
    with pytest.raises(InputError, match="unknown stopping rule"):
        simulate_screening(documents, labels, seed=1, stopping_rule="knee")


def test_smaller_first_rounds_double_up_to_the_batch_size() -> None:
    documents, labels = make_corpus(n=150, n_include=25, seed=8)
    preset = replace(get_preset("default"), name="small-first", first_batch=5)
    result = simulate_screening(documents, labels, preset=preset, seed=1, batch_size=20)
    # rounds of 5 (2 known), 7 (7 known), 14, then 20: they end at 7, 14, 28, 48, 68...;
    # the stopping rules are checked every 10 records at least, so not at 7
    assert result.round_ends[:5] == (14, 28, 48, 68, 88)
    assert result.query[2:7] == ("certainty",) * 5


def test_given_priors_must_be_include_then_exclude() -> None:
    documents, labels = make_corpus(n=40, n_include=5, seed=2)
    exclude = labels.index(0)
    include = labels.index(1)
    with pytest.raises(InputError, match="priors"):
        simulate_screening(documents, labels, seed=0, priors=(exclude, include))


# ---- bad input -------------------------------------------------------------------------------
def test_missing_label_column_names_file_and_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [{"title": "a", "abstract": "b", "included": 1}])
    with pytest.raises(InputError) as info:
        read_labelled_csv(path)
    message = str(info.value)
    assert str(path) in message and "'label_included'" in message and "included" in message


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        pytest.param([0, 0, 0], "no includes", id="no-includes"),
        pytest.param([1, 1], "no excludes", id="no-excludes"),
        pytest.param([0, 2, 1], r"line 3, column 'label_included': '2' is not a label", id="two"),
        pytest.param([0, "", 1], "line 3.*an empty cell", id="empty-cell"),
        pytest.param([0, "maybe", 1], "'maybe' is not a label", id="text"),
    ],
)
def test_bad_labels(tmp_path: Path, labels: list[object], message: str) -> None:
    rows = [{"title": f"t{i}", "abstract": "a", "label_included": v} for i, v in enumerate(labels)]
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError, match=message) as info:
        read_labelled_csv(path)
    assert str(path) in str(info.value)


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        read_labelled_csv(empty)
    header = tmp_path / "header.csv"
    header.write_text("title,abstract,label_included\n")
    with pytest.raises(InputError, match="no records"):
        read_labelled_csv(header)


def test_no_text_columns_and_repeated_ids(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "notext.csv", [{"name": "a", "label_included": 1}])
    with pytest.raises(InputError, match="'title' and/or an 'abstract'"):
        read_labelled_csv(path)
    rows = [
        {"record_id": "a", "title": "x", "label_included": 1},
        {"record_id": "a", "title": "y", "label_included": 0},
    ]
    with pytest.raises(InputError, match="'a' repeats line 2"):
        read_labelled_csv(write_csv(tmp_path / "dup.csv", rows))


def test_other_formats_point_to_import(tmp_path: Path) -> None:
    path = tmp_path / "export.ris"
    path.write_text("TY  - JOUR\nER  -\n")
    with pytest.raises(InputError, match="realist-review import"):
        read_dataset(path)


def test_ids_default_to_row_numbers(tmp_path: Path) -> None:
    rows = [{"title": "x", "abstract": "", "label_included": v} for v in (1, 0, 0)]
    data = read_labelled_csv(write_csv(tmp_path / "noid.csv", rows))
    assert data.record_ids == ("0", "1", "2")
    assert data.labels == (1, 0, 0) and data.n_includes == 1


# ---- the command line ------------------------------------------------------------------------
def test_cli_writes_order_meta_and_prints_figures(
    dataset_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "ORDER.csv"
    code = main(
        [
            "simulate",
            str(dataset_csv),
            "--output",
            str(out),
            "--seed",
            "2",
            "--batch-size",
            "10",
            "--label-column",
            "label_abstract_screening",
        ]
    )
    assert code == 0
    rows = read_table(out, "screen_order")
    assert [int(r["rank"]) for r in rows] == list(range(1, 91))
    assert len({r["record_id"] for r in rows}) == 90
    assert sum(r["is_prior"] == "1" for r in rows) == 2
    assert rows[0]["is_prior"] == rows[1]["is_prior"] == "1"
    assert {rows[0]["label"], rows[1]["label"]} == {"0", "1"}
    meta = json.loads(out.with_name("ORDER.meta.json").read_text())
    assert meta["settings"]["seed"] == 2 and meta["settings"]["batch_size"] == 10
    assert meta["label_column"] == "label_abstract_screening"
    # the keys independent checks read
    stop = meta["stopping"]
    assert {"recall", "recall_target", "work_saved"} <= set(stop)
    assert stop["recall_target"] == 0.95 and 0 <= stop["work_saved"] < 1
    assert stop["rule"] == stopping_rules.DEFAULT_RULE
    assert set(meta["stopping_rules"]) == set(stopping_rules.RULES)
    assert meta["stopping_rules"]["safe"]["advice_only"] is True
    assert meta["stopping_rules"]["buscar"]["advice_only"] is False
    printed = capsys.readouterr().out
    for needle in ("WSS@95", "recall after 10%", "95% recall", "100% recall", "stopping rule"):
        assert needle in printed
    assert f"WSS@95: {meta['metrics']['wss_95']:.3f}" in printed


def test_cli_reports_bad_input_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "x.csv", [{"title": "a", "abstract": "b", "label": 1}])
    code = main(["simulate", str(path), "--output", str(tmp_path / "o.csv")])
    assert code == 2
    err = capsys.readouterr().err
    assert "error:" in err and "label_included" in err and "Traceback" not in err


# ---- a real dataset --------------------------------------------------------------------------
@pytest.mark.shared
def test_cohen_adhd_simulation_is_sane(shared_data: Path) -> None:
    data = read_labelled_csv(shared_data / "screening" / "Cohen_2006_ADHD.csv")
    result = simulate_screening(data.documents, data.labels, seed=0, batch_size=50)
    assert sorted(result.order) == list(range(len(data.labels)))
    # random screening gives WSS@95 = 0 on average; ASReview 3 (elas_u4) gets about 0.54
    assert result.metrics.wss_95 > 0.35
    assert result.stopping.target_reached
