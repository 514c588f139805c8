"""Logging for rules and the command line, with secrets kept out of every log line.

Keys and e-mail addresses are read from the environment with :func:`secret_from_env`, which
remembers the value; :class:`RedactingFilter` replaces any remembered value (as it is and
URL-encoded, and any ``api_key=``/``key=``/``email=`` query parameter) with ``***`` before a
line is written. :func:`setup_logging` puts the filter on every handler, so lines of other
libraries (urllib3's DEBUG lines carry the full URL) and tracebacks are redacted too.
:func:`redact_bytes` does the same for a raw response before it is stored.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

_SECRETS: set[str] = set()
#: Marks the handlers :func:`setup_logging` installed.
_OURS = "_realist_review_handler"
_PARAM_RE = re.compile(r"(?i)\b(api_key|apikey|key|email|mailto|token)=([^&\s\"']+)")


def secret_from_env(name: str | None) -> str:
    """Value of environment variable ``name`` ('' when unset), registered for redaction."""
    if not name:
        return ""
    value = os.environ.get(name, "").strip()
    if value:
        _SECRETS.add(value)
    return value


def _secret_forms() -> Iterator[str]:
    """Every registered secret as it is and URL-encoded, longest first."""
    forms = {
        form
        for secret in _SECRETS
        if secret
        for form in (secret, quote(secret, safe=""), quote_plus(secret), quote(secret))
    }
    yield from sorted(forms, key=len, reverse=True)


def redact(text: str) -> str:
    """Replace registered secrets and secret-looking URL parameters with ``***``."""
    for secret in _secret_forms():
        if secret in text:
            text = text.replace(secret, "***")
    return _PARAM_RE.sub(lambda m: f"{m.group(1)}=***", text)


def redact_bytes(data: bytes) -> bytes:
    """``data`` with every registered secret (as it is or URL-encoded) replaced by ``***``.

    Only known values are replaced, so a stored response keeps every other byte (and stays
    valid JSON or XML: ``***`` needs no escaping in either).
    """
    for secret in _secret_forms():
        encoded = secret.encode("utf-8")
        if encoded in data:
            data = data.replace(encoded, b"***")
    return data


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the formatted message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def setup_logging(
    log_file: str | Path | None = None,
    *,
    verbose: bool = False,
    fmt: str = "%(asctime)s %(levelname)s %(name)s: %(message)s",
) -> None:
    """Log to ``log_file`` (created with its folder) and stderr, with redaction everywhere.

    ``verbose`` logs DEBUG lines, other libraries' included (redacted like every line);
    otherwise the HTTP libraries log warnings only.
    """
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_file:
        path = Path(log_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(path, mode="w", encoding="utf-8"))
    redactor = RedactingFilter()
    for handler in handlers:
        handler.setFormatter(logging.Formatter(fmt))
        setattr(handler, _OURS, True)
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, _OURS, False):  # set up by an earlier call: replaced
            root.removeHandler(old)
    for handler in handlers:
        root.addHandler(handler)
    for handler in root.handlers:  # every handler, also those others installed
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(redactor)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("urllib3", "httpx", "httpx2", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.NOTSET if verbose else logging.WARNING)


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
