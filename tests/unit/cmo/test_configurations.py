"""Linking roles into candidate configurations."""

from __future__ import annotations

from realist_review.cmo.configurations import (
    RoledSentence,
    connective_in,
    link_configurations,
    terms,
)


def s(index: int, text: str, roles: str, paragraph: int = 0, p_m: float = 0.0) -> RoledSentence:
    return RoledSentence(index, paragraph, text, "C" in roles, "M" in roles, "O" in roles, p_m)


def test_within_sentence_with_connective() -> None:
    cands = link_configurations(
        [s(0, "Stress fell because the course taught carers to reflect.", "MO")]
    )
    assert (cands[0].evidence, cands[0].link, cands[0].connective) == ((0,), "sentence", "because")
    assert cands[0].explicit


def test_adjacent_needs_a_connective_or_shared_terms() -> None:
    linked = link_configurations(
        [
            s(0, "Carers attended weekly sessions on attachment parenting.", "M"),
            s(1, "As a result, attachment security of the infants rose.", "O"),
        ]
    )
    assert any(c.link == "adjacent" and c.evidence == (0, 1) for c in linked)
    unlinked = link_configurations(
        [s(0, "Weekly sessions were held.", "M"), s(1, "Reading scores rose.", "O")]
    )
    assert not any(c.link == "adjacent" for c in unlinked)


def test_paragraph_chain_and_variants() -> None:
    sentences = [
        s(0, "Children in care often have trauma histories.", "C"),
        s(1, "Staff had eight training sessions.", "M"),
        s(2, "Forty homes took part.", "C"),
        s(3, "Placement breakdowns fell.", "O"),
    ]
    evidences = {c.evidence for c in link_configurations(sentences)}
    assert (0, 1, 2, 3) in evidences  # the whole chain
    assert (1, 3) in evidences  # without context
    assert (1, 2, 3) in evidences  # context from the first resource sentence on


def test_paragraphs_are_not_mixed() -> None:
    cands = link_configurations([s(0, "Training was given.", "M", 0), s(1, "Stress fell.", "O", 1)])
    assert cands == []


def test_subgroup_candidates() -> None:
    sentences = [
        s(0, "The programme offered weekly mentoring.", "M"),
        s(1, "Girls showed fewer symptoms.", "CO"),
        s(2, "Boys with high risk did not improve.", "CO"),
    ]
    cands = link_configurations(sentences)
    assert {c.evidence for c in cands if c.link == "subgroup"} == {(0, 1), (0, 2)}
    # all subgroups together equal the paragraph chain here, which is kept once
    assert [c.link for c in cands if c.evidence == (0, 1, 2)] == ["paragraph"]


def test_outcome_required_and_resource_borrowed() -> None:
    assert link_configurations([s(0, "Training was given.", "M")]) == []
    no_resource = [s(0, "This trial tested PCIT.", "", p_m=0.1), s(1, "Stress fell.", "O")]
    assert link_configurations(no_resource) == []  # below the floor: nothing to borrow
    borrowed = [s(0, "This trial tested PCIT.", "", p_m=0.3), s(1, "Stress fell.", "O")]
    assert {c.evidence for c in link_configurations(borrowed)} == {(0, 1)}


def test_deterministic_and_deduplicated() -> None:
    sentences = [s(0, "Coaching was delivered online.", "M"), s(1, "Confidence rose.", "O")]
    first = link_configurations(sentences)
    assert first == link_configurations(list(reversed(sentences)))
    assert len({c.evidence for c in first}) == len(first)


def test_terms_and_connectives() -> None:
    assert "attach" in terms("Attachment security improved")
    assert "children" not in " ".join(terms("children parents"))
    assert connective_in("Gains were mediated by trust") == "mediated"
    assert connective_in("Nothing links here") == ""
    assert connective_in("Behaviour was rated by teachers") == ""
    assert connective_in("Stress fell by offering respite") == "by offering"
