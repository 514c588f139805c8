"""The demo's full-text answers (fictional): saved source responses and the team's own files.

The demo review runs offline, so its full texts come from a saved snapshot of what the sources
would have answered, written here in each source's format for the demo's forwarded records
(status ``included``/``maybe`` after the demo team's screening), plus a few files "the team
saved" under ``config/fulltext/``. Every case the retrieval stage handles appears at least
once: open-access JATS, metadata-only JATS, an Unpaywall PDF, an HTML challenge served as a PDF
(then OpenAlex's copy), a 403, DOIs without an open copy or unknown, files named by DOI (``_``
and ``%2F``) or record id, a PDF matched only by its title (to confirm) and a file that matches
nothing. Same inputs, same bytes (fixed ``fetched_at``)::

    python -m tools.demo.fulltext --status results/screen/status.csv \\
        --records results/dedup/records.csv --snapshot config/demo-fulltext/snapshot \\
        --local config/fulltext
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from realist_review.clients import europepmc_fulltext, oa_download, openalex_oa, unpaywall
from realist_review.config import load_config
from realist_review.retrieval.archive import ArchiveFolder, Exchange, public_request
from realist_review.retrieval.model import Target
from realist_review.retrieval.stage import fulltext_client_settings, load_targets
from realist_review.tables import read_table, write_atomic

FETCHED_AT = "2026-11-20T09:00:00Z"
DEMO_HOST = "https://repository.example.org/demo"
README = """# FICTIONAL DEMO DATA: saved full-text answers

What Europe PMC, Unpaywall, OpenAlex and open-access hosts would have answered for the demo's
forwarded records, replayed by `fulltext.mode: snapshot`. None of these works exist. Rebuild
with `python -m tools.demo.fulltext` (see tools/demo/fulltext.py).
"""
LOCAL_README = """# Full texts the team saved

Put PDFs (or JATS XML) of records included or "maybe" at title/abstract here, named by the
record id (`rec-0123456789ab.pdf`), the DOI with `/` written as `_` or `%2F`
(`10.1186_s12913-020-0001-x.pdf`) or the PMID (`PMID31234567.pdf`). Other PDFs are matched by
the title and first author on their first page and wait for a person's `yes` on
`results/fulltext/confirm_matches.xlsx` (save the filled sheet under `confirmations/`).
Files that match no record or two records are listed in `results/fulltext/needs_attention.csv`.

The PDFs here now are FICTIONAL DEMO DATA (`demo-*` in their names or metadata).
"""


def _pdf_string(text: str) -> str:
    safe = text.encode("latin-1", "replace").decode("latin-1")
    return "(" + safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def simple_pdf(lines: Sequence[str], *, title: str = "") -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (Helvetica 11 pt), optionally a Title."""
    content = (
        "BT /F1 11 Tf 72 760 Td 14 TL "
        + " ".join(f"{_pdf_string(line)} Tj T*" for line in lines)
        + " ET"
    )
    info = (
        f"<< /Title {_pdf_string(title)} /Producer (realist-review demo) >>" if title else "<< >>"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}\nendstream",
        info,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def _wrap(text: str, width: int = 85) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def article_pdf(target: Target) -> bytes:
    """A first page as a journal prints it: running head, title, authors, abstract."""
    authors = target.row.get("authors", "").replace(";", ",")
    lines = [
        f"Demo Journal of Residential Care ({target.year or 'n.d.'})  FICTIONAL DEMO DATA",
        "",
        *_wrap(target.title, 70),
        authors,
        "",
        "Abstract",
        *_wrap(target.row.get("abstract", "") or "No abstract.")[:30],
    ]
    return simple_pdf(lines, title=f"demo: {target.title}")


