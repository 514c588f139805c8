"""Phrase banks for the fictional demo works: titles, abstracts, keywords, index terms.

Everything here is invented for the demo review (trauma-informed care in residential children's
homes). Abstracts are assembled from these banks by :mod:`tools.demo.pool`; context /
mechanism / outcome fragments give the relevant works the wording of realist evidence, and the
"near miss" themes share the trauma vocabulary in other settings so that screening has to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --------------------------------------------------------------------------------------------
# People, places, institutions (all fictional)
# --------------------------------------------------------------------------------------------
GIVEN_NAMES: tuple[str, ...] = (
    "Sarah", "James", "Aisha", "Thomas", "Priya", "Daniel", "Hannah", "Kwame", "Emma", "Liam",
    "Fatima", "Owen", "Chloe", "Rhys", "Niamh", "Marcus", "Leah", "Imran", "Sophie", "Callum",
    "Ruth", "Gareth", "Zara", "Adebayo", "Megan", "Ciaran", "Helen", "Joseph", "Yusuf", "Eleanor",
    "Mei", "Tobias", "Ingrid", "Lars", "Sofia", "Mateo", "Anneke", "Pieter", "Siobhan", "Declan",
    "Grace", "Harriet", "Nadia", "Rosa", "Kofi", "Aoife", "Bethan", "Ewan", "Freya", "Amara",
    "Catriona", "Dominic", "Esther", "Farah", "Gideon", "Isla", "Jonah", "Keira", "Luca", "Maeve",
    "Nathan", "Olivia", "Patrick", "Rachel", "Samuel", "Tamsin", "Ursula", "Victor", "Wendy",
    "Xavier", "Yasmin", "Zoe", "Alistair", "Bronwen", "Caroline", "Desmond", "Elin", "Fiona",
)  # fmt: skip
FAMILY_NAMES: tuple[str, ...] = (
    "Ashworth", "Brennan", "Carver", "Delaney", "Ellison", "Fairbairn", "Gallagher", "Hartley",
    "Iqbal", "Jennings", "Kavanagh", "Lockwood", "Mahmood", "Nwosu", "Okafor", "Pemberton",
    "Quayle", "Radcliffe", "Sandhu", "Thornton", "Underwood", "Vaughan", "Whitfield", "Yeoman",
    "Ashby", "Blackwood", "Chaudhry", "Dunmore", "Eastwood", "Fenwick", "Holloway", "Ibbotson",
    "Kerrigan", "Lindqvist", "Marlow", "Northcott", "Osei", "Pritchard", "Rowntree", "Stanton",
    "Tregarthen", "Waddington", "Abernethy", "Bramley", "Castellano", "Dempsey", "Everard",
    "Fitzgerald", "Galbraith", "Haldane", "Irvine", "Jameson", "Kilbride", "Llewellyn", "Mackie",
    "Nicholls", "O'Rourke", "Penhaligon", "Rafferty", "Sutcliffe", "Tennant", "Varga", "Winslow",
    "Achterberg", "Bosman", "Christensen", "Dahl", "Eriksen", "Haugland", "Jansen", "Kowalczyk",
    "Moreau", "Novak", "Pereira", "Reinholt", "Sato", "Tanaka", "Van der Linde", "Wilkes",
)  # fmt: skip
#: Names with diacritics (some databases strip them: "Müller" vs "Muller").
DIACRITIC_FAMILY_NAMES: tuple[str, ...] = (
    "Müller",
    "Núñez",
    "Østergaard",
    "Öztürk",
    "Björklund",
    "Gonçalves",
    "Šimić",
    "Lefèvre",
)
DIACRITIC_GIVEN_NAMES: tuple[str, ...] = ("Zoë", "José", "Søren", "Inès", "Björn", "Łucja")

INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "England": (
        "School of Social Work, University of Eastmoor, Eastmoor, UK",
        "Centre for Children's Social Care Research, Northfield University, Northfield, UK",
        "Department of Psychology, Kingsbridge University, Kingsbridge, UK",
        "Institute for Care Research, Ashdown College London, London, UK",
        "Faculty of Health and Social Care, Severnside University, Bristol, UK",
    ),
    "Scotland": ("Centre for Residential Care Studies, University of Glenmore, Glasgow, UK",),
    "Wales": ("School of Social Sciences, Tywi University, Cardiff, UK",),
    "Northern Ireland": ("School of Social Work, Lagan University, Belfast, UK",),
    "Ireland": ("School of Social Policy, Liffey University, Dublin, Ireland",),
    "United States": (
        "School of Social Work, Coastal Pacific University, Portland, OR, USA",
        "Department of Psychiatry, Great Plains University, Omaha, NE, USA",
    ),
    "Canada": ("Faculty of Social Work, Laurentian Heights University, Ottawa, ON, Canada",),
    "Australia": ("Centre for Child Wellbeing, Redgum University, Melbourne, VIC, Australia",),
    "New Zealand": ("School of Health, Harbourside University, Wellington, New Zealand",),
    "Norway": ("Department of Child Welfare, Fjordland University College, Bergen, Norway",),
    "Denmark": ("Department of Social Education, Øresund University, Aarhus, Denmark",),
    "Netherlands": ("Department of Youth Care, Polder University, Utrecht, the Netherlands",),
    "Sweden": ("Department of Social Work, Norrland University, Umeå, Sweden",),
    "Germany": ("Institut für Sozialpädagogik, Hochschule Talberg, Talberg, Germany",),
    "Spain": ("Facultad de Psicología, Universidad de Sierra Alta, Granada, Spain",),
}

#: (country, weight) for relevant works; the review is about England and comparable settings.
COUNTRY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("England", 40), ("Scotland", 8), ("Wales", 5), ("Northern Ireland", 3), ("Ireland", 5),
    ("United States", 14), ("Canada", 4), ("Australia", 9), ("New Zealand", 2), ("Norway", 4),
    ("Denmark", 3), ("Netherlands", 3),
)  # fmt: skip

#: American-spelling countries: their abstracts use American spelling from the start.
US_SPELLING_COUNTRIES = ("United States", "Canada")


@dataclass(frozen=True)
class Setting:
    """How a country's residential child care is named in abstracts and titles."""

    long: str
    short: str
    workers: str
    secure: str


SETTINGS: dict[str, Setting] = {
    "England": Setting(
        "residential children's homes in England", "children's homes",
        "residential care workers", "secure children's homes in England",
    ),
    "Scotland": Setting(
        "residential child care in Scotland", "residential child care",
        "residential child care workers", "secure care centres in Scotland",
    ),
    "Wales": Setting(
        "children's homes in Wales", "children's homes", "residential support workers",
        "the secure children's home in Wales",
    ),
    "Northern Ireland": Setting(
        "children's homes in Northern Ireland", "children's homes", "residential social workers",
        "the regional secure care centre in Northern Ireland",
    ),
    "Ireland": Setting(
        "residential centres for children in Ireland", "residential centres",
        "social care workers", "special care units in Ireland",
    ),
    "United States": Setting(
        "residential treatment centres for youth in the United States", "residential treatment",
        "direct care staff", "secure residential treatment facilities",
    ),
    "Canada": Setting(
        "group homes for young people in Ontario, Canada", "group homes",
        "child and youth care practitioners", "secure treatment programmes in Ontario",
    ),
    "Australia": Setting(
        "therapeutic residential care in Victoria, Australia", "therapeutic residential care",
        "residential carers", "secure welfare services in Victoria",
    ),
    "New Zealand": Setting(
        "residential care homes in Aotearoa New Zealand", "residential care",
        "residential youth workers", "secure care residences in New Zealand",
    ),
    "Norway": Setting(
        "residential youth care institutions in Norway", "residential youth care",
        "milieu therapists", "locked residential units in Norway",
    ),
    "Denmark": Setting(
        "Danish residential institutions for children and young people",
        "residential institutions", "social educators",
        "secure institutions in Denmark",
    ),
    "Germany": Setting(
        "residential youth care (stationäre Jugendhilfe) in Germany", "residential youth care",
        "social pedagogues", "secure residential units in Germany",
    ),
    "Netherlands": Setting(
        "Dutch residential youth care", "residential youth care", "group care workers",
        "secure residential youth care in the Netherlands",
    ),
}  # fmt: skip

# --------------------------------------------------------------------------------------------
# Study designs (shared by the social-care themes)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Design:
    """A study design: how titles name it and how the methods section reads."""

    key: str
    title: str
    methods: tuple[str, ...]
    publication_type: str = "Journal Article"


DESIGNS: dict[str, Design] = {
    d.key: d
    for d in (
        Design(
            "qualitative",
            "a qualitative study",
            (
                "Semi-structured interviews were held with {n_staff} {workers} and {n_mgr} "
                "managers from {n_homes} services and analysed thematically.",
                "We interviewed {n_staff} practitioners in {n_homes} services and used "
                "reflexive thematic analysis.",
            ),
        ),
        Design(
            "mixed",
            "a mixed-methods evaluation",
            (
                "We combined staff surveys before and after implementation (n = {n_staff}) "
                "with focus groups in {n_homes} services and analysis of routine records.",
                "A convergent mixed-methods design combined questionnaires ({n_staff} "
                "respondents) with {n_mgr} focus groups.",
            ),
        ),
        Design(
            "realist",
            "a realist evaluation",
            (
                "Following RAMESES II reporting standards, we developed initial programme "
                "theories and tested them in interviews with {n_staff} staff and {n_yp} {people} "
                "and in routine data from {n_homes} services.",
                "Initial programme theories were refined through {n_staff} realist interviews "
                "and document analysis across {n_homes} sites.",
            ),
        ),
        Design(
            "prepost",
            "a pre-post study",
            (
                "Staff (n = {n_staff}) completed the Attitudes Related to Trauma-Informed Care "
                "(ARTIC) scale before the programme and {months} months later.",
                "Knowledge and attitude measures were collected from {n_staff} staff at "
                "baseline, after training and at {months}-month follow-up.",
            ),
        ),
        Design(
            "trial",
            "a cluster randomised trial",
            (
                "In total, {n_homes} services were randomised to the programme or to usual "
                "practice, and the primary outcome was measured after {months} months.",
            ),
            "Randomized Controlled Trial",
        ),
        Design(
            "cohort",
            "a cohort study",
            (
                "We linked administrative records for {n_yp} {people} between {y1} and {y2} and "
                "compared outcomes across services using multilevel models.",
            ),
        ),
        Design(
            "ethnography",
            "an ethnographic study",
            (
                "Over {months} months of participant observation in {n_homes} services we "
                "recorded daily routines, shift handovers and team meetings, alongside "
                "{n_staff} informal interviews.",
            ),
        ),
        Design(
            "scoping",
            "a scoping review",
            (
                "We searched six bibliographic databases and grey literature and charted "
                "{n_studies} sources published between {y1} and {y2}.",
            ),
            "Review",
        ),
        Design(
            "systematic",
            "a systematic review",
            (
                "Five databases were searched to {y2}; {n_studies} studies met the inclusion "
                "criteria and were appraised and synthesised narratively.",
            ),
            "Systematic Review",
        ),
        Design(
            "realist_review",
            "a realist review",
            (
                "Following RAMESES publication standards, we iteratively searched for and "
                "appraised {n_studies} documents, extracting data on contexts, mechanisms "
                "and outcomes.",
            ),
            "Review",
        ),
        Design(
            "case",
            "a case study",
            (
                "A single-organisation case study drew on policy documents, {n_staff} "
                "interviews and observation of {n_mgr} team meetings.",
            ),
        ),
        Design(
            "survey",
            "a national survey",
            (
                "An online survey was completed by {n_staff} staff in {n_homes} services "
                "({pct}% response rate) and analysed with multilevel regression.",
            ),
        ),
        Design(
            "delphi",
            "a Delphi study",
            (
                "A three-round Delphi panel of {n_staff} practitioners, managers and "
                "care-experienced adults rated draft statements until consensus was reached.",
            ),
        ),
        Design(
            "documents",
            "an analysis of inspection reports",
            (
                "We coded {n_reports} published inspection reports from {y1} to {y2} for "
                "references to trauma, relationships and restrictive practice.",
            ),
        ),
    )
}

