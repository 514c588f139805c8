"""Logging for rules and the command line, with secrets kept out of every log line.

Keys and e-mail addresses are read from the environment with :func:`secret_from_env`, which
remembers the value; :class:`RedactingFilter` replaces any remembered value (and any
``api_key=``/``key=``/``email=`` query parameter) with ``***`` before a line is written.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

_SECRETS: set[str] = set()
_PARAM_RE = re.compile(r"(?i)\b(api_key|apikey|key|email|mailto|token)=([^&\s\"']+)")


def secret_from_env(name: str | None) -> str:
    """Value of environment variable ``name`` ('' when unset), registered for redaction."""
    if not name:
        return ""
    value = os.environ.get(name, "").strip()
    if value:
        _SECRETS.add(value)
    return value


def redact(text: str) -> str:
    """Replace registered secrets and secret-looking URL parameters with ``***``."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        if secret and secret in text:
            text = text.replace(secret, "***")
    return _PARAM_RE.sub(lambda m: f"{m.group(1)}=***", text)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the formatted message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def setup_logging(log_file: str | Path | None = None, *, verbose: bool = False) -> None:
    """Log to ``log_file`` (created with its folder) and stderr, with redaction everywhere."""
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_file:
        path = Path(log_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(path, mode="w", encoding="utf-8"))
    redactor = RedactingFilter()
    for handler in handlers:
        handler.addFilter(redactor)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("urllib3", "httpx", "httpx2", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def exit_on_input_error(func: Callable[..., object], /, **kwargs: object) -> None:
    """Run ``func(**kwargs)``; a reviewer-fixable error is logged as one clear line, then exit 1.

    Used by the rule scripts so that a bad file ends the job with a message, not a traceback.
    """
    from realist_review.errors import InputError, SourceError

    try:
        func(**kwargs)
    except (InputError, SourceError) as exc:
        logging.getLogger("realist_review").error("%s", exc)
        raise SystemExit(1) from None
