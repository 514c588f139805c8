"""Every real export in ../shared/data/formats and ../shared/data/corpus, the dedup benchmark
tables and the two EndNote XML libraries, checked against the counts their READMEs give.

Skipped cleanly when ../shared/data is absent (it is development data, not part of the
project). Nothing here copies a shared file into the repository.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from realist_review.errors import InputError
from realist_review.formats import load_export, read_export

pytestmark = pytest.mark.shared

NOT_EXPORTS = ("LICENSE", "README", "DESCRIPTION")

#: file under shared/data -> (format, records), or (format, error fragment) for a refused file
EXPECTED: dict[str, tuple[str, int | str]] = {
    # formats/README.md
    "formats/synthesisr/PubMed_example.txt": ("nbib", 3),
    "formats/synthesisr/WoS_txt_example.txt": ("wos", 4),
    "formats/synthesisr/WoS_ciw_example.ciw": ("wos", 5),
    "formats/synthesisr/Scopus_ris_example.ris": ("ris", 3),
    "formats/synthesisr/Scopus_bib_example.bib": ("bibtex", 3),
    "formats/synthesisr/Ovid_ris_example.ris": ("ris", 4),
    "formats/synthesisr/ASP_ris_example.ris": ("ris", 4),
    "formats/biopython_medline/pubmed_result1.txt": ("nbib", 1),
    "formats/biopython_medline/pubmed_result2.txt": ("nbib", 4),
    "formats/biopython_medline/pubmed_result3.txt": ("nbib", 1),
    "formats/rispy/example_wos.ris": ("wos", 2),  # WoS plain text despite the .ris name
    "formats/rispy/example_utf_chars.ris": ("ris", 1),
    "formats/rispy/example_bom.ris": ("ris", 1),
    "formats/rispy/example_empty_tag.ris": ("ris", 1),
    "formats/rispy/example_starting_newlines.ris": ("ris", 1),
    "formats/rispy/placeholder_content/example_full.ris": ("ris", 2),
    "formats/rispy/placeholder_content/example_extraneous_data.ris": ("ris", 2),
    "formats/rispy/placeholder_content/example_multiline.ris": ("ris", 3),
    # 58 rows, but 56 rows have one cell more than the 45-column header: every value after
    # the missing header name would land in the wrong column, so the file is refused
    "formats/litstudy/scopus.csv": ("csv", "56 of 58 rows have more cells than the header"),
    "formats/litstudy/ieee.csv": ("csv", 10),
    "formats/litstudy/springer.csv": ("csv", 18),
    "formats/litstudy/example.ris": ("ris", 25),
    "formats/asreview/embase.csv": ("csv", 6),
    "formats/asreview/ovid_psycinfo.ris": ("ris", 6),
    "formats/asreview/ovid_zotero.ris": ("ris", 6),
    "formats/asreview/proquest.ris": ("ris", 6),
    "formats/asreview/pubmed_endnote.txt": ("ris", 6),
    "formats/asreview/pubmed_zotero.ris": ("ris", 6),
    "formats/colrev/pubmed-chatbot.csv": ("csv", 6),
    # the README counts 2 real records; the third block is a table-of-contents entry, which
    # is still a record of the file and is kept
    "formats/colrev/enl_data.enl": ("refer", 3),
    "formats/colrev/placeholder_content/nbib_data.nbib": ("nbib", 1),
    "formats/colrev/placeholder_content/eric_nbib.nbib": ("nbib", 1),
    "formats/colrev/placeholder_content/ris_data.ris": ("ris", 2),
    "formats/colrev/placeholder_content/psycinfo_ris.ris": ("ris", 1),
    "formats/colrev/placeholder_content/web_of_science_bib.bib": ("bibtex", 2),
    "formats/colrev/placeholder_content/pubmed_csv.csv": ("csv", 1),
    # corpus/README.md
    "corpus/vembye_screen_benchmarks_foster_adoptive/included_on_title_abstract.ris": ("ris", 441),
    "corpus/vembye_screen_benchmarks_foster_adoptive/excluded_title_abstract.review.ris": (
        "ris",
        121,
    ),
    "corpus/vembye_screen_benchmarks_foster_adoptive/excluded_title_abstract.4.ris": ("ris", 895),
    "corpus/van_de_Schoot_2017_ptsd/schoot-lgmm-ptsd-included-1.ris": ("ris", 363),
    "corpus/van_de_Schoot_2017_ptsd/schoot-lgmm-ptsd-included-2.ris": ("ris", 38),
    "corpus/van_de_Schoot_2017_ptsd/schoot-lgmm-ptsd-included-3.ris": ("ris", 8),
    # dedup/README.md
    "dedup/neuroimaging/records_pre_merged.csv": ("csv", 3438),
    "dedup/haematology/records_pre_merged.csv": ("csv", 1415),
    "dedup/respiratory/records_pre_merged.csv": ("csv", 1988),
    "dedup/haematology/Haematology.xml": ("endnote_xml", 1415),
    "dedup/respiratory/Respiratory.xml": ("endnote_xml", 1988),
}
FOSTER = "corpus/vembye_screen_benchmarks_foster_adoptive"


def test_every_export_in_formats_and_corpus_is_checked(shared_data: Path) -> None:
    found = {
        path.relative_to(shared_data).as_posix()
        for folder in ("formats", "corpus")
        for path in (shared_data / folder).rglob("*")
        if path.is_file() and not path.name.startswith(NOT_EXPORTS) and path.suffix != ".json"
    }
    assert found <= set(EXPECTED), f"add expectations for {sorted(found - set(EXPECTED))}"


@pytest.mark.parametrize(("relative", "expected"), list(EXPECTED.items()), ids=list(EXPECTED))
def test_shared_file(shared_data: Path, relative: str, expected: tuple[str, int | str]) -> None:
    path = shared_data / relative
    if not path.is_file():
        pytest.skip(f"{relative} is not in this copy of the shared data")
    fmt, outcome = expected
    if isinstance(outcome, str):
        with pytest.raises(InputError) as info:
            load_export(path, search_id="shared")
        assert str(path) in str(info.value)
        assert outcome in str(info.value)
        return
    parsed = load_export(path, search_id="shared")
    assert parsed.format == fmt
    assert len(parsed.records) == outcome
    assert len({r.record_id for r in parsed.records}) == outcome


def test_foster_adoptive_corpus(shared_data: Path) -> None:
    """441 + 121 + 895 = 1,457 records, every one titled; EPPI's U1 ids unique across files."""
    files = {
        "included_on_title_abstract.ris": (441, 433, 152),
        "excluded_title_abstract.review.ris": (121, 121, 47),
        "excluded_title_abstract.4.ris": (895, 895, 307),
    }
    all_ids: list[str] = []
    for name, (count, with_abstract, with_doi_tag) in files.items():
        path = shared_data / FOSTER / name
        if not path.is_file():
            pytest.skip(f"{name} is absent")
        records = read_export(path, search_id="foster")
        u1 = [
            line[6:].strip() for line in path.read_text().splitlines() if line.startswith("U1  - ")
        ]
        assert len(records) == count
        assert [r.source_id for r in records] == u1  # the EPPI item id, in file order
        assert all(r.title for r in records)
        assert sum(bool(r.abstract) for r in records) == with_abstract
        # the README counts DO lines; DOIs also found in dx.doi.org links add a few more
        assert sum(bool(r.doi) for r in records) >= with_doi_tag
        assert not any("Copyright of" in r.abstract for r in records)
        all_ids += [r.source_id for r in records]
    assert len(all_ids) == 1457
    assert len(set(all_ids)) == 1457


