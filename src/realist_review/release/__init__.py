"""Frozen, citable releases of a review.

- :mod:`~realist_review.release.manifest`: which files a release holds (the declared layout:
  inputs, workflow, raw, derived, report, excluded) and the manifest listing them;
- :mod:`~realist_review.release.archive`: the deterministic ``.tar.gz`` and its safe extraction;
- :mod:`~realist_review.release.crate`: the Workflow Run Crate and ``CITATION.cff``;
- :mod:`~realist_review.release.freeze`: ``realist-review freeze --version X.Y``;
- :mod:`~realist_review.release.verify`: ``realist-review verify ARCHIVE`` (checksums, then
  every derived output re-derived offline);
- :mod:`~realist_review.release.diff`: ``realist-review diff A B`` (records, decisions, CMO
  rows and programme-theory statements added, changed, removed);
- :mod:`~realist_review.release.guard`: a config change that would alter a frozen search stops
  the run and asks for a new version.
"""
