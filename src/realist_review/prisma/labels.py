"""The words of the PRISMA 2020 flow diagram, shared by the diagram and the template CSV.

PRISMA 2020 says *records* before screening and *reports* from retrieval on. Realist reviews
often draw on policy documents and grey literature and say *documents* throughout
(RAMESES item 12, "document flow diagram"): ``wording: documents`` in the config.
"""

from __future__ import annotations

from dataclasses import dataclass

from realist_review.errors import InputError

__all__ = ["WORDINGS", "Wording", "format_n", "get_wording"]


@dataclass(frozen=True)
class Wording:
    """Nouns for what flows through the diagram, and the labels built from them."""

    name: str
    record: str
    records: str
    report: str
    reports: str
    #: The team stopped screening before the stopping rule's target (``screening.stop_reason``).
    stopped_early: bool = False

    @property
    def records_cap(self) -> str:
        """``records`` with a capital letter."""
        return self.records[:1].upper() + self.records[1:]

    @property
    def reports_cap(self) -> str:
        """``reports`` with a capital letter."""
        return self.reports[:1].upper() + self.reports[1:]

    # box labels ------------------------------------------------------------------------------
    def label(self, key: str) -> str:
        """The label of box or line ``key``; a ``KeyError`` names an unknown key."""
        r, rep = self.records_cap, self.reports_cap
        labels = {
            "header_dbr": "Identification of new studies via databases and registers",
            "header_other": "Identification of new studies via other methods",
            "identified_from": f"{r} identified from:",
            "databases": "Databases",
            "registers": "Registers",
            "websites": "Websites",
            "organisations": "Organisations",
            "citation_searching": "Citation searching",
            "other": "Other sources",
            "removed_before": f"{r} removed before screening:",
            "duplicates": f"Duplicate {self.records} removed",
            "excluded_automatic": f"{r} marked as ineligible by automation tools",
            "excluded_other": f"{r} removed for other reasons",
            "screened": f"{r} screened",
            "excluded": f"{r} excluded",
            "excluded_human": "by reviewers",
            "excluded_automation": (
                "by automation tools (stopped by the team before the stopping rule's target)"
                if self.stopped_early
                else "by automation tools (stopping rule)"
            ),
            "sought": f"{rep} sought for retrieval",
            "not_retrieved": f"{rep} not retrieved",
            "assessed": f"{rep} assessed for eligibility",
            "reports_excluded": f"{rep} excluded",
            "new_studies": "Studies included in review",
            "new_reports": f"{rep} of included studies",
            "total_studies": "Total studies included in review",
            "total_reports": f"{rep} of total included studies",
            "previous_studies": "Studies included in previous version of review",
            "previous_reports": f"{rep} of studies included in previous version of review",
            "identification": "Identification",
            "screening": "Screening",
            "included": "Included",
        }
        return labels[key]


WORDINGS: dict[str, Wording] = {
    "records": Wording("records", "record", "records", "report", "reports"),
    "documents": Wording("documents", "document", "documents", "document", "documents"),
}


def get_wording(name: str) -> Wording:
    """The wording called ``name`` (``records`` or ``documents``)."""
    try:
        return WORDINGS[name]
    except KeyError:
        raise InputError(
            f"prisma wording {name!r} is not one of {', '.join(sorted(WORDINGS))}"
        ) from None


def format_n(n: int | None) -> str:
    """``(n = 1,234)``, or ``(pending)`` for a count that does not exist yet."""
    return "(pending)" if n is None else f"(n = {n:,})"