# --------------------------------------------------------------------------------------------
# Themes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """A topic the pool draws works from, with its own phrase banks.

    ``category`` is ``relevant`` (meets the demo review's criteria), ``nearmiss`` (shares the
    trauma vocabulary but is about another setting or population) or ``offtopic``.
    """

    key: str
    category: str
    count: int
    titles: tuple[str, ...]
    background: tuple[str, ...]
    aims: tuple[str, ...]
    results: tuple[str, ...]
    conclusions: tuple[str, ...]
    keywords: tuple[str, ...]
    mesh: tuple[str, ...]
    psyc_terms: tuple[str, ...]
    designs: tuple[str, ...]
    journals: tuple[str, ...]
    contexts: tuple[str, ...] = ()
    mechanisms: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()


#: Context / mechanism / outcome fragments shared by the relevant themes.
RES_CONTEXTS: tuple[str, ...] = (
    "Where registered managers protected time for regular reflective supervision",
    "In homes with a stable core staff team",
    "When whole-team training was followed by monthly on-site coaching",
    "Where leaders modelled the same trauma-informed principles they asked of staff",
    "In homes that admitted young people at short notice",
    "When agency staff covered a high proportion of shifts",
    "Where young people were involved in writing the house rules",
    "In settings with a strong emphasis on risk management",
    "When incident reviews were framed as learning rather than blame",
    "Where a clinical psychologist joined team meetings",
    "In homes that had previously relied on sanctions and consequences",
    "When training included night staff and domestic staff as well as care workers",
    "Where inspection feedback recognised relational practice",
    "In small homes with four beds or fewer",
    "Where placing authorities shared full histories before admission",
    "When shift patterns allowed the same adults to be present at bedtime",
)
RES_MECHANISMS: tuple[str, ...] = (
    "staff described feeling contained and better able to notice their own reactions",
    "workers reframed challenging behaviour as a communication of distress",
    "carers reported more confidence to stay alongside young people during escalation",
    "young people came to trust that adults would not give up on them",
    "teams developed a shared language for talking about trauma and regulation",
    "staff felt permitted to prioritise relationships over procedures",
    "managers noticed and responded earlier to signs of staff stress",
    "workers experienced moral distress when procedures conflicted with the training",
    "young people felt listened to and more in control of daily life",
    "staff felt safe to admit mistakes and to repair ruptures with young people",
    "adults co-regulated with young people rather than imposing consequences",
    "staff held a coherent story of each young person's history",
)
RES_OUTCOMES: tuple[str, ...] = (
    "which they linked with fewer physical interventions",
    "and recorded incidents fell over the following year",
    "with lower reported burnout and fewer resignations",
    "and placements were less likely to end in an unplanned way",
    "although these gains faded when key staff left",
    "and young people described the home as feeling safer",
    "while police call-outs for minor incidents declined",
    "but changes in recorded restraint were not statistically significant",
    "and school attendance improved for some young people",
    "with more consistent responses across shifts",
    "and missing-from-care episodes became shorter",
)

RES_JOURNALS = (
    "chiabu", "cysr", "rtcy", "cfsw", "bjsw", "jcat", "camh", "sjrcc", "ptrauma", "ejpt", "hscc",
    "cmalt", "ccpp", "jswp", "adfos",
)  # fmt: skip

_RES_KEYWORDS = ("trauma-informed care", "residential child care", "looked after children")
_RES_MESH = ("Humans", "Child", "Adolescent", "Residential Treatment", "Child, Institutionalized")

THEMES: tuple[Theme, ...] = (
    # ---------------------------------------------------------------- relevant
    Theme(
        "training",
        "relevant",
        3,
        titles=(
            "Trauma-informed care training for {workers} in {setting_short}: {design}",
            "From knowledge to practice: {design} of trauma-informed training in {setting_short}",
            "Changing staff attitudes to trauma in {setting_long}: {design}",
            "What do {workers} take from trauma-informed training? {Design}",
        ),
        background=(
            "Many children living in residential care have experienced abuse, neglect and "
            "repeated placement moves before they arrive.",
            "Trauma-informed care is increasingly expected of residential providers, yet "
            "training is often brief and its effect on daily practice is uncertain.",
            "Staff in children's homes are often the least qualified members of the children's "
            "workforce, despite caring for young people with the most complex needs.",
        ),
        aims=(
            "This study examined whether a {days}-day trauma-informed training programme changed "
            "the knowledge, attitudes and reported practice of staff in {setting_long}.",
            "We aimed to understand how, for whom and in what circumstances trauma-informed "
            "training changes the way {workers} respond to young people.",
        ),
        results=(
            "Mean ARTIC scores rose from {lo} to {hi} after training and were largely sustained "
            "at follow-up.",
            "Staff valued training most when it was delivered to whole teams and linked to the "
            "young people they were caring for.",
            "Participants without a relevant qualification reported the largest change in how "
            "they understood behaviour.",
        ),
        conclusions=(
            "Training alone is unlikely to change practice; it works best when embedded in "
            "supervision, leadership and the routines of the home.",
            "Providers should treat trauma-informed training as the start of a longer process "
            "of organisational change rather than a one-off event.",
        ),
        keywords=(*_RES_KEYWORDS, "staff training", "staff attitudes"),
        mesh=(
            *_RES_MESH,
            "Inservice Training",
            "Psychological Trauma",
            "Attitude of Health Personnel",
        ),
        psyc_terms=(
            "*Trauma-Informed Care",
            "*Residential Care Institutions",
            "*Staff Development",
            "Personnel Training",
        ),
        designs=("prepost", "mixed", "realist", "qualitative", "trial"),
        journals=RES_JOURNALS,
        contexts=RES_CONTEXTS,
        mechanisms=RES_MECHANISMS,
        outcomes=RES_OUTCOMES,
    ),
    Theme(
        "supervision",
        "relevant",
        3,
        titles=(
            "Trauma-informed supervision in {setting_short}: {design}",
            "Holding the holders: reflective practice groups for {workers} in {setting_long}",
            "Reflective supervision and staff wellbeing in {setting_short}: {design}",
            "'Someone to think with': {workers}' experiences of trauma-informed supervision",
        ),
        background=(
            "Supervision is a statutory expectation in children's homes but is often reduced to "
            "case management and compliance.",
            "Caring for traumatised young people exposes staff to intense emotions that need a "
            "reflective space to be processed.",
            "Reflective practice groups facilitated by clinicians are widely used but rarely "
            "evaluated in residential child care.",
        ),
        aims=(
            "We explored how trauma-informed supervision is experienced by {workers} and "
            "managers, and what it changes in their practice.",
            "This study examined the contribution of facilitated reflective practice to "
            "trauma-informed care in {setting_long}.",
        ),
        results=(
            "Supervision that attended to feelings as well as tasks was described as the "
            "single most important support for staying in the job.",
            "Staff valued a consistent supervisor who knew the young people, but {pct}% had "
            "received fewer than the expected number of sessions in the previous six months.",
            "Reflective groups helped teams to agree a shared formulation of a young person's "
            "behaviour.",
        ),
        conclusions=(
            "Protected, reflective supervision is a core component of trauma-informed "
            "residential care and should be resourced as such.",
            "Supervision policies should specify frequency, reflective content and the "
            "training of supervisors.",
        ),
        keywords=(*_RES_KEYWORDS, "supervision", "reflective practice"),
        mesh=(*_RES_MESH, "Organizational Culture", "Occupational Stress"),
        psyc_terms=(
            "*Trauma-Informed Care",
            "*Professional Supervision",
            "*Residential Care Institutions",
            "Reflectiveness",
        ),
        designs=("qualitative", "mixed", "realist", "case"),
        journals=RES_JOURNALS,
        contexts=RES_CONTEXTS,
        mechanisms=RES_MECHANISMS,
        outcomes=RES_OUTCOMES,
    ),
    Theme(
        "practice",
        "relevant",
        3,
        titles=(
            "Trauma-aware care in everyday life: {design} in {setting_short}",
            "Relationships, routines and regulation: trauma-informed practice in {setting_long}",
            "Everyday trauma-informed caregiving in {setting_short}: {design}",
            "Making sense of trauma-informed practice in {setting_short}: {design}",
        ),
        background=(
            "Trauma-informed care is often described at the level of principles, leaving "
            "residential workers unsure what it means in daily routines.",
            "The everyday life of a children's home, from mealtimes to bedtimes, offers many "
            "opportunities for relational repair.",
            "Therapeutic residential care places the daily living environment at the centre of "
            "recovery from complex trauma.",
        ),
        aims=(
            "This study describes how {workers} translate trauma-informed principles into "
            "everyday caregiving in {setting_long}.",
            "We set out to identify the practices that young people and staff associate with "
            "feeling safe in {setting_short}.",
        ),
        results=(
            "Predictable routines, attuned adults and the chance to repair after conflict were "
            "the practices most often linked with feeling safe.",
            "Staff described small moments, such as a shared meal or a lift to school, as the "
            "building blocks of trust.",
            "Approaches such as PACE (playfulness, acceptance, curiosity and empathy) gave staff "
            "words for practice they already valued.",
        ),
        conclusions=(
            "Trauma-informed care in residential settings is enacted through ordinary daily "
            "interactions, which need to be noticed, valued and supported.",
            "Guidance should describe concrete practices rather than principles alone.",
        ),
        keywords=(*_RES_KEYWORDS, "therapeutic residential care", "relational practice"),
        mesh=(*_RES_MESH, "Psychological Trauma", "Caregivers", "Interpersonal Relations"),
        psyc_terms=("*Trauma-Informed Care", "*Group Homes", "Caregivers", "Therapeutic Community"),
        designs=("ethnography", "qualitative", "realist", "mixed"),
        journals=RES_JOURNALS,
        contexts=RES_CONTEXTS,
        mechanisms=RES_MECHANISMS,
        outcomes=RES_OUTCOMES,
    ),
    Theme(
        "organisation",
        "relevant",
        2,
        titles=(
            "Leading trauma-informed change in {setting_short}: {design}",
            "Organisational governance and trauma-informed care in {setting_long}",
            "The role of leadership in sustaining trauma-informed {setting_short}: {design}",
            "Trauma-informed organisations? Governance, culture and practice in {setting_short}",
        ),
        background=(
            "Trauma-informed care requires change at the level of the organisation, not only "
            "of individual practitioners.",
            "Registered managers, responsible individuals and boards shape the culture in which "
            "residential staff work.",
            "Commissioning arrangements and the growth of large private providers have changed "
            "how children's homes are governed.",
        ),
        aims=(
            "This study examined how leadership and governance arrangements support or "
            "undermine trauma-informed practice in {setting_long}.",
            "We explored how managers and providers sustain trauma-informed change over time.",
        ),
        results=(
            "Managers who had themselves received reflective supervision were more likely to "
            "offer it to their teams.",
            "Boards that monitored restraint, staff turnover and young people's views alongside "
            "occupancy gave trauma-informed aims a place in governance.",
            "Where trauma-informed language appeared in policy but not in budgets, staff "
            "described the change as cosmetic.",
        ),
        conclusions=(
            "Trauma-informed care in residential settings depends on organisational conditions "
            "that leaders can shape through governance, resourcing and example.",
            "Providers should align policies, budgets and performance measures with "
            "trauma-informed aims.",
        ),
        keywords=(*_RES_KEYWORDS, "leadership", "organisational change", "governance"),
        mesh=(*_RES_MESH, "Leadership", "Organizational Culture", "Organizational Innovation"),
        psyc_terms=(
            "*Trauma-Informed Care",
            "*Organizational Climate",
            "*Leadership",
            "Residential Care Institutions",
        ),
        designs=("case", "qualitative", "realist", "mixed", "survey"),
        journals=RES_JOURNALS,
        contexts=RES_CONTEXTS,
        mechanisms=RES_MECHANISMS,
        outcomes=RES_OUTCOMES,
    ),
    Theme(
        "models",
        "relevant",
        3,
        titles=(
            "Implementing the {model} in {setting_short}: {design}",
            "Outcomes of the {model} in {setting_long}: {design}",
            "Staff and young people's views of the {model} in {setting_short}",
            "Fidelity and adaptation of the {model} in {setting_short}: {design}",
        ),
        background=(
            "Several whole-system models of trauma-informed care have been developed for "
            "residential settings, including the Sanctuary Model, CARE, ARC and TBRI.",
            "Evidence on packaged trauma-informed models comes mostly from the United States, "
            "and little is known about their transfer to other care systems.",
            "Whole-system models promise to change the culture of a residential service, but "
            "implementation is demanding.",
        ),
        aims=(
            "We examined the implementation and early outcomes of the {model} in {setting_long}.",
            "This study explored which components of the {model} staff regarded as essential, "
            "and how they were adapted locally.",
        ),
        results=(
            "Fidelity was highest in services where a trained internal champion led "
            "implementation.",
            "Recorded critical incidents fell by {pct}% in the year after implementation, with "
            "the largest reductions in the smallest services.",
            "Staff adapted the model's language and meetings to fit shift patterns, and some "
            "components were dropped when staffing was short.",
        ),
        conclusions=(
            "Packaged trauma-informed models can support culture change in residential care "
            "when implementation is resourced and adapted to context.",
            "Commissioners should fund the implementation support that these models require, "
            "not only the initial training.",
        ),
        keywords=(*_RES_KEYWORDS, "implementation", "Sanctuary model", "CARE model"),
        mesh=(*_RES_MESH, "Program Evaluation", "Psychological Trauma", "Implementation Science"),
        psyc_terms=(
            "*Trauma-Informed Care",
            "*Program Evaluation",
            "*Residential Care Institutions",
            "Treatment Fidelity",
        ),
        designs=("mixed", "realist", "cohort", "trial", "case"),
        journals=RES_JOURNALS,
        contexts=RES_CONTEXTS,
        mechanisms=RES_MECHANISMS,
        outcomes=RES_OUTCOMES,
    ),
    Theme(
        "restraint",
        "relevant",
        3,
        titles=(
            "Reducing physical restraint in {setting_short} through trauma-informed care: {design}",
            "Restrictive practices and trauma-informed care in {setting_long}",
            "Restraint reduction in {setting_short}: {design}",
            "Why do restraints fall? {Design} of trauma-informed change in {setting_short}",
        ),
        background=(
            "Physical restraint of children in residential care can retraumatise young people "
            "and injure staff.",
            "Reducing restrictive practice is a stated aim of trauma-informed care, but the "
            "mechanisms by which it happens are poorly understood.",
            "Rates of physical intervention vary widely between children's homes with similar "
            "populations.",
        ),
        aims=(
            "This study examined changes in the use of restraint after a trauma-informed "
            "programme was introduced in {setting_long}.",
            "We explored how staff decide whether to use physical intervention, and how "
            "trauma-informed training shapes that decision.",
        ),
        results=(
            "Restraint fell from {hi} to {lo} episodes per 1,000 bed nights over {months} months.",
            "Staff attributed the reduction to earlier de-escalation and to debriefs after "
            "incidents.",
            "Reductions were not seen in services with high staff turnover.",
        ),
        conclusions=(
            "Trauma-informed care can reduce physical restraint when it changes how staff read "
            "and respond to escalation.",
            "Routine monitoring of restrictive practices should be combined with learning "
            "reviews rather than blame.",
        ),
        keywords=(*_RES_KEYWORDS, "physical restraint", "restrictive practice", "de-escalation"),
        mesh=(*_RES_MESH, "Restraint, Physical", "Aggression", "Psychological Trauma"),
        psyc_terms=(
            "*Trauma-Informed Care",
            "*Physical Restraint",
            "*Residential Care Institutions",
            "Aggressive Behavior",
        ),
        designs=("cohort", "mixed", "prepost", "realist", "qualitative"),
        journals=RES_JOURNALS,
        contexts=RES_CONTEXTS,
        mechanisms=RES_MECHANISMS,
        outcomes=RES_OUTCOMES,
    ),
    Theme(
        "placement",
        "relevant",
        2,
        titles=(
            "Trauma-informed care and placement stability in {setting_short}: {design}",
            "Unplanned endings in {setting_long}: the role of trauma-informed practice",
            "Does trauma-informed practice keep placements together? {Design}",
        ),
        background=(
            "Placement breakdown is common for young people in residential care and often "
            "repeats earlier experiences of rejection.",
            "Unplanned moves disrupt schooling, friendships and therapeutic relationships.",
        ),
        aims=(
            "This study examined whether trauma-informed practice was associated with fewer "
            "unplanned placement endings in {setting_long}.",
            "We explored how staff and young people understood the reasons placements ended.",
        ),
        results=(
            "Unplanned endings occurred in {pct}% of placements, and were less frequent in "
            "services with higher trauma-informed practice scores.",
            "Young people linked placement breakdown to feeling that staff had given up on them.",
            "Matching processes that considered the existing group of young people reduced "
            "early breakdown.",
        ),
        conclusions=(
            "Trauma-informed practice may contribute to placement stability, but matching and "
            "sufficiency of places also matter.",
            "Services should review unplanned endings as a measure of trauma-informed care.",
        ),
        keywords=(*_RES_KEYWORDS, "placement stability", "placement breakdown"),
        mesh=(*_RES_MESH, "Foster Home Care", "Psychological Trauma"),
        psyc_terms=(
            "*Trauma-Informed Care",
            "*Placement (Child Care)",
            "*Residential Care Institutions",
        ),
        designs=("cohort", "qualitative", "mixed"),
        journals=RES_JOURNALS,
        contexts=RES_CONTEXTS,
        mechanisms=RES_MECHANISMS,
        outcomes=RES_OUTCOMES,
    ),
    Theme(
        "burnout",
        "relevant",
        2,
        titles=(
            "Secondary traumatic stress and burnout among {workers} in {setting_short}: {design}",
            "Compassion fatigue in {setting_long}: {design}",
            "Caring for the carers: staff wellbeing and trauma-informed care in {setting_short}",
            "Staff turnover and trauma-informed practice in {setting_short}: {design}",
        ),
        background=(
            "Residential staff are exposed to young people's trauma narratives, self-harm and "
            "aggression, and turnover in the workforce is high.",
            "Secondary traumatic stress and burnout undermine the stable relationships on which "
            "trauma-informed care depends.",
        ),
        aims=(
            "This study measured secondary traumatic stress, burnout and compassion satisfaction "
            "among {workers} in {setting_long}.",
            "We explored how staff wellbeing and trauma-informed practice influence each other.",
        ),
        results=(
            "{pct}% of respondents met the threshold for high secondary traumatic stress on the "
            "Professional Quality of Life scale.",
            "Perceived organisational support and access to reflective supervision were "
            "associated with lower burnout.",
            "Staff who intended to leave within a year described feeling unsupported after "
            "serious incidents.",
        ),
        conclusions=(
            "Trauma-informed organisations need to attend to the wellbeing of staff as well as "
            "of young people.",
            "Reducing burnout is likely to support both workforce retention and relational "
            "continuity for young people.",
        ),
        keywords=(*_RES_KEYWORDS, "secondary traumatic stress", "burnout", "staff wellbeing"),
        mesh=(*_RES_MESH, "Burnout, Professional", "Compassion Fatigue", "Personnel Turnover"),
        psyc_terms=(
            "*Secondary Traumatic Stress",
            "*Occupational Stress",
            "*Residential Care Institutions",
            "Employee Turnover",
        ),
        designs=("survey", "mixed", "qualitative", "cohort"),
        journals=RES_JOURNALS,
        contexts=RES_CONTEXTS,
        mechanisms=RES_MECHANISMS,
        outcomes=RES_OUTCOMES,
    ),
    Theme(
        "voice",
        "relevant",
        2,
        titles=(
            "Young people's experiences of trauma-informed care in {setting_short}: {design}",
            "'They actually listened': young people's views of {setting_long}",
            "What makes a children's home feel safe? Young people's perspectives",
        ),
        background=(
            "The views of young people are rarely included in evaluations of trauma-informed care.",
            "Care-experienced young people describe relationships with staff as central to "
            "their experience of residential care.",
        ),
        aims=(
            "We asked young people living in {setting_long} what helped them to feel safe and "
            "cared for.",
            "This participatory study explored young people's experiences of trauma-informed "
            "care, co-designed with care-experienced advisers.",
        ),
        results=(
            "Young people valued adults who stayed calm, explained decisions and came back "
            "after an argument.",
            "Being consulted about rules, food and decoration made the home feel like their own.",
            "Frequent changes of staff and the use of restraint were described as the opposite "
            "of trauma-informed care.",
        ),
        conclusions=(
            "Young people's accounts offer a practical definition of trauma-informed care that "
            "services can use to judge their own practice.",
            "Services should involve young people in designing and evaluating trauma-informed "
            "approaches.",
        ),
        keywords=(*_RES_KEYWORDS, "young people's voice", "participation", "care experience"),
        mesh=(*_RES_MESH, "Patient Participation", "Qualitative Research"),
        psyc_terms=(
            "*Trauma-Informed Care",
            "*Client Attitudes",
            "*Residential Care Institutions",
            "Adolescent Attitudes",
        ),
        designs=("qualitative", "mixed", "delphi"),
        journals=RES_JOURNALS,
        contexts=RES_CONTEXTS,
        mechanisms=RES_MECHANISMS,
        outcomes=RES_OUTCOMES,
    ),
    Theme(
        "inspection",
        "relevant",
        2,
        titles=(
            "How do inspectors see trauma-informed care? {Design} of children's homes in England",
            "Regulation, inspection and trauma-informed practice in children's homes",
            "Ofsted judgements and trauma-informed care in children's homes: {design}",
        ),
        background=(
            "Children's homes in England are regulated against the Quality Standards and "
            "inspected by Ofsted.",
            "Inspection shapes what providers prioritise, yet little is known about how "
            "inspectors recognise trauma-informed care.",
        ),
        aims=(
            "This study examined how trauma-informed care is described and judged in "
            "inspection reports for children's homes in England.",
            "We explored how registered managers experience inspection when implementing "
            "trauma-informed approaches.",
        ),
        results=(
            "Reports rated outstanding referred to relationships and understanding of "
            "behaviour {pct}% more often than reports rated requires improvement.",
            "Managers described tension between inspectors' focus on recording and their own "
            "focus on relationships.",
            "References to restraint were more detailed in reports after the Quality Standards "
            "came into force.",
        ),
        conclusions=(
            "Inspection can reinforce trauma-informed care when inspectors look for the quality "
            "of relationships rather than procedural compliance alone.",
            "Inspection frameworks could make trauma-informed practice more visible.",
        ),
        keywords=(*_RES_KEYWORDS, "inspection", "regulation", "Ofsted", "quality standards"),
        mesh=(*_RES_MESH, "Quality Assurance, Health Care", "England"),
        psyc_terms=(
            "*Trauma-Informed Care",
            "*Quality of Care",
            "*Residential Care Institutions",
            "Government Policy Making",
        ),
        designs=("documents", "qualitative", "mixed"),
        journals=("bjsw", "cfsw", "sjrcc", "cysr", "chiabu", "hscc"),
        contexts=RES_CONTEXTS,
        mechanisms=RES_MECHANISMS,
        outcomes=RES_OUTCOMES,
    ),
    Theme(
        "secure",
        "relevant",
        3,
        titles=(
            "Trauma-informed care in {setting_secure}: {design}",
            "Welfare secure care and trauma-informed practice: {design}",
            "An integrated trauma framework in {setting_secure}: staff perspectives",
        ),
        background=(
            "Secure children's homes care for young people whose liberty is restricted for "
            "their own safety or on youth justice grounds.",
            "The SECURE STAIRS framework introduced formulation-led, trauma-informed care "
            "across the children and young people's secure estate in England.",
        ),
        aims=(
            "This study examined how trauma-informed care is implemented in {setting_secure}.",
            "We explored how staff in secure settings balance security with trauma-informed "
            "relationships.",
        ),
        results=(
            "Team formulations helped staff to understand behaviour that had previously been "
            "managed with separation.",
            "Single separation episodes fell by {pct}% after formulation-led care was introduced.",
            "Staff described the locked environment itself as a potential trigger that "
            "required careful explanation to young people.",
        ),
        conclusions=(
            "Trauma-informed care is possible in secure settings but requires attention to the "
            "restrictive environment itself.",
            "Formulation-led practice may reduce the use of separation in secure children's homes.",
        ),
        keywords=(*_RES_KEYWORDS, "secure children's homes", "secure care", "formulation"),
        mesh=(*_RES_MESH, "Juvenile Delinquency", "Psychological Trauma", "Patient Isolation"),
        psyc_terms=(
            "*Trauma-Informed Care",
            "*Juvenile Justice",
            "*Residential Care Institutions",
            "Case Formulation",
        ),
        designs=("mixed", "qualitative", "cohort", "realist"),
        journals=RES_JOURNALS,
        contexts=RES_CONTEXTS,
        mechanisms=RES_MECHANISMS,
        outcomes=RES_OUTCOMES,
    ),
    Theme(
        "review",
        "relevant",
        2,
        titles=(
            "Trauma-informed care in residential child care: {design}",
            "What works in trauma-informed residential care for children? {Design}",
            "Staff-level interventions for trauma-informed care in residential settings: {design}",
        ),
        background=(
            "Trauma-informed care has been widely adopted by residential services for children, "
            "but the evidence base is fragmented.",
            "Reviews of trauma-informed care rarely distinguish residential care from other "
            "out-of-home settings.",
        ),
        aims=(
            "We reviewed the evidence on trauma-informed care in residential settings for "
            "children and young people.",
            "This review aimed to explain how trauma-informed approaches work in residential "
            "child care, for whom and in what circumstances.",
        ),
        results=(
            "Most included studies were uncontrolled evaluations of staff training, with few "
            "measuring outcomes for young people.",
            "Programme theories emphasised staff understanding, organisational support and "
            "relational safety as linked mechanisms.",
            "Studies from England were mostly qualitative and small in scale.",
        ),
        conclusions=(
            "Trauma-informed residential care is promising but under-evaluated; future studies "
            "should measure outcomes for young people and report contexts.",
            "An explicit programme theory can guide both implementation and evaluation.",
        ),
        keywords=(*_RES_KEYWORDS, "review", "programme theory"),
        mesh=(*_RES_MESH, "Psychological Trauma", "Review Literature as Topic"),
        psyc_terms=(
            "*Trauma-Informed Care",
            "*Literature Review",
            "*Residential Care Institutions",
        ),
        designs=("scoping", "systematic", "realist_review"),
        journals=("tva", "chiabu", "cysr", "rtcy", "jcat", "ejpt"),
        contexts=RES_CONTEXTS,
        mechanisms=RES_MECHANISMS,
        outcomes=RES_OUTCOMES,
    ),
    # ---------------------------------------------------------------- near misses
    Theme(
        "foster",
        "nearmiss",
        14,
        titles=(
            "Trauma-informed training for foster carers: {design}",
            "Fostering with trauma in mind: {design} of a carer training programme",
            "Foster carers' understanding of trauma and attachment: {design}",
            "Supporting foster placements through trauma-informed practice: {design}",
            "Trauma-informed parenting groups for foster and kinship carers in out-of-home care",
            "Training foster parents in trauma-informed care: effects on placement disruption",
        ),
        background=(
            "Most children in out-of-home care live with foster families, many of whom have "
            "experienced maltreatment.",
            "Foster carers often receive little preparation for caring for children with "
            "complex trauma.",
            "Placement disruption in foster care is associated with poorer outcomes for looked "
            "after children.",
        ),
        aims=(
            "This study evaluated a trauma-informed training programme for foster carers.",
            "We examined how foster parents apply trauma-informed parenting strategies at home.",
        ),
        results=(
            "Carers reported less parenting stress ({lo} vs {hi}) after the programme.",
            "Children's behaviour problems on the SDQ decreased modestly over {months} months.",
            "Carers who attended with their supervising social worker reported greater confidence.",
        ),
        conclusions=(
            "Trauma-informed training for foster carers is acceptable and may reduce parenting "
            "stress.",
            "Fostering services should offer ongoing support beyond initial training.",
        ),
        keywords=("foster care", "trauma-informed parenting", "out-of-home care", "foster carers"),
        mesh=(
            "Humans",
            "Foster Home Care",
            "Child",
            "Parenting",
            "Psychological Trauma",
            "Caregivers",
        ),
        psyc_terms=("*Foster Care", "*Trauma-Informed Care", "Foster Parents", "Parent Training"),
        designs=("prepost", "trial", "qualitative", "mixed"),
        journals=("cysr", "adfos", "cfsw", "chiabu", "cmalt", "jcat", "ccpp"),
        contexts=(
            "Where foster carers had a consistent supervising social worker",
            "When training was delivered alongside birth children in the household",
            "In placements made in an emergency",
            "Where carers had experienced previous disruptions",
        ),
        mechanisms=(
            "carers interpreted difficult behaviour as fear rather than defiance",
            "foster parents felt less alone with the child's distress",
            "carers used calmer, more predictable responses at home",
        ),
        outcomes=(
            "and placements were more stable at follow-up",
            "with modest improvements in child behaviour",
            "although effects on disruption were not significant",
        ),
    ),
    Theme(
        "school",
        "nearmiss",
        12,
        titles=(
            "Trauma-informed schools: {design}",
            "Attachment and trauma-aware practice in primary schools: {design}",
            "Training teachers in trauma-informed approaches: {design}",
            "Supporting looked after children in school: the role of trauma-informed teachers",
            "A whole-school trauma-informed programme in {country}: {design}",
            "Trauma-informed behaviour policies and school exclusion: {design}",
        ),
        background=(
            "Children who have experienced adversity are over-represented among pupils excluded "
            "from school.",
            "Schools are increasingly encouraged to adopt trauma-informed or attachment-aware "
            "approaches.",
            "Teachers report feeling under-prepared to support pupils affected by trauma.",
        ),
        aims=(
            "This study evaluated a trauma-informed training programme for school staff.",
            "We explored how teachers understand and apply trauma-informed approaches in the "
            "classroom.",
        ),
        results=(
            "Fixed-term exclusions fell by {pct}% in participating schools.",
            "Teachers reported greater confidence in responding to dysregulated pupils.",
            "Staff training, senior leadership support and a nurture space were the components "
            "most valued.",
        ),
        conclusions=(
            "Trauma-informed approaches in schools are promising, but rigorous evaluation of "
            "pupil outcomes is needed.",
            "School leaders play a key role in sustaining trauma-informed practice.",
        ),
        keywords=("trauma-informed schools", "teachers", "education", "school exclusion"),
        mesh=("Humans", "Schools", "Child", "School Teachers", "Psychological Trauma"),
        psyc_terms=("*Schools", "*Trauma-Informed Care", "Teachers", "School Based Intervention"),
        designs=("mixed", "prepost", "qualitative", "trial", "survey"),
        journals=("smh", "cysr", "chiabu", "jcat", "ejpt"),
        contexts=(
            "Where head teachers championed the approach",
            "In schools with high rates of exclusion",
            "When training was followed by coaching in class",
        ),
        mechanisms=(
            "teachers understood disruptive behaviour as a response to stress",
            "pupils experienced predictable, calm adults",
            "staff felt supported to use relational rather than punitive responses",
        ),
        outcomes=(
            "and exclusions fell",
            "with improved attendance among vulnerable pupils",
            "although attainment did not change",
        ),
    ),
    Theme(
        "adult_inpatient",
        "nearmiss",
        10,
        titles=(
            "Trauma-informed care on adult acute mental health wards: {design}",
            "Implementing trauma-informed care in adult inpatient psychiatry: {design}",
            "Nurses' experiences of trauma-informed practice in adult mental health services",
            "Reducing seclusion through trauma-informed care in adult inpatient units: {design}",
        ),
        background=(
            "Many adults admitted to psychiatric wards have histories of trauma.",
            "Coercive practices in adult mental health services can retraumatise patients.",
        ),
        aims=(
            "This study evaluated a trauma-informed care programme for nursing staff on adult "
            "acute wards.",
            "We explored how mental health nurses understand trauma-informed care.",
        ),
        results=(
            "Seclusion episodes decreased from {hi} to {lo} per month.",
            "Nurses valued training but cited staffing shortages as a barrier.",
            "Patients reported feeling more respected after the programme.",
        ),
        conclusions=(
            "Trauma-informed care can be implemented in adult inpatient settings with "
            "organisational support.",
            "Reducing coercion in adult mental health services requires system-level change.",
        ),
        keywords=(
            "trauma-informed care",
            "adult mental health",
            "inpatient",
            "mental health nursing",
            "seclusion",
        ),
        mesh=(
            "Humans",
            "Adult",
            "Inpatients",
            "Psychiatric Nursing",
            "Psychological Trauma",
            "Patient Isolation",
        ),
        psyc_terms=(
            "*Trauma-Informed Care",
            "*Psychiatric Hospitalization",
            "Psychiatric Nurses",
            "Adult Attitudes",
        ),
        designs=("prepost", "qualitative", "mixed"),
        journals=("ijmhn", "jpmhn", "fpsyt", "hscc"),
        contexts=("On wards with high use of agency nurses", "Where ward managers led the change"),
        mechanisms=(
            "nurses recognised distress behind aggression",
            "patients felt safer and more respected",
        ),
        outcomes=("and seclusion decreased", "although restraint rates were unchanged"),
    ),
    Theme(
        "aged_care",
        "nearmiss",
        10,
        titles=(
            "Trauma-informed care in residential aged care: {design}",
            "Staff training on trauma-informed care for older adults in care homes: {design}",
            "Recognising trauma in nursing home residents with dementia: {design}",
            "Trauma-informed residential care for older veterans: {design}",
        ),
        background=(
            "Older adults in residential aged care may carry the effects of earlier trauma into "
            "late life.",
            "Personal care in care homes can trigger trauma responses in residents with dementia.",
        ),
        aims=(
            "This study evaluated trauma-informed care training for staff in residential aged "
            "care facilities.",
            "We explored how care home staff recognise and respond to trauma in older residents.",
        ),
        results=(
            "Staff knowledge scores improved from {lo} to {hi} after training.",
            "Care workers described adapting personal care routines for residents with trauma "
            "histories.",
            "Responsive behaviours decreased in {pct}% of residents with known trauma histories.",
        ),
        conclusions=(
            "Trauma-informed care is relevant to residential aged care and should be included in "
            "dementia care training.",
            "Care homes for older people need guidance on trauma-informed personal care.",
        ),
        keywords=(
            "trauma-informed care",
            "residential aged care",
            "older adults",
            "dementia",
            "nursing homes",
        ),
        mesh=(
            "Humans",
            "Aged",
            "Nursing Homes",
            "Dementia",
            "Psychological Trauma",
            "Homes for the Aged",
        ),
        psyc_terms=("*Trauma-Informed Care", "*Nursing Homes", "*Aged Care", "Dementia"),
        designs=("prepost", "qualitative", "mixed"),
        journals=("jamda", "hscc", "jan"),
        contexts=("In care homes with high staff turnover", "Where family histories were known"),
        mechanisms=(
            "care workers anticipated triggers during personal care",
            "residents felt safer with familiar staff",
        ),
        outcomes=("and responsive behaviours reduced", "with improved staff confidence"),
    ),
    Theme(
        "substance",
        "nearmiss",
        8,
        titles=(
            "Trauma-informed care in adult residential substance use treatment: {design}",
            "Staff perspectives on trauma-informed practice in residential rehabilitation "
            "for adults",
            "Trauma-informed residential treatment for women with substance use disorders: "
            "{design}",
        ),
        background=(
            "Trauma histories are highly prevalent among adults in residential addiction "
            "treatment.",
            "Residential rehabilitation services are increasingly adopting trauma-informed care.",
        ),
        aims=(
            "This study evaluated the implementation of trauma-informed care in residential "
            "substance use treatment for adults.",
            "We explored staff views of trauma-informed practice in residential rehabilitation.",
        ),
        results=(
            "Treatment completion rose from {pct}% to {pct_hi}% after implementation.",
            "Counsellors reported that trauma-informed care improved engagement.",
            "Residents valued choice and collaboration in treatment planning.",
        ),
        conclusions=(
            "Trauma-informed care may improve retention in residential addiction treatment.",
            "Services should address staff's own trauma histories in supervision.",
        ),
        keywords=(
            "trauma-informed care",
            "substance use disorders",
            "residential treatment",
            "adults",
        ),
        mesh=(
            "Humans",
            "Adult",
            "Substance-Related Disorders",
            "Residential Treatment",
            "Psychological Trauma",
        ),
        psyc_terms=(
            "*Trauma-Informed Care",
            "*Drug Rehabilitation",
            "*Residential Care Institutions",
            "Adults",
        ),
        designs=("cohort", "qualitative", "mixed"),
        journals=("jsat", "fpsyt", "hscc"),
        contexts=("In programmes with fixed treatment lengths",),
        mechanisms=("residents felt they had a say in their treatment",),
        outcomes=("and completion rates rose",),
    ),
    Theme(
        "homeless",
        "nearmiss",
        8,
        titles=(
            "Trauma-informed care in homelessness services for young adults: {design}",
            "Psychologically informed environments in hostels: {design}",
            "Trauma-informed practice with young people experiencing homelessness",
        ),
        background=(
            "Young adults experiencing homelessness report high rates of childhood trauma, "
            "including time in care.",
            "Hostels and supported housing services have adopted psychologically informed "
            "environments.",
        ),
        aims=(
            "This study evaluated trauma-informed practice in homelessness services for young "
            "adults aged 18 to 25.",
            "We explored how hostel staff understand trauma-informed care.",
        ),
        results=(
            "Evictions from hostels fell by {pct}% after staff training.",
            "Staff described reflective practice as essential for working with trauma.",
            "Young adults who had left care valued staff who were consistent.",
        ),
        conclusions=(
            "Trauma-informed approaches are relevant to homelessness services and to care leavers.",
            "Commissioners should fund reflective practice in homelessness services.",
        ),
        keywords=(
            "homelessness",
            "trauma-informed care",
            "young adults",
            "hostels",
            "care leavers",
        ),
        mesh=("Humans", "Young Adult", "Ill-Housed Persons", "Psychological Trauma"),
        psyc_terms=("*Homeless", "*Trauma-Informed Care", "Young Adults"),
        designs=("qualitative", "mixed", "cohort"),
        journals=("hscc", "cysr", "jswp"),
        contexts=("In hostels with high eviction rates",),
        mechanisms=("staff saw rule-breaking as a response to past trauma",),
        outcomes=("and tenancies were sustained for longer",),
    ),
    Theme(
        "social_work",
        "nearmiss",
        11,
        titles=(
            "Secondary traumatic stress in child protection social workers: {design}",
            "Trauma-informed supervision for child and family social workers: {design}",
            "Becoming a trauma-informed children's services department: {design}",
            "Trauma-informed child protection practice with families: {design}",
        ),
        background=(
            "Child protection social workers are routinely exposed to traumatic material.",
            "Local authorities are adopting trauma-informed approaches across children's services.",
        ),
        aims=(
            "This study examined secondary traumatic stress among statutory child protection "
            "social workers.",
            "We explored how a local authority implemented trauma-informed practice with families.",
        ),
        results=(
            "{pct}% of social workers reported high secondary traumatic stress.",
            "Caseload size was the strongest predictor of burnout.",
            "Families described trauma-informed social workers as more respectful.",
        ),
        conclusions=(
            "Children's services need to attend to the wellbeing of social workers.",
            "Trauma-informed practice with families requires manageable caseloads.",
        ),
        keywords=(
            "child protection",
            "social workers",
            "secondary traumatic stress",
            "trauma-informed practice",
        ),
        mesh=(
            "Humans",
            "Social Workers",
            "Child Abuse",
            "Compassion Fatigue",
            "Child Protective Services",
        ),
        psyc_terms=("*Social Workers", "*Secondary Traumatic Stress", "Child Welfare"),
        designs=("survey", "qualitative", "case", "mixed"),
        journals=("bjsw", "cfsw", "cysr", "chiabu", "jswp"),
        contexts=("In teams with high caseloads", "Where supervision focused on compliance"),
        mechanisms=("social workers felt unable to process distressing cases",),
        outcomes=("and intention to leave rose",),
    ),
    Theme(
        "prison",
        "nearmiss",
        7,
        titles=(
            "Trauma-informed practice in women's prisons: {design}",
            "Trauma-informed training for prison officers: {design}",
            "Trauma-informed care in adult correctional settings: {design}",
        ),
        background=(
            "Most women in prison have experienced interpersonal trauma.",
            "Prison regimes can retraumatise people in custody.",
        ),
        aims=(
            "This study evaluated trauma-informed training for prison officers.",
            "We explored women's experiences of a trauma-informed prison unit.",
        ),
        results=(
            "Use of force incidents fell by {pct}% on the pilot unit.",
            "Officers reported better relationships with people in custody.",
        ),
        conclusions=(
            "Trauma-informed practice is feasible in adult prisons but conflicts with security "
            "priorities.",
        ),
        keywords=("prisons", "trauma-informed care", "women", "prison officers"),
        mesh=("Humans", "Prisons", "Female", "Adult", "Psychological Trauma"),
        psyc_terms=("*Prisons", "*Trauma-Informed Care", "Correctional Institutions"),
        designs=("qualitative", "prepost", "mixed"),
        journals=("jiv", "fpsyt", "hscc"),
        contexts=("On units with stable officer teams",),
        mechanisms=("officers interpreted non-compliance as fear",),
        outcomes=("and use of force declined",),
    ),
    Theme(
        "youth_justice",
        "nearmiss",
        6,
        titles=(
            "Trauma-informed practice in young offender institutions: {design}",
            "Youth offending teams and trauma-informed practice in the community: {design}",
        ),
        background=(
            "Young people in the youth justice system have high rates of adverse childhood "
            "experiences.",
            "Youth offending teams in England have adopted trauma-informed enhanced case "
            "management.",
        ),
        aims=(
            "This study evaluated enhanced case management in community youth offending teams.",
            "We explored officers' experiences of trauma-informed practice in a young offender "
            "institution for young men aged 15 to 18.",
        ),
        results=(
            "Reoffending within 12 months was {pct}% lower in the intervention group.",
            "Case managers valued psychological formulation of young people's histories.",
        ),
        conclusions=(
            "Trauma-informed case management may reduce reoffending in community youth justice.",
        ),
        keywords=("youth justice", "trauma-informed practice", "reoffending", "young offenders"),
        mesh=("Humans", "Adolescent", "Juvenile Delinquency", "Psychological Trauma"),
        psyc_terms=("*Juvenile Justice", "*Trauma-Informed Care", "Juvenile Delinquency"),
        designs=("cohort", "qualitative", "mixed"),
        journals=("yj", "jiv", "cysr"),
        contexts=("Where case managers received psychological consultation",),
        mechanisms=("young people felt understood rather than judged",),
        outcomes=("and engagement with the order improved",),
    ),
    Theme(
        "early_years",
        "nearmiss",
        7,
        titles=(
            "Trauma-informed practice in early childhood education and care: {design}",
            "Nursery practitioners' understanding of early adversity: {design}",
        ),
        background=(
            "Early childhood educators work with young children affected by adversity.",
            "Trauma-informed approaches are rarely included in early years training.",
        ),
        aims=(
            "This study evaluated trauma-informed training for early childhood educators.",
            "We explored how nursery practitioners support children affected by trauma.",
        ),
        results=(
            "Practitioners' confidence increased from {lo} to {hi} on a 10-point scale.",
            "Educators described co-regulation strategies with toddlers.",
        ),
        conclusions=("Trauma-informed training is acceptable to early years practitioners.",),
        keywords=("early childhood education", "trauma-informed practice", "early years"),
        mesh=("Humans", "Child, Preschool", "Child Care", "Psychological Trauma"),
        psyc_terms=("*Early Childhood Education", "*Trauma-Informed Care", "Child Care Workers"),
        designs=("prepost", "qualitative"),
        journals=("cysr", "chiabu", "cmalt"),
        contexts=("In nurseries serving disadvantaged areas",),
        mechanisms=("practitioners noticed signs of stress earlier",),
        outcomes=("and children settled more quickly",),
    ),
    Theme(
        "paediatric",
        "nearmiss",
        7,
        titles=(
            "Trauma-informed care in paediatric hospital wards: {design}",
            "Paediatric medical traumatic stress: a trauma-informed approach for hospital staff",
        ),
        background=(
            "Children admitted to hospital may experience medical procedures as traumatic.",
            "Paediatric nurses are increasingly trained in trauma-informed care.",
        ),
        aims=(
            "This study evaluated trauma-informed care training for paediatric nurses.",
            "We examined paediatric medical traumatic stress after emergency admission.",
        ),
        results=(
            "{pct}% of children showed symptoms of medical traumatic stress at one month.",
            "Nurses reported greater awareness of procedural distress.",
        ),
        conclusions=("Trauma-informed care can be integrated into paediatric hospital practice.",),
        keywords=(
            "paediatric nursing",
            "medical traumatic stress",
            "trauma-informed care",
            "hospital",
        ),
        mesh=(
            "Humans",
            "Child",
            "Hospitals, Pediatric",
            "Pediatric Nursing",
            "Stress Disorders, Traumatic",
        ),
        psyc_terms=("*Hospitalized Patients", "*Trauma-Informed Care", "Pediatrics"),
        designs=("prepost", "cohort", "qualitative"),
        journals=("adc", "jan", "fpsyt"),
        contexts=("On wards with frequent invasive procedures",),
        mechanisms=("nurses prepared children more carefully",),
        outcomes=("and procedural distress reduced",),
    ),
    Theme(
        "kinship_adoption",
        "nearmiss",
        8,
        titles=(
            "Trauma-informed support for adoptive families: {design}",
            "Kinship carers and children's trauma: {design}",
            "Therapeutic parenting after adoption: {design}",
        ),
        background=(
            "Many adopted children and children in kinship care have experienced early trauma.",
            "Adoptive and kinship families report unmet needs for trauma-informed support.",
        ),
        aims=(
            "This study evaluated a trauma-informed parenting programme for adoptive parents.",
            "We explored the support needs of kinship carers caring for traumatised children.",
        ),
        results=(
            "Adoptive parents reported reduced stress after the programme ({hi} to {lo}).",
            "Kinship carers described financial strain alongside children's trauma symptoms.",
        ),
        conclusions=("Trauma-informed post-adoption support should be widely available.",),
        keywords=("adoption", "kinship care", "therapeutic parenting", "trauma"),
        mesh=("Humans", "Adoption", "Child", "Parenting", "Psychological Trauma"),
        psyc_terms=("*Adoption (Child)", "*Kinship Care", "Parent Training"),
        designs=("prepost", "qualitative", "mixed"),
        journals=("adfos", "cfsw", "cysr", "ccpp"),
        contexts=("Where adoptive parents had peer support",),
        mechanisms=("parents reinterpreted rejection as fear",),
        outcomes=("and family relationships improved",),
    ),
    Theme(
        "supported_accommodation",
        "nearmiss",
        6,
        titles=(
            "Supported accommodation for 16 and 17 year olds leaving care: {design}",
            "Unaccompanied asylum-seeking young people in semi-independent accommodation",
        ),
        background=(
            "Older looked after children in England are often placed in supported "
            "accommodation rather than children's homes.",
            "Unaccompanied asylum-seeking young people commonly live in semi-independent settings.",
        ),
        aims=(
            "This study examined the quality of supported accommodation for young people aged 16 "
            "and 17.",
            "We explored the experiences of unaccompanied young people in semi-independent "
            "accommodation.",
        ),
        results=(
            "Young people described isolation and limited contact with key workers.",
            "{pct}% of providers reported no trauma-related training for key workers.",
        ),
        conclusions=("Supported accommodation should offer care as well as housing support.",),
        keywords=(
            "supported accommodation",
            "care leavers",
            "unaccompanied asylum-seeking children",
        ),
        mesh=("Humans", "Adolescent", "Refugees", "Housing"),
        psyc_terms=("*Independent Living Programs", "*Refugees", "Adolescent Development"),
        designs=("qualitative", "survey"),
        journals=("cfsw", "bjsw", "cysr"),
        contexts=("Where key workers changed frequently",),
        mechanisms=("young people felt left to cope alone",),
        outcomes=("and several moved placement within months",),
    ),
    Theme(
        "emergency",
        "nearmiss",
        6,
        titles=(
            "Trauma-informed care in the adult emergency department: {design}",
            "Emergency nurses' readiness for trauma-informed care: {design}",
        ),
        background=(
            "Patients attending emergency departments often have histories of violence and trauma.",
            "Emergency department staff receive little training in trauma-informed care.",
        ),
        aims=(
            "This study assessed emergency department staff readiness for trauma-informed care.",
            "We evaluated a brief trauma-informed training module for emergency nurses.",
        ),
        results=(
            "Readiness scores improved from {lo} to {hi} after training.",
            "Nurses identified time pressure as the main barrier.",
        ),
        conclusions=(
            "Brief training improves readiness for trauma-informed care in emergency departments.",
        ),
        keywords=("emergency department", "trauma-informed care", "nursing", "adults"),
        mesh=("Humans", "Adult", "Emergency Service, Hospital", "Emergency Nursing"),
        psyc_terms=("*Emergency Services", "*Trauma-Informed Care", "Nurses"),
        designs=("prepost", "survey"),
        journals=("jan", "fpsyt", "injury"),
        contexts=("In departments with high attendance",),
        mechanisms=("nurses recognised trauma cues in aggression",),
        outcomes=("and complaints decreased",),
    ),
    # ---------------------------------------------------------------- off topic
    Theme(
        "ptsd_drugs",
        "offtopic",
        11,
        titles=(
            "Prazosin for trauma-related nightmares in adults: {odesign}",
            "Pharmacological treatment of post-traumatic stress disorder: {odesign}",
            "Sertraline versus placebo for chronic PTSD in veterans: {odesign}",
            "Ketamine infusion for treatment-resistant posttraumatic stress disorder: {odesign}",
            "Propranolol after trauma exposure to prevent PTSD: {odesign}",
        ),
        background=(
            "Post-traumatic stress disorder is a common and disabling condition.",
            "Pharmacotherapy is widely used for PTSD, although effect sizes are modest.",
            "Sleep disturbance and nightmares are core symptoms of PTSD.",
        ),
        aims=(
            "We assessed the efficacy and tolerability of the drug in adults with PTSD.",
            "This study compared pharmacological treatments for post-traumatic stress disorder.",
        ),
        results=(
            "The CAPS-5 total score decreased by {hi} points with active treatment versus "
            "{lo} with "
            "placebo.",
            "Adverse events, mainly dizziness and headache, were reported by {pct}% of "
            "participants.",
            "Dropout did not differ between groups.",
            "Response, defined as a 30% reduction in symptoms, was seen in {pct_hi}% on active "
            "treatment and {pct}% on placebo.",
            "Orthostatic hypotension led to discontinuation in {pct2}% of participants.",
            "Benefits on sleep quality were observed from week four.",
        ),
        conclusions=(
            "The findings support modest benefits of pharmacotherapy for adults with PTSD.",
            "Larger trials with longer follow-up are required.",
        ),
        keywords=("PTSD", "pharmacotherapy", "randomized controlled trial", "adults"),
        mesh=("Humans", "Adult", "Stress Disorders, Post-Traumatic", "Treatment Outcome"),
        psyc_terms=("*Posttraumatic Stress Disorder", "*Drug Therapy"),
        designs=(),
        journals=("jcp", "jts", "fpsyt", "ejpt"),
        methods=(
            "In this double-blind trial, {n_staff} adults were randomised to active drug or "
            "placebo for {months} weeks.",
            "We searched five databases and pooled {n_studies} randomised trials in a "
            "random-effects meta-analysis.",
        ),
    ),
    Theme(
        "veterinary",
        "offtopic",
        8,
        titles=(
            "Management of traumatic injuries in dogs: {odesign}",
            "Behavioural rehabilitation of shelter dogs with trauma histories",
            "Staff training and handling stress in residential animal shelters: {odesign}",
            "Traumatic injury in horses: outcomes of emergency care",
        ),
        background=(
            "Traumatic injuries are a frequent reason for emergency veterinary presentation.",
            "Animals in rescue shelters may show fear responses linked to previous maltreatment.",
        ),
        aims=(
            "This study described the outcomes of dogs presented with traumatic injuries.",
            "We evaluated a low-stress handling training programme for shelter staff.",
        ),
        results=(
            "Survival to discharge was {pct}% in the study population.",
            "Fear scores during handling decreased after staff training.",
            "Length of stay before rehoming fell by {pct}% after the programme.",
            "Road traffic accidents were the most common cause of injury.",
            "Median time from injury to presentation was {iss} hours.",
            "Fractures of the limbs accounted for {pct}% of cases.",
        ),
        conclusions=(
            "Staff training in low-stress handling may improve animal welfare in shelters.",
            "Early stabilisation improves outcomes after traumatic injury in animals.",
        ),
        keywords=("veterinary", "animal welfare", "trauma", "shelter dogs"),
        mesh=("Animals", "Dogs", "Wounds and Injuries", "Animal Welfare"),
        psyc_terms=("*Animal Welfare",),
        designs=(),
        journals=("jveccc", "jvb", "aabs"),
        methods=(
            "Medical records of {n_yp} animals presented over {months} months were reviewed.",
            "Staff at {n_homes} shelters completed a training programme and fear scores were "
            "recorded for {n_yp} dogs.",
        ),
    ),
    Theme(
        "major_trauma",
        "offtopic",
        10,
        titles=(
            "Outcomes of paediatric major trauma in a regional trauma network: {odesign}",
            "Damage control surgery in severely injured adults: {odesign}",
            "Trauma team activation criteria and mortality: {odesign}",
            "Staff training in trauma resuscitation: simulation in a major trauma centre",
        ),
        background=(
            "Major trauma remains a leading cause of death in children and young adults.",
            "Regional trauma networks were introduced to improve outcomes after severe injury.",
        ),
        aims=(
            "We examined mortality and functional outcomes after major trauma.",
            "This study evaluated simulation training for trauma teams.",
        ),
        results=(
            "Thirty-day mortality was {pct}% and did not differ between centres.",
            "Median Injury Severity Score was {iss}.",
            "Time to CT scan decreased after simulation training.",
            "Patients transferred from trauma units had longer times to definitive surgery.",
            "Functional outcome at six months was good in {pct_hi}% of survivors.",
        ),
        conclusions=(
            "Trauma networks improve access to specialist care after severe injury.",
            "Simulation training improved team performance in trauma resuscitation.",
        ),
        keywords=("major trauma", "injury", "trauma systems", "emergency surgery"),
        mesh=("Humans", "Wounds and Injuries", "Trauma Centers", "Injury Severity Score"),
        psyc_terms=("*Injuries",),
        designs=(),
        journals=("injury", "adc", "bmjopen"),
        methods=(
            "We analysed registry data for {n_yp} patients admitted between {y1} and {y2}.",
            "A prospective cohort of {n_yp} severely injured patients was followed for "
            "{months} months.",
        ),
    ),
    Theme(
        "tbi",
        "offtopic",
        8,
        titles=(
            "Rehabilitation after traumatic brain injury in adolescents: {odesign}",
            "Cognitive outcomes after mild traumatic brain injury: {odesign}",
            "Traumatic brain injury among young people in custody: {odesign}",
        ),
        background=(
            "Traumatic brain injury is a common cause of acquired disability in young people.",
            "Mild traumatic brain injury can lead to persistent cognitive symptoms.",
        ),
        aims=(
            "We examined cognitive and functional outcomes after traumatic brain injury.",
            "This study estimated the prevalence of traumatic brain injury in a custodial "
            "population.",
        ),
        results=(
            "Processing speed remained impaired at {months} months in {pct}% of participants.",
            "Self-reported brain injury was common and associated with earlier offending.",
            "Fatigue and headache persisted in {pct}% of participants.",
            "Return to school or work was delayed in those with prior injuries.",
        ),
        conclusions=(
            "Services should screen for traumatic brain injury and provide neurorehabilitation.",
        ),
        keywords=("traumatic brain injury", "rehabilitation", "cognition"),
        mesh=("Humans", "Brain Injuries, Traumatic", "Adolescent", "Cognition"),
        psyc_terms=("*Traumatic Brain Injury", "*Neuropsychological Rehabilitation"),
        designs=(),
        journals=("braininj", "fpsyt", "injury"),
        methods=(
            "A prospective cohort of {n_yp} patients completed neuropsychological testing.",
            "We surveyed {n_yp} young people using a validated brain injury screening tool.",
        ),
    ),
    Theme(
        "dental",
        "offtopic",
        6,
        titles=(
            "Traumatic dental injuries in children: {odesign}",
            "Management of avulsed permanent teeth: {odesign}",
        ),
        background=(
            "Traumatic dental injuries are common in childhood.",
            "Prompt management improves the prognosis of avulsed teeth.",
        ),
        aims=("We described the epidemiology and management of dental trauma in children.",),
        results=(
            "Falls were the most common cause of injury ({pct}%).",
            "Replantation within one hour was achieved in a minority of cases.",
            "Upper central incisors were the teeth most often injured.",
            "Pulp necrosis developed in {pct2}% of luxated teeth during follow-up.",
        ),
        conclusions=("Public education on first aid for dental trauma is needed.",),
        keywords=("dental trauma", "children", "avulsion"),
        mesh=("Humans", "Child", "Tooth Injuries", "Tooth Avulsion"),
        psyc_terms=("*Dental Treatment",),
        designs=(),
        journals=("denttrau",),
        methods=("Records of {n_yp} children attending a dental hospital were reviewed.",),
    ),
    Theme(
        "neuro",
        "offtopic",
        8,
        titles=(
            "Amygdala reactivity in post-traumatic stress disorder: {odesign}",
            "Genetic variation and risk of PTSD after trauma exposure: {odesign}",
            "Hippocampal volume in adults with childhood maltreatment: {odesign}",
        ),
        background=(
            "Neuroimaging studies have linked PTSD to altered threat processing.",
            "Genetic factors contribute to vulnerability to PTSD.",
        ),
        aims=("This study examined neural and genetic correlates of PTSD.",),
        results=(
            "Amygdala activation to threat faces was greater in the PTSD group (d = 0.{d2}).",
            "Polygenic risk scores explained a small proportion of variance in symptoms.",
            "Hippocampal volume was smaller in participants exposed to childhood maltreatment.",
            "Effects remained after adjustment for depression and alcohol use.",
        ),
        conclusions=("These findings add to models of the neurobiology of PTSD.",),
        keywords=("PTSD", "neuroimaging", "amygdala", "genetics"),
        mesh=(
            "Humans",
            "Adult",
            "Stress Disorders, Post-Traumatic",
            "Magnetic Resonance Imaging",
            "Amygdala",
        ),
        psyc_terms=("*Posttraumatic Stress Disorder", "*Neuroimaging"),
        designs=(),
        journals=("jts", "ejpt", "fpsyt"),
        methods=(
            "{n_staff} adults underwent functional MRI during an emotional faces task.",
            "We analysed genotype data from {n_yp} trauma-exposed adults.",
        ),
    ),
    Theme(
        "surgical_supervision",
        "offtopic",
        7,
        titles=(
            "Supervision of surgical trainees and patient outcomes: {odesign}",
            "Staff training and supervision in residential care for adults with learning "
            "disabilities",
            "Clinical supervision for nurses in general hospitals: {odesign}",
        ),
        background=(
            "Supervision of trainees is assumed to protect patient safety.",
            "Clinical supervision is recommended for nurses in all settings.",
        ),
        aims=("We examined the association between supervision and outcomes.",),
        results=(
            "Complication rates did not differ by level of supervision ({pct}% vs {pct2}%).",
            "Nurses valued supervision but attendance was low.",
            "Trainees operated unsupervised in {pct}% of emergency cases at night.",
            "Supervision was more often cancelled in units with staff shortages.",
        ),
        conclusions=("Supervision arrangements should be evaluated with outcome data.",),
        keywords=("supervision", "staff training", "patient safety"),
        mesh=("Humans", "Internship and Residency", "Clinical Competence", "Adult"),
        psyc_terms=("*Professional Supervision",),
        designs=(),
        journals=("bmjopen", "jan"),
        methods=(
            "We analysed {n_yp} operations performed by trainees at {n_homes} hospitals.",
            "A survey of {n_staff} nurses examined supervision arrangements.",
        ),
    ),
)

#: Off-topic design phrases for titles.
OFFTOPIC_DESIGNS: tuple[str, ...] = (
    "a randomized controlled trial", "a systematic review and meta-analysis",
    "a retrospective cohort study", "a prospective cohort study", "a cross-sectional study",
    "a multicentre study", "a case series",
)  # fmt: skip

MODELS: tuple[str, ...] = (
    "Sanctuary Model",
    "Children and Residential Experiences (CARE) model",
    "Attachment, Regulation and Competency (ARC) framework",
    "Trust-Based Relational Intervention (TBRI)",
    "Therapeutic Crisis Intervention (TCI) system",
)

# --------------------------------------------------------------------------------------------
# Journals (real journal names; every work in them here is fictional)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Journal:
    """A journal: names as each database writes them, and where it is indexed."""

    key: str
    name: str
    nlm_title: str
    iso: str
    issn: str
    eissn: str
    publisher: str
    country: str
    in_pubmed: bool
    in_psycinfo: bool
    medline: bool = True
    nlm_id: str = ""
    springer: bool = False


JOURNALS: dict[str, Journal] = {
    j.key: j
    for j in (
        Journal(
            "chiabu",
            "Child Abuse & Neglect",
            "Child abuse & neglect",
            "Child Abuse Negl",
            "0145-2134",
            "1873-7757",
            "Elsevier",
            "England",
            True,
            True,
            nlm_id="7801702",
        ),
        Journal(
            "cysr",
            "Children and Youth Services Review",
            "Children and youth services review",
            "Child Youth Serv Rev",
            "0190-7409",
            "1873-7765",
            "Elsevier",
            "England",
            False,
            True,
        ),
        Journal(
            "rtcy",
            "Residential Treatment for Children & Youth",
            "Residential treatment for children & youth",
            "Resid Treat Child Youth",
            "0886-571X",
            "1541-0358",
            "Taylor & Francis",
            "United States",
            False,
            True,
        ),
        Journal(
            "cfsw",
            "Child & Family Social Work",
            "Child & family social work",
            "Child Fam Soc Work",
            "1356-7500",
            "1365-2206",
            "Wiley",
            "England",
            False,
            True,
        ),
        Journal(
            "bjsw",
            "The British Journal of Social Work",
            "British journal of social work",
            "Br J Soc Work",
            "0045-3102",
            "1468-263X",
            "Oxford University Press",
            "England",
            False,
            True,
        ),
        Journal(
            "jcat",
            "Journal of Child & Adolescent Trauma",
            "Journal of child & adolescent trauma",
            "J Child Adolesc Trauma",
            "1936-1521",
            "1936-153X",
            "Springer",
            "Switzerland",
            True,
            True,
            medline=False,
            nlm_id="101487418",
            springer=True,
        ),
        Journal(
            "camh",
            "Child and Adolescent Mental Health",
            "Child and adolescent mental health",
            "Child Adolesc Ment Health",
            "1475-357X",
            "1475-3588",
            "Wiley",
            "England",
            True,
            True,
            nlm_id="101125878",
        ),
        Journal(
            "sjrcc",
            "Scottish Journal of Residential Child Care",
            "Scottish journal of residential child care",
            "Scott J Resid Child Care",
            "1478-1840",
            "",
            "CELCIS",
            "Scotland",
            False,
            False,
        ),
        Journal(
            "ptrauma",
            "Psychological Trauma: Theory, Research, Practice, and Policy",
            "Psychological trauma : theory, research, practice and policy",
            "Psychol Trauma",
            "1942-9681",
            "1942-969X",
            "American Psychological Association",
            "United States",
            True,
            True,
            nlm_id="101514487",
        ),
        Journal(
            "ejpt",
            "European Journal of Psychotraumatology",
            "European journal of psychotraumatology",
            "Eur J Psychotraumatol",
            "2000-8198",
            "2000-8066",
            "Taylor & Francis",
            "United States",
            True,
            True,
            medline=False,
            nlm_id="101559025",
        ),
        Journal(
            "hscc",
            "Health & Social Care in the Community",
            "Health & social care in the community",
            "Health Soc Care Community",
            "0966-0410",
            "1365-2524",
            "Wiley",
            "England",
            True,
            True,
            nlm_id="9306359",
        ),
        Journal(
            "cmalt",
            "Child Maltreatment",
            "Child maltreatment",
            "Child Maltreat",
            "1077-5595",
            "1552-6119",
            "SAGE Publications",
            "United States",
            True,
            True,
            nlm_id="9602869",
        ),
        Journal(
            "ccpp",
            "Clinical Child Psychology and Psychiatry",
            "Clinical child psychology and psychiatry",
            "Clin Child Psychol Psychiatry",
            "1359-1045",
            "1461-7021",
            "SAGE Publications",
            "England",
            True,
            True,
            nlm_id="9604124",
        ),
        Journal(
            "jswp",
            "Journal of Social Work Practice",
            "Journal of social work practice",
            "J Soc Work Pract",
            "0265-0533",
            "1465-3885",
            "Taylor & Francis",
            "England",
            False,
            True,
        ),
        Journal(
            "adfos",
            "Adoption & Fostering",
            "Adoption & fostering",
            "Adopt Foster",
            "0308-5759",
            "1740-469X",
            "SAGE Publications",
            "England",
            False,
            True,
        ),
        Journal(
            "tva",
            "Trauma, Violence, & Abuse",
            "Trauma, violence & abuse",
            "Trauma Violence Abuse",
            "1524-8380",
            "1552-8324",
            "SAGE Publications",
            "United States",
            True,
            True,
            nlm_id="100890434",
        ),
        Journal(
            "smh",
            "School Mental Health",
            "School mental health",
            "School Ment Health",
            "1866-2625",
            "1866-2633",
            "Springer",
            "United States",
            False,
            True,
        ),
        Journal(
            "ijmhn",
            "International Journal of Mental Health Nursing",
            "International journal of mental health nursing",
            "Int J Ment Health Nurs",
            "1445-8330",
            "1447-0349",
            "Wiley",
            "Australia",
            True,
            True,
            nlm_id="101140527",
        ),
        Journal(
            "jpmhn",
            "Journal of Psychiatric and Mental Health Nursing",
            "Journal of psychiatric and mental health nursing",
            "J Psychiatr Ment Health Nurs",
            "1351-0126",
            "1365-2850",
            "Wiley",
            "England",
            True,
            True,
            nlm_id="9439514",
        ),
        Journal(
            "fpsyt",
            "Frontiers in Psychiatry",
            "Frontiers in psychiatry",
            "Front Psychiatry",
            "1664-0640",
            "1664-0640",
            "Frontiers Media SA",
            "Switzerland",
            True,
            False,
            medline=False,
            nlm_id="101545006",
        ),
        Journal(
            "jamda",
            "Journal of the American Medical Directors Association",
            "Journal of the American Medical Directors Association",
            "J Am Med Dir Assoc",
            "1525-8610",
            "1538-9375",
            "Elsevier",
            "United States",
            True,
            False,
            nlm_id="100893243",
        ),
        Journal(
            "jan",
            "Journal of Advanced Nursing",
            "Journal of advanced nursing",
            "J Adv Nurs",
            "0309-2402",
            "1365-2648",
            "Wiley",
            "England",
            True,
            True,
            nlm_id="7609811",
        ),
        Journal(
            "jsat",
            "Journal of Substance Abuse Treatment",
            "Journal of substance abuse treatment",
            "J Subst Abuse Treat",
            "0740-5472",
            "1873-6483",
            "Elsevier",
            "United States",
            True,
            True,
            nlm_id="8500909",
        ),
        Journal(
            "jiv",
            "Journal of Interpersonal Violence",
            "Journal of interpersonal violence",
            "J Interpers Violence",
            "0886-2605",
            "1552-6518",
            "SAGE Publications",
            "United States",
            True,
            True,
            nlm_id="8028900",
        ),
        Journal(
            "yj",
            "Youth Justice",
            "Youth justice",
            "Youth Justice",
            "1473-2254",
            "1747-6283",
            "SAGE Publications",
            "England",
            False,
            True,
        ),
        Journal(
            "adc",
            "Archives of Disease in Childhood",
            "Archives of disease in childhood",
            "Arch Dis Child",
            "0003-9888",
            "1468-2044",
            "BMJ",
            "England",
            True,
            False,
            nlm_id="0372434",
        ),
        Journal(
            "jaacap",
            "Journal of the American Academy of Child & Adolescent Psychiatry",
            "Journal of the American Academy of Child and Adolescent Psychiatry",
            "J Am Acad Child Adolesc Psychiatry",
            "0890-8567",
            "1527-5418",
            "Elsevier",
            "United States",
            True,
            True,
            nlm_id="8704565",
        ),
        Journal(
            "jcp",
            "Journal of Clinical Psychopharmacology",
            "Journal of clinical psychopharmacology",
            "J Clin Psychopharmacol",
            "0271-0749",
            "1533-712X",
            "Wolters Kluwer",
            "United States",
            True,
            True,
            nlm_id="8109496",
        ),
        Journal(
            "jts",
            "Journal of Traumatic Stress",
            "Journal of traumatic stress",
            "J Trauma Stress",
            "0894-9867",
            "1573-6598",
            "Wiley",
            "United States",
            True,
            True,
            nlm_id="8809259",
        ),
        Journal(
            "jveccc",
            "Journal of Veterinary Emergency and Critical Care",
            "Journal of veterinary emergency and critical care (San Antonio, Tex. : 2001)",
            "J Vet Emerg Crit Care (San Antonio)",
            "1479-3261",
            "1476-4431",
            "Wiley",
            "United States",
            True,
            False,
            nlm_id="101152804",
        ),
        Journal(
            "jvb",
            "Journal of Veterinary Behavior",
            "Journal of veterinary behavior",
            "J Vet Behav",
            "1558-7878",
            "1878-7517",
            "Elsevier",
            "United States",
            False,
            False,
        ),
        Journal(
            "aabs",
            "Applied Animal Behaviour Science",
            "Applied animal behaviour science",
            "Appl Anim Behav Sci",
            "0168-1591",
            "1872-9045",
            "Elsevier",
            "Netherlands",
            False,
            False,
        ),
        Journal(
            "injury",
            "Injury",
            "Injury",
            "Injury",
            "0020-1383",
            "1879-0267",
            "Elsevier",
            "Netherlands",
            True,
            False,
            nlm_id="0226040",
        ),
        Journal(
            "braininj",
            "Brain Injury",
            "Brain injury",
            "Brain Inj",
            "0269-9052",
            "1362-301X",
            "Taylor & Francis",
            "England",
            True,
            True,
            nlm_id="8710358",
        ),
        Journal(
            "denttrau",
            "Dental Traumatology",
            "Dental traumatology : official publication of International Association for "
            "Dental Traumatology",
            "Dent Traumatol",
            "1600-4469",
            "1600-9657",
            "Wiley",
            "Denmark",
            True,
            False,
            nlm_id="101091305",
        ),
        Journal(
            "bmjopen",
            "BMJ Open",
            "BMJ open",
            "BMJ Open",
            "2044-6055",
            "2044-6055",
            "BMJ",
            "England",
            True,
            False,
            medline=False,
            nlm_id="101552874",
        ),
    )
}

# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------
_US_SPELLINGS: dict[str, str] = {
    "organisation": "organization", "organisations": "organizations",
    "organisational": "organizational", "behaviour": "behavior", "behaviours": "behaviors",
    "behavioural": "behavioral", "programme": "program", "programmes": "programs",
    "centre": "center", "centres": "centers", "recognise": "recognize",
    "recognised": "recognized", "prioritise": "prioritize", "prioritised": "prioritized",
    "emphasised": "emphasized", "randomised": "randomized", "minimise": "minimize",
    "characterised": "characterized", "stabilisation": "stabilization", "paediatric": "pediatric",
    "licence": "license", "judgement": "judgment", "judgements": "judgments",
    "counsellors": "counselors", "modelled": "modeled", "colour": "color", "favour": "favor",
    "retraumatise": "retraumatize", "analysed": "analyzed", "synthesised": "synthesized",
    "multicentre": "multicenter", "stabilise": "stabilize", "utilise": "utilize",
}  # fmt: skip
_US_RE = re.compile(r"\b(" + "|".join(sorted(_US_SPELLINGS, key=len, reverse=True)) + r")\b", re.I)


def us_spelling(text: str) -> str:
    """British to American spelling for the words the demo uses (case of the first letter kept)."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        new = _US_SPELLINGS[word.lower()]
        return new[0].upper() + new[1:] if word[0].isupper() else new

    return _US_RE.sub(swap, text)


