"""Title/abstract screening: ranked rounds through spreadsheets, decisions, agreement, stopping.

Modules (imported explicitly; this package imports nothing on its own):

- ``settings``: the ``screening:`` config section, and the enumerations used across modules;
- ``inputs``: the deduplicated record table as screening reads it;
- ``sheets``: writing and reading the reviewers' sheets (``.xlsx`` and ``.csv``);
- ``decisions``: validating filled sheets and rebuilding the append-only decision log;
- ``agreement``: Cohen's kappa, raw agreement and conflicts;
- ``rounds``: eligibility limits, planning a round, the status and progress tables, export;
- ``demo_team``: a simulated team that fills exported sheets for the demo review;
- ``cli``: ``realist-review screen {export,import,status,conflicts}``.
"""
