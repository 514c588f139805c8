"""Title/abstract screening: ranked rounds through spreadsheets, decisions, agreement, stopping.

Modules (imported explicitly; this package imports nothing on its own, so each stage loads only
what it needs):

- ``settings``: the ``screening:`` config section, and the enumerations used across modules;
- ``inputs``: the deduplicated record table as screening reads it;
- ``model``: the ranking model (TF-IDF features, linear models as named presets);
- ``stopping``: the statistical stopping rule (buscar: a hypergeometric test of recall);
- ``simulate``: replaying a labelled dataset through the ranker (``realist-review simulate``);
- ``sheets``: writing and reading the reviewers' sheets (``.xlsx`` and ``.csv``);
- ``decisions``: validating filled sheets and rebuilding the append-only decision log;
- ``agreement``: Cohen's kappa, raw agreement and conflicts;
- ``rounds``: eligibility limits, planning a round, the status and progress tables, export;
- ``cli``: ``realist-review screen {export,import,status,conflicts}``.
"""