def jats(target: Target, *, body: bool) -> bytes:
    """Europe PMC's JATS for a demo record (``body=False``: front matter only)."""
    ids = f'<article-id pub-id-type="pmcid">{escape(target.pmcid)}</article-id>'
    if target.doi:
        ids += f'<article-id pub-id-type="doi">{escape(target.doi)}</article-id>'
    abstract = escape(target.row.get("abstract", ""))
    sections = ""
    if body:
        paragraphs = {
            "Introduction": "Residential children's homes care for young people who have often "
            "experienced trauma. " + abstract,
            "Methods": "This fictional demo study combined interviews with staff and managers "
            "with a review of the homes' supervision records.",
            "Results": "Staff described how trauma-informed supervision helped them make sense "
            "of behaviour as communication, when managers protected time for reflection.",
            "Discussion": "The mechanisms depended on organisational support and stable teams.",
        }
        sections = (
            "<body>"
            + "".join(
                f'<sec sec-type="{name.lower()}"><title>{name}</title><p>{escape(text)}</p></sec>'
                for name, text in paragraphs.items()
            )
            + "</body>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange '
        'DTD v1.2 20190208//EN" "JATS-archivearticle1.dtd">\n'
        '<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article">'
        f"<front><article-meta>{ids}<title-group><article-title>{escape(target.title)}"
        f"</article-title></title-group><abstract><p>{abstract}</p></abstract></article-meta>"
        f"</front>{sections}</article>\n"
    ).encode()


def _save(
    root: Path,
    source: str,
    target: Target,
    request: str,
    status: int,
    body: bytes,
    content_type: str,
) -> None:
    folder = ArchiveFolder(
        root / source / target.record_id, source=source, record_id=target.record_id
    )
    folder.add(
        Exchange(
            request,
            status,
            body=body,
            content_type=content_type,
            message="" if status < 400 else f"HTTP {status}",
        ),
        fetched_at=FETCHED_AT,
    )


def _request(request: Any) -> str:
    return public_request(request.url, request.params)


def _unpaywall_body(doi: str, urls: Sequence[str]) -> bytes:
    locations = [
        {
            "url_for_pdf": url,
            "url": url,
            "host_type": "repository",
            "version": "publishedVersion",
            "license": "cc-by",
        }
        for url in urls
    ]
    data = {
        "doi": doi,
        "is_oa": bool(urls),
        "oa_status": "green" if urls else "closed",
        "best_oa_location": locations[0] if locations else None,
        "oa_locations": locations,
    }
    return json.dumps(data, indent=1, sort_keys=True).encode()


def _openalex_body(doi: str, urls: Sequence[str]) -> bytes:
    locations = [
        {
            "is_oa": True,
            "pdf_url": url,
            "landing_page_url": url,
            "source": {"type": "repository"},
            "version": "publishedVersion",
        }
        for url in urls
    ]
    data = {
        "id": "https://openalex.org/W0",
        "doi": f"https://doi.org/{doi}",
        "open_access": {"is_oa": bool(urls)},
        "best_oa_location": locations[0] if locations else None,
        "locations": locations,
    }
    return json.dumps(data, indent=1, sort_keys=True).encode()


CHALLENGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<p>Checking your browser before accessing the site (fictional demo page).</p></body></html>"
)


