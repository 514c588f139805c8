"""Document characteristics (RAMESES item 13): design, setting and population by stated rules."""

from __future__ import annotations

import pytest

from realist_review.cmo.characteristics import NOT_STATED, characteristics, characteristics_rows

CASES = [
    ("qualitative-england", "Staff views of trauma-informed care in children's homes in England",
     "We interviewed 20 residential care workers and analysed the interviews thematically.",
     "qualitative", ("England", "children's homes / residential care"),
     ("children and young people", "staff and carers")),
    ("trial-us", "A randomised controlled trial of coaching in group homes",
     "Youth in group homes in the United States were randomised.",
     "randomised controlled trial", ("United States", "children's homes / residential care"),
     ("children and young people",)),
    ("nothing-said", "Notes", "", NOT_STATED, (), ()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("title", "abstract", "design", "places", "people"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_rules_read_design_setting_population(
    title: str, abstract: str, design: str, places: tuple[str, ...], people: tuple[str, ...]
) -> None:
    row = characteristics({"record_id": "r", "title": title, "abstract": abstract, "year": ""},
                          "journal article")  # fmt: skip
    assert row["design"] == design
    assert row["setting"] == ("; ".join(places) or NOT_STATED)
    assert row["population"] == ("; ".join(people) or NOT_STATED)
    assert row["year"] == NOT_STATED


def test_only_documents_behind_confirmed_configurations_are_listed() -> None:
    records = [{"record_id": rid, "title": "A qualitative study", "abstract": "", "year": "2020"}
               for rid in ("b", "a", "c")]  # fmt: skip
    confirmed = [{"record_id": "b"}, {"record_id": "a"}, {"record_id": "b"}]
    rows = characteristics_rows(records, confirmed, {"a": "A (2020)"}, {"a": "report"})
    assert [(r["record_id"], r["configurations"]) for r in rows] == [("a", "1"), ("b", "2")]
    assert rows[0]["citation"] == "A (2020)" and rows[0]["source_type"] == "report"