def test_van_de_schoot_abstract_counts(shared_data: Path) -> None:
    folder = shared_data / "corpus" / "van_de_Schoot_2017_ptsd"
    for name, with_abstract in (("-1", 196), ("-2", 26), ("-3", 8)):
        path = folder / f"schoot-lgmm-ptsd-included{name}.ris"
        if not path.is_file():
            pytest.skip(f"{path.name} is absent")
        records = read_export(path, search_id="ptsd")
        assert sum(bool(r.abstract) for r in records) == with_abstract


@pytest.mark.parametrize("dataset", ["neuroimaging", "haematology", "respiratory"])
def test_benchmark_ids_are_the_source_ids(shared_data: Path, dataset: str) -> None:
    path = shared_data / "dedup" / dataset / "records_pre_merged.csv"
    if not path.is_file():
        pytest.skip(f"{dataset} is absent")
    with path.open(encoding="utf-8", newline="") as handle:
        ids = [row["ID"] for row in csv.DictReader(handle)]
    records = read_export(path, search_id=dataset)
    assert [r.source_id for r in records] == ids


def test_haematology_untitled_records_are_kept(shared_data: Path) -> None:
    path = shared_data / "dedup" / "haematology" / "records_pre_merged.csv"
    if not path.is_file():
        pytest.skip("haematology is absent")
    untitled = [r.source_id for r in read_export(path, search_id="h") if not r.title]
    assert untitled == ["id_0000002", "id_0001415"]


def test_same_paper_from_four_databases_agrees(shared_data: Path) -> None:
    """synthesisr holds one paper as exported by WoS (.txt, .ciw), Scopus RIS and BibTeX."""
    folder = shared_data / "formats" / "synthesisr"
    names = ["WoS_txt_example.txt", "WoS_ciw_example.ciw", "Scopus_ris_example.ris",
             "Scopus_bib_example.bib"]  # fmt: skip
    if not all((folder / n).is_file() for n in names):
        pytest.skip("synthesisr files are absent")
    found = []
    for name in names:
        match = [
            r for r in read_export(folder / name, search_id="x")
            if r.doi == "10.1080/20964129.2020.1722034"
        ]  # fmt: skip
        assert len(match) == 1, name
        found.append(match[0])
    assert {r.title.lower() for r in found} == {
        "soil fauna diversity at different stages of reed restoration in a lakeshore wetland "
        "at lake taihu, china"
    }
    assert {r.year for r in found} == {2020}
    assert {r.volume for r in found} == {"6"}
    assert {r.authors[0].split(",")[0] for r in found} == {"Li"}
