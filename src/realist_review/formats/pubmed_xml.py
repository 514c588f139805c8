"""PubMed XML saved from PubMed ("Save > Format: PubMed XML", ``<PubmedArticleSet>``).

The same XML the pipeline already reads from E-utilities ``efetch``: the articles are parsed
by :func:`realist_review.clients.pubmed.parse_article_set` (one parser for both), after the
file is parsed with ``defusedxml`` (an export file is untrusted: no entity expansion). The
records are tagged ``source = nbib``, the record table's kind for PubMed exports, and keyed
by the file's search like every file export (``source_id`` = the PMID).

Biopython's ``Bio.Entrez.read`` was measured against it (issue 11) and not used: on the
Biopython test files (9-44 KB) it took 2.6-40 ms per file against 0.9-1.7 ms here (record
building included), and it returns generic dictionaries that would still need this mapping.

Strict (:class:`~realist_review.errors.InputError`): XML that is not well-formed (with the
line and column), entity declarations, a root other than ``<PubmedArticleSet>``, no
articles with a PMID.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from realist_review.errors import InputError
from realist_review.formats.common import Group, RecordCollector
from realist_review.records import Record, Source


def _parse_xml(text: str, *, file_name: str) -> Element:
    try:
        return fromstring(text.lstrip("\ufeff \n\t"))
    except ParseError as exc:
        line, column = exc.position
        raise InputError(
            f"{file_name}: line {line}, column {column}: not well-formed XML "
            f"({str(exc).split(':')[0]}). Save the records from PubMed again (Save > "
            "Format: PubMed XML), or check the file was not cut short."
        ) from None
    except DefusedXmlException as exc:
        raise InputError(
            f"{file_name}: the XML declares entities ({type(exc).__name__}), which a PubMed "
            "file never does; refusing to expand them. Save the records from PubMed again."
        ) from None


def parse(text: str, *, search_id: str, file_name: str) -> list[Record]:
    """Parse a PubMed XML file into records (``source = nbib``; ``source_id`` = PMID)."""
    from realist_review.clients.pubmed import parse_article_set

    root = _parse_xml(text, file_name=file_name)
    if root.tag != "PubmedArticleSet":
        raise InputError(
            f"{file_name}: XML with root <{root.tag}> is not PubMed XML (expected "
            "<PubmedArticleSet>). Give the file's real format."
        )
    collector = RecordCollector(source=Source.NBIB, search_id=search_id, file_name=file_name)
    for number, parsed in enumerate(parse_article_set(root, search_id=search_id), start=1):
        # people come as "Family, Given"; a collective name (no comma) is a group
        authors = [name if "," in name else Group(name) for name in parsed.authors]
        collector.add(
            parsed.source_id,
            where=f"article {number}",
            title=parsed.title,
            abstract=parsed.abstract,
            authors=authors,
            year=parsed.year,
            journal=parsed.journal,
            volume=parsed.volume,
            issue=parsed.issue,
            pages=parsed.pages,
            doi=parsed.doi,
            pmid=parsed.pmid,
            pmcid=parsed.pmcid,
            issn=parsed.issn,
            isbn=parsed.isbn,
            language=parsed.language,
            publication_type=parsed.publication_type,
            keywords=parsed.keywords,
            mesh_terms=parsed.mesh_terms,
            publisher=parsed.publisher,
            url=parsed.url,
        )
    return collector.finish()