def build(
    targets: Sequence[Target], *, snapshot: Path, local: Path, settings: Mapping[str, Any]
) -> dict[str, int]:
    """Write the snapshot and the team's files for ``targets``; return counts per case."""
    if snapshot.exists():
        shutil.rmtree(snapshot)
    snapshot.mkdir(parents=True)
    write_atomic(snapshot / "README.md", README.encode())
    counts: dict[str, int] = {}
    with_pmcid = [t for t in targets if t.pmcid]
    by_doi = [t for t in targets if t.doi and not t.pmcid]
    for number, target in enumerate(with_pmcid):
        open_ = number % 3 != 2
        request = _request(europepmc_fulltext.fulltext_request(settings, target.pmcid))
        _save(
            snapshot,
            "europepmc",
            target,
            request,
            200,
            jats(target, body=open_),
            "application/xml;charset=UTF-8",
        )
        case = "jats" if open_ else "jats_metadata_only"
        counts[case] = counts.get(case, 0) + 1
        if not open_ and target.doi:
            by_doi.append(target)
    cases = [
        "unpaywall_pdf",
        "challenge_then_openalex",
        "refused",
        "closed",
        "unpaywall_pdf",
        "unknown",
        "local",
    ]
    local_targets = []
    for number, target in enumerate(sorted(by_doi, key=lambda t: t.record_id)):
        case = cases[number % len(cases)]
        counts[case] = counts.get(case, 0) + 1
        doi = target.doi
        up = _request(unpaywall.lookup_request(settings, doi, replay=True))
        oa = _request(openalex_oa.lookup_request(settings, doi))
        pdf_url = f"{DEMO_HOST}/{target.record_id}.pdf"
        if case == "local":  # no open copy: the team saved the file (under config/fulltext/)
            local_targets.append(target)
            case = "closed"
        if case == "unpaywall_pdf":
            _save(
                snapshot,
                "unpaywall",
                target,
                up,
                200,
                _unpaywall_body(doi, [pdf_url]),
                "application/json",
            )
            _save(
                snapshot,
                "download",
                target,
                _request(oa_download.download_request(pdf_url)),
                200,
                article_pdf(target),
                "application/pdf",
            )
        elif case == "challenge_then_openalex":
            trap = f"https://publisher.example.org/doi/pdf/{doi}"
            _save(
                snapshot,
                "unpaywall",
                target,
                up,
                200,
                _unpaywall_body(doi, [trap]),
                "application/json",
            )
            _save(
                snapshot,
                "download",
                target,
                _request(oa_download.download_request(trap)),
                200,
                CHALLENGE,
                "application/pdf",
            )
            _save(
                snapshot,
                "openalex",
                target,
                oa,
                200,
                _openalex_body(doi, [pdf_url]),
                "application/json",
            )
            _save(
                snapshot,
                "download",
                target,
                _request(oa_download.download_request(pdf_url)),
                200,
                article_pdf(target),
                "application/pdf",
            )
        elif case == "refused":
            locked = f"https://publisher.example.org/doi/pdf/{doi}"
            _save(
                snapshot,
                "unpaywall",
                target,
                up,
                200,
                _unpaywall_body(doi, [locked]),
                "application/json",
            )
            _save(
                snapshot,
                "download",
                target,
                _request(oa_download.download_request(locked)),
                403,
                b"",
                "text/html",
            )
            _save(
                snapshot,
                "openalex",
                target,
                oa,
                200,
                _openalex_body(doi, [locked]),
                "application/json",
            )
        elif case == "closed":
            _save(
                snapshot, "unpaywall", target, up, 200, _unpaywall_body(doi, []), "application/json"
            )
            _save(
                snapshot, "openalex", target, oa, 200, _openalex_body(doi, []), "application/json"
            )
        else:  # unknown to both
            _save(snapshot, "unpaywall", target, up, 404, b"", "application/json")
            _save(snapshot, "openalex", target, oa, 404, b"", "application/json")
    _write_local(local, local_targets, targets)
    return counts


def _write_local(local: Path, chosen: Sequence[Target], targets: Sequence[Target]) -> None:
    """The team's files: by DOI (``_``, ``%2F``), by record id, by title only, and a stray."""
    local.mkdir(parents=True, exist_ok=True)
    for old in local.glob("demo-*"):
        old.unlink()
    write_atomic(local / "README.md", LOCAL_README.encode())
    no_ids = [t for t in targets if not t.doi and not t.pmcid and not t.pmid and len(t.title) > 20]
    for number, target in enumerate(chosen):
        if number % 3 == 0:
            name = f"demo-{target.doi.replace('/', '_')}.pdf"
        elif number % 3 == 1:
            name = f"demo-{target.doi.replace('/', '%2F')}.pdf"
        else:
            name = f"demo-{target.record_id}.pdf"
        write_atomic(local / name, article_pdf(target))
    if no_ids:  # a PDF without an identifier in its name: matched by its title, to confirm
        write_atomic(local / "demo-download-1.pdf", article_pdf(no_ids[0]))
    stray = simple_pdf(["FICTIONAL DEMO DATA", "Minutes of the staff meeting, 3 March"])
    write_atomic(local / "demo-staff-meeting-minutes.pdf", stray)


def main(argv: Sequence[str] | None = None) -> int:
    """Rebuild the demo's full-text snapshot and files from a run's status and records."""
    parser = argparse.ArgumentParser(prog="python -m tools.demo.fulltext")
    parser.add_argument("--config", type=Path, default=Path("config/config.yaml"))
    parser.add_argument("--status", type=Path, default=Path("results/screen/status.csv"))
    parser.add_argument("--records", type=Path, default=Path("results/dedup/records.csv"))
    parser.add_argument("--snapshot", type=Path, default=Path("config/demo-fulltext/snapshot"))
    parser.add_argument("--local", type=Path, default=Path("config/fulltext"))
    args = parser.parse_args(argv)
    targets = load_targets(
        read_table(args.status, "screen_status"), read_table(args.records, "merged_record")
    )
    counts = build(
        targets,
        snapshot=args.snapshot,
        local=args.local,
        settings=fulltext_client_settings(load_config(args.config)),
    )
    print(", ".join(f"{case}: {n}" for case, n in sorted(counts.items())))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