_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or"}
    | {"the", "to", "vs", "with"}
)


def title_case(title: str) -> str:
    """Headline-style capitalisation, as publishers often deposit titles with Crossref."""
    words = title.split(" ")
    out = []
    after_colon = True
    for word in words:
        core = word.lstrip("'\"‘“(")
        lead = word[: len(word) - len(core)]
        if core and (after_colon or core.lower() not in _SMALL_WORDS):
            parts = core.split("-")
            core = "-".join(p[:1].upper() + p[1:] if p else p for p in parts)
        out.append(lead + core)
        after_colon = word.endswith((":", "?", "."))
    return " ".join(out)


def capitalise(text: str) -> str:
    """Upper-case the first letter only."""
    return text[:1].upper() + text[1:]


def initials(given: str) -> str:
    """``"Sarah J."`` -> ``"SJ"``; ``"Mary-Kate"`` -> ``"MK"``."""
    letters = [part[0] for part in re.split(r"[\s.\-]+", given) if part]
    return "".join(letters).upper()


def strip_diacritics(text: str) -> str:
    """``Müller`` -> ``Muller``, ``Østergaard`` -> ``Ostergaard`` (as some databases store them)."""
    import unicodedata

    special = str.maketrans({"Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "ß": "ss"})
    decomposed = unicodedata.normalize("NFKD", text.translate(special))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def word_count(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())
