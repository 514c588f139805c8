"""The label-free role scorer: cue lexicons, patterns and section priors.

Each sentence is matched against groups of cues (settings and populations, intervention
content and delivery, participants' responses, results and change language, study-design
language that carries no role, study aims). A role's score is a logistic function of a
bias, the weighted cue groups that fire, and a prior for the sentence's section (methods carry
context, results carry outcomes, background and discussion carry mechanisms). The weights
were written from the annotation guidelines and the realist-review literature, not fitted;
the trained model (:mod:`realist_review.cmo.model`) learns its own from confirmed labels and
uses these cue groups as features.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

ROLES: tuple[str, ...] = ("context", "mechanism", "outcome")

_W = r"(?:\w+[ -]){0,3}"  # up to three words in between

#: cue group -> pattern (case-insensitive). Groups are features; weights below give roles.
CUE_PATTERNS: dict[str, str] = {
    # --- context: who, where, under what conditions
    "age": r"\b(?:aged?|ages)\s+\d|\b\d+\s*(?:-|–|to)\s*\d+\s*(?:years?|yrs?|months?|mos)\b"
    r"|\b(?:infants?|toddlers?|preschool\w*|adolescen\w+|teens?|school-?age\w*|"
    r"preadolescen\w+|young children|newborns?|babies|latency)\b",
    "history": r"\b(?:maltreat\w*|abuse[ds]?|neglect\w*|trauma\w*|institutionali[sz]\w*|"
    r"orphanages?|deprivation|adverse|adversit\w+|removed|removal|sexually abused|"
    r"substance[- ]abus\w+|post-?conflict|poverty|low-income|homeless\w*|at[- ]risk|"
    r"high[- ]risk|vulnerab\w+|disrupt\w+|special[- ]needs)\b",
    "care_type": r"\b(?:foster(?:ed|ing)?|adopt\w+|kinship|looked[- ]after|out-of-home|"
    r"in care|residential|group homes?|guardianship|permanen\w+|placements?|"
    r"child welfare|reunifi\w+|relative care|care leavers?|leaving care)\b",
    "setting": r"\b(?:count(?:y|ies)|countr(?:y|ies)|region\w*|rural|urban|agenc(?:y|ies)|"
    r"district|state-supported|community|communities|nationwide|national|city|"
    r"clinics?|schools?|centers?|centres?|municipal\w*)\b",
    "place": r"\b(?:U\.?S\.?A?|UK|England|Scotland|Wales|Ireland|Australia\w*|Canad\w+|"
    r"Norw\w+|Swed\w+|Denmark|Danish|Dutch|Netherlands|Belgi\w+|Flemish|German\w*|"
    r"Spain|Spanish|Portug\w+|Ital\w+|Romania\w*|Bucharest|Russia\w*|Israel\w*|Chin\w+|"
    r"Japan\w*|Liberia\w*|Ethiopia\w*|Peru\w*|Lima|Brazil\w*|Chile\w*|Finland|Finnish|"
    r"Oregon|California|Illinois|Maryland|Tennessee|Colorado|Texas|New York|"
    r"San Diego|Queensland|Georgia|European|African|American|Latin\w*)\b",
    "sample": r"\b(?:participants?|sample|n\s*=\s*\d+|N\s*=\s*\d+|\d+\s+(?:children|youths?|"
    r"families|foster|adoptive|parents|carers|caregivers|mothers|fathers|dyads|"
    r"adolescents|infants|young people|girls|boys|social workers|practitioners)|"
    r"consisted of|were recruited|recruited from|enrolled|respondents|interviewed|"
    r"surveyed|dyads)\b",
    "condition": r"\b(?:high rates?|prevalence|at (?:greater |high |increased )?risk|"
    r"difficult(?:y|ies)|problems? (?:are|is) common|lack of|paucity|shortage|"
    r"untrained|needs?\b|challeng\w+|struggl\w+|overrepresent\w+|experience[ds]?)\b",
    "policy": r"\b(?:polic(?:y|ies)|law|legislat\w+|federal|mandat\w+|government\w*|"
    r"guidance|guidelines?|NICE|DfE|statut\w+|act\b|court\w*|ministry|initiative\w*|"
    r"partnership\w*)\b",
    "moderator": r"\b(?:moderat\w+|subgroups?|girls?|boys?|males?|females?|gender|"
    r"among (?:children|those|youth|participants|caregivers|parents)|for those|"
    r"depend(?:ed|s|ing)? on|differ(?:ed|ent)? (?:by|across|between)|"
    r"(?:higher|lower|low|high|moderate)(?: levels of)? risk|"
    r"with (?:higher|lower|more|fewer|less)|younger|older|age at)\b",
    # --- mechanism: resource (what the programme offers) and response (how people react)
    "intervention": r"\b(?:interventions?|programs?|programmes?|training|trained|therap\w+|"
    r"treatments?|services?|curricul\w+|workshops?|courses?|model|approach\w*|"
    r"psychotherap\w+|mentoring|coaching|consultation|supervision|counsel+ing|"
    r"support(?:s|ed)?|care arrangements?|case management)\b",
    "content": r"\b(?:sessions?|weekly|modules?|components?|consist\w*|comprising|combin\w+|"
    r"deliver\w*|home[- ]visit\w*|home-based|in-home|group-based|group format|"
    r"groups? (?:intervention|program|programme|sessions?)|online|tele-?\w*|video|"
    r"peer|manuali[sz]ed|booster|role[- ]plays?|vignettes|psycho-?education\w*|"
    r"skills?|strateg(?:y|ies)|techniques?|activit(?:y|ies)|play|curriculum|"
    r"attachment-(?:based|focused|oriented)|trauma-(?:informed|focused|aware)|"
    r"mentali[sz]ation|reflective|relationship-based|strengths?-based|evidence-based|"
    r"cognitive[- ]behavio\w+|social learning|behaviou?ral(?:ly)? (?:focused|management)|"
    r"parenting (?:practices|skills|strategies)|reinforcement|discipline|sensitiv\w+ respond\w+|"
    r"feedback|hours?|days? of|months? of|\d+-(?:week|session|hour|month)|"
    r"designed to|aims? to|intended to|focus(?:es|ed)? on|targets?|targeting|"
    r"teach\w*|learn\w*|help(?:s|ed|ing)? (?:foster|parents|carers|children|families|mothers)|"
    r"assist\w*|advoca\w+|respite|tutoring|recommend\w*|should)\b",
    "response": r"\b(?:understand\w*|insight\w*|reflective functioning|mentali[sz]\w+|"
    r"confiden\w+|trust\w*|felt safe|safety|secur(?:e|ity)|engag\w+|empower\w*|"
    r"self-efficacy|efficacy beliefs|motivat\w+|acceptance|commit\w+|attun\w+|"
    r"containment|perceived|felt|feel(?:s|ing)?|experienc(?:e|ed) of|awareness|"
    r"state of mind|representations?|attitudes?|beliefs?)\b",
    "pathway": r"\b(?:through|by means of|via|mediat\w+|mechanisms?|pathways?|because|"
    r"in turn|as a result|leads? to|led to|lead(?:s|ing)? to|so that|thereby|thus|"
    r"explain\w*|contribut\w+ to|by (?:\w+ing)|in ways that|which (?:helps?|allows?|enables?)|"
    r"allow(?:s|ed|ing)? (?:them|parents|carers|children)|enabl\w+|promot\w+|"
    r"foster(?:s|ed)? (?:a |an |the |greater |more |positive )|facilitat\w+|buffer\w*)\b",
    "caregiving": r"\b(?:foster (?:care|family|home|placement)|family care|family placements?|"
    r"high-quality (?:foster )?care|caregiving|institutional care|placement in|placed (?:in|with)|"
    r"care as usual|day care|respite care|parenting (?:style|practices)|warm\w*|responsive\w*|"
    r"sensitive\w*|secure base)\b",
    # --- outcome: results, change, effects
    "goal": r"\b(?:designed|intended|aim(?:s|ed)?|developed|goal (?:is|was)|meant) to "
    r"(?:help \w+ )?(?:\w+ )?(?:improve|enhance|reduce|increase|promote|prevent|normali[sz]e|"
    r"strengthen|decrease|build|foster)\b",
    "change": r"\b(?:improv\w+|reduc\w+|decreas\w+|increas\w+|declin\w+|gains?|gained|"
    r"fewer|lower|higher|greater|better|worse|stronger|enhanc\w+|strengthen\w+|"
    r"deteriorat\w+|maintain\w*|sustained|prevent\w*|less likely|more likely|"
    r"changes? in|change (?:over|from)|benefits?|benefit(?:ed|ted)|harm\w*|poorer|"
    r"differences? (?:were|was) (?:found|observed)|group differences|acceptable|"
    r"was established|were established|more mature|less responsive)\b",
    "effect": r"\b(?:effects?|effective\w*|efficac\w+|impact\w*|outcomes?|results? (?:showed|"
    r"indicated|revealed|suggest\w*|confirm\w*|support\w*)|significant\w*|"
    r"p\s*[<=>]\s*\.?\d|effect sizes?|cohen|no (?:significant )?differences?|"
    r"did not (?:differ|change|improve)|not significant\w*|were found|was found|"
    r"associated with|predict\w*|related to|correlat\w+)\b",
    "domain": r"\b(?:behaviou?r(?:al)? problems?|externali[sz]\w+|internali[sz]\w+|"
    r"symptoms?|stress|distress|well-?being|mental health|attachment|placement stability|"
    r"stability|disruptions?|breakdown|reunification|adoption rates?|permanency|"
    r"satisfaction|acceptab\w+|retention|attrition|adherence|attendance|feasib\w+|"
    r"self-esteem|self-regulation|regulation|cortisol|executive function\w*|"
    r"cognitive (?:flexibility|development|outcomes?)|development\w*|adjustment|"
    r"functioning|sensitivity|parenting (?:stress|skills|practices|behaviou?rs?)|"
    r"relationship quality|interactions?|aggression|delinquen\w+|school|academic|"
    r"educational|social competence|prosocial|conduct)\b",
    "result_verb": r"\b(?:showed|shown|show|demonstrated|revealed|indicated|found|reported|"
    r"exhibited|displayed|experienced|achieved|yielded|resulted|led to|produced|"
    r"proved|evidenced|observed|were (?:more|less)|was (?:more|less))\b",
    # --- no role: design, measures, analysis, outlines, future research
    "design": r"\b(?:randomi[sz]ed|random(?:ly)? (?:assigned|allocated)|allocat\w+|"
    r"design(?:ed)? (?:was|is)|quasi-experimental|pre-?post|pre- and post|"
    r"controlled trial|wait-?list|waiting list|control (?:group|condition)|"
    r"care as usual|services as usual|treatment as usual|comparison group|"
    r"longitudinal|cross-sectional|follow-?up)\b",
    "measure": r"\b(?:measured|measures?|assessed|assessments?|questionnaires?|scales?|"
    r"inventor(?:y|ies)|checklist|CBCL|SDQ|interview\w*|coded|recorded|surveys?|"
    r"data (?:were|was)|collected|administered|instruments?|index|self-report\w*)\b",
    "analysis": r"\b(?:analy[sz]\w+|regression|ANOVA|ANCOVA|models? (?:was|were)|"
    r"multilevel|mixed-model|latent|propensity|estimated|tested|t-tests?|chi-square|"
    r"statistical\w*|intent(?:ion)?-to-treat|per protocol|thematic|phenomenolog\w+|"
    r"grounded theory|reliabil\w+|psychometric|validity)\b",
    "aim": r"\b(?:aims?|aimed|objectives?|purpose|goal of (?:this|the) (?:study|research|paper)|"
    r"(?:this|the present|the current) (?:study|article|paper|chapter|research|trial) "
    r"(?:examine[sd]?|investigate[sd]?|explore[sd]?|evaluate[sd]?|assesse?[sd]?|"
    r"describe[sd]?|tested|reports?|presents?|focus\w*|analy[sz]e[sd]?|compare[sd]?)|"
    r"we (?:examined|investigated|explored|evaluated|assessed|tested|compared)|"
    r"hypothesi[sz]\w+|research questions?|examined whether|to (?:examine|evaluate|assess|"
    r"investigate|explore|determine|test|compare|describe))\b",
    "outline": r"\b(?:this (?:chapter|article|paper|book|volume)|in this (?:chapter|article|"
    r"paper)|(?:are|is) discussed|discusses|we discuss|we describe|describes|topics|"
    r"reviews? (?:the|this)|is presented|are presented|outlined?|illustrat\w+|"
    r"case (?:study|vignettes?|examples?))\b",
    "future": r"\b(?:future (?:research|studies|investigat\w+|directions)|further research|"
    r"more research|research is needed|limitations?|should be (?:examined|investigated|"
    r"tested)|implications (?:for|of)|erratum|reports an error|correction)\b",
}

_COMPILED: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE) for name, pattern in CUE_PATTERNS.items()
}
# Place names must keep their capitals ("US", not "us").
_COMPILED["place"] = re.compile(CUE_PATTERNS["place"])

#: role -> cue group -> weight (log-odds per firing group, counted at most twice).
WEIGHTS: dict[str, dict[str, float]] = {
    "context": {
        "age": 1.0, "history": 1.0, "care_type": 0.4, "setting": 0.5, "place": 1.0,
        "sample": 1.2, "condition": 0.6, "policy": 0.9, "moderator": 0.6,
        "intervention": -0.2, "content": -0.3, "result_verb": -0.2, "analysis": -0.8,
        "measure": -0.5, "future": -1.5, "outline": -0.3,
    },
    "mechanism": {
        "intervention": 0.8, "content": 1.0, "response": 0.6, "pathway": 0.7, "caregiving": 0.6,
        "sample": -0.5, "place": -0.3, "analysis": -0.8, "measure": -0.8, "design": -0.4,
        "future": -1.5, "effect": -0.1,
    },
    "outcome": {
        "change": 1.0, "effect": 0.9, "domain": 0.5, "result_verb": 0.7, "goal": 2.5,
        "aim": -2.0, "design": -0.6, "measure": -0.8, "analysis": -0.5, "future": -1.5,
        "outline": -0.8, "sample": -0.5,
    },
}  # fmt: skip

#: role -> bias (log-odds with no cue at all).
BIAS: dict[str, float] = {"context": -0.75, "mechanism": -1.15, "outcome": -1.35}

#: section -> role -> prior (log-odds added).
SECTION_PRIORS: dict[str, dict[str, float]] = {
    "background": {"context": 0.5, "mechanism": 0.2, "outcome": -0.5},
    "objective": {"context": 0.2, "mechanism": 0.0, "outcome": -1.5},
    "methods": {"context": 0.4, "mechanism": 0.3, "outcome": -1.2},
    "results": {"context": -0.4, "mechanism": -0.4, "outcome": 1.2},
    "conclusions": {"context": -0.2, "mechanism": 0.4, "outcome": 0.6},
    "other": {"context": -3.0, "mechanism": -3.0, "outcome": -3.0},
    "abstract": {},
    "body": {},
}

#: sections whose sentences carry no role at all (labels, references, registrations).
NO_ROLE_SECTIONS = frozenset({"other", "references", "acknowledgements", "funding"})


@dataclass(frozen=True, slots=True)
class RoleScores:
    """Scores in [0, 1] for each role of one sentence."""

    context: float
    mechanism: float
    outcome: float

    def as_dict(self) -> dict[str, float]:
        """``{"context": ..., "mechanism": ..., "outcome": ...}``."""
        return {"context": self.context, "mechanism": self.mechanism, "outcome": self.outcome}


@lru_cache(maxsize=65536)
def _counts(text: str) -> tuple[int, ...]:
    return tuple(len(pattern.findall(text)) for pattern in _COMPILED.values())


def cue_counts(text: str) -> dict[str, int]:
    """How many times each cue group matches ``text`` (cached per text)."""
    return dict(zip(_COMPILED, _counts(text), strict=True))


def _logistic(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


def _position_prior(role: str, position: float) -> float:
    """Abstracts open with context and close with outcomes and conclusions."""
    if role == "context":
        return 0.6 * (0.5 - position)
    if role == "outcome":
        return 0.8 * (position - 0.5)
    return 0.0


def score_sentence(
    text: str,
    *,
    section: str = "abstract",
    position: float = 0.5,
    is_label: bool = False,
    counts: Mapping[str, int] | None = None,
) -> RoleScores:
    """Role scores of one sentence from its cues, its section and its relative position.

    ``position`` is the sentence's place in its document, 0 (first) to 1 (last).
    """
    if is_label or section in NO_ROLE_SECTIONS or not text.strip():
        return RoleScores(0.0, 0.0, 0.0)
    counts = cue_counts(text) if counts is None else counts
    values: dict[str, float] = {}
    prior = SECTION_PRIORS.get(section, {})
    for role in ROLES:
        logit = BIAS[role] + prior.get(role, 0.0) + _position_prior(role, position)
        for group, weight in WEIGHTS[role].items():
            logit += weight * min(counts.get(group, 0), 2)
        values[role] = _logistic(logit)
    return RoleScores(**values)
