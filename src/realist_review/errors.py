"""Errors a reviewer is meant to read.

:class:`InputError` says what is wrong with a file, row or field and what to do about it; the
command line and the Snakemake scripts print its message without a traceback.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input from a person or a source: the message names the place and the fix."""


class SourceError(RuntimeError):
    """A web source failed after every retry; the message names the source and the request."""
