"""Reading JATS, BMC ``<art>`` and GROBID TEI; broken and metadata-only XML."""

from __future__ import annotations

from pathlib import Path

from realist_review.fulltext import Kind, Section, Status, read_document
from realist_review.fulltext.xml import read_xml

JATS = b"""<?xml version="1.0"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving DTD v1.1//EN" "x.dtd">
<article><front><article-meta><title-group><article-title>Realist test</article-title>
</title-group><abstract><sec><title>Background</title><p>Why we did it.</p></sec></abstract>
</article-meta></front>
<body>
<sec><label>1.</label><title>Introduction</title><p>Programmes work through mechanisms
(Pawson et al. 1997). Context matters.</p>
<fig id="f1"><label>Figure 1</label><caption><p>A programme theory.</p></caption></fig></sec>
<sec sec-type="methods"><title>Study design</title><p>We interviewed 12 staff.</p>
<sec><title>Analysis</title><p>Coded by two reviewers.</p>
<list><list-item><p>First item.</p></list-item></list></sec></sec>
<sec><title>Results and Discussion</title><p>Trust was the mechanism.</p>
<table-wrap><label>Table 1</label><caption><p>Codes.</p></caption><table><tr><td>cell</td></tr>
</table></table-wrap></sec>
</body>
<back><ack><title>Acknowledgements</title><p>We thank the staff.</p></ack>
<ref-list><title>References</title><ref><mixed-citation>Pawson R. Realistic Evaluation.
1997.</mixed-citation></ref><ref><mixed-citation>Wong G. RAMESES.</mixed-citation></ref>
</ref-list></back>
<sub-article><body><p>Referee report text.</p></body></sub-article>
</article>"""


def test_jats_sections_headings_floats_and_references() -> None:
    doc = read_xml(JATS, "jats")
    assert doc.status is Status.OK
    assert doc.title == "Realist test"
    assert doc.headings[:4] == (
        "1. Introduction",
        "Study design",
        "Analysis",
        "Results and Discussion",
    )
    body = [(p.section, p.heading, p.text) for p in doc.paragraphs if p.kind is Kind.BODY]
    assert body[0] == (Section.ABSTRACT, "Background", "Why we did it.")
    assert (
        Section.INTRODUCTION,
        "1. Introduction",
        "Programmes work through mechanisms (Pawson et al. 1997). Context matters.",
    ) in body
    assert (Section.METHODS, "Analysis", "Coded by two reviewers.") in body  # via sec-type
    assert (Section.METHODS, "Analysis", "First item.") in body
    assert (Section.RESULTS, "Results and Discussion", "Trust was the mechanism.") in body
    assert (Section.OTHER, "Acknowledgements", "We thank the staff.") in body
    assert not any("Referee" in text or "cell" in text for _, _, text in body)
    captions = [p.text for p in doc.paragraphs if p.kind is Kind.CAPTION]
    assert captions == ["A programme theory.", "Codes."]
    refs = [p for p in doc.paragraphs if p.kind is Kind.REFERENCE]
    assert [p.section for p in refs] == [Section.REFERENCES, Section.REFERENCES]
    intro = next(p for p in doc.paragraphs if p.section is Section.INTRODUCTION)
    assert [s.text for s in intro.sentences] == [
        "Programmes work through mechanisms (Pawson et al. 1997).",
        "Context matters.",
    ]
    assert all(s.page is None for p in doc.paragraphs for s in p.sentences)


BMC = b"""<art><fm><bibl><title><p>BMC test</p></title></bibl><abs><sec><st><p>Methods</p></st>
<p>Abstract methods.</p></sec></abs></fm><bdy><sec><st><p>Background</p></st><p>Smokers
<abbrgrp><abbr bid="B1">1</abbr></abbrgrp>.</p></sec><sec><st><p>Competing interests</p></st>
<p>None.</p></sec></bdy><bm><refgrp><bibl id="B1"><title><p>A review</p></title></bibl>
</refgrp></bm></art>"""


def test_bmc_article_xml() -> None:
    doc = read_xml(BMC, "bmc")
    assert doc.reader == "bmc"
    body = [(p.section, p.heading, p.text) for p in doc.paragraphs if p.kind is Kind.BODY]
    assert body == [
        (Section.ABSTRACT, "Methods", "Abstract methods."),
        (Section.INTRODUCTION, "Background", "Smokers 1."),
        (Section.OTHER, "Competing interests", "None."),
    ]
    assert [p.text for p in doc.paragraphs if p.kind is Kind.REFERENCE] == ["A review"]


TEI = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>
<title level="a" type="main">TEI test</title></titleStmt></fileDesc><profileDesc><abstract>
<div><p>Short abstract.</p></div></abstract></profileDesc></teiHeader><text><body>
<div><head n="1">Introduction</head><p>Intro text.</p></div>
<div><head n="2">Our Approach</head><p>Approach text.</p></div>
<div><head n="2.1">Details</head><p>Detail text.</p></div>
<div><head n="3">Discussion</head><p>Discussion text.</p></div></body>
<back><div type="references"><listBibl><biblStruct><analytic><title>Ref one</title></analytic>
</biblStruct></listBibl></div></back></text></TEI>"""


def test_grobid_tei() -> None:
    doc = read_xml(TEI, "tei")
    assert doc.reader == "tei"
    assert doc.title == "TEI test"
    body = [(p.section, p.heading) for p in doc.paragraphs if p.kind is Kind.BODY]
    assert body == [
        (Section.ABSTRACT, ""),
        (Section.INTRODUCTION, "1 Introduction"),
        (Section.OTHER, "2 Our Approach"),
        (Section.OTHER, "2.1 Details"),
        (Section.DISCUSSION, "3 Discussion"),
    ]
    assert [p.text for p in doc.paragraphs if p.kind is Kind.REFERENCE] == ["Ref one"]


def test_xml_that_does_not_parse_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "PMC1.jats.xml"
    path.write_bytes(JATS[:400])
    doc = read_document(path)
    assert doc.name == "PMC1"
    assert doc.status is Status.CORRUPT
    assert "does not parse" in doc.message


def test_metadata_only_jats_is_empty() -> None:
    # what PMC returns for an article that is not open access: front matter only
    xml = b"<article><front><article-meta><title-group><article-title>T</article-title>"
    xml += b"</title-group><abstract><p>Only the abstract.</p></abstract></article-meta>"
    xml += b"</front></article>"
    doc = read_xml(xml, "meta")
    assert doc.status is Status.EMPTY
    assert "metadata only" in doc.message


def test_other_xml_is_refused_and_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE article [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<article><body><sec><title>Intro</title><p>&x; text</p></sec></body></article>"
    ).encode()
    doc = read_xml(xxe, "xxe")
    assert "TOPSECRET" not in doc.text
    other = read_xml(b"<rss><channel/></rss>", "rss")
    assert other.status is Status.CORRUPT
    assert "<rss>" in other.message
