"""HTTP for the web clients: one polite session, per-source rate limits, retries, clear errors.

Every request a client makes goes through :func:`get`, which

- waits for the source's rate limiter (PubMed 3 requests/s, 10 with an API key; polite
  defaults elsewhere, see :data:`DEFAULT_RATES`);
- retries with exponential backoff on 429 (honouring ``Retry-After``, in seconds or as an HTTP
  date, capped at :data:`MAX_RETRY_AFTER_SECONDS`), on 5xx, on connection errors and timeouts,
  on corrupt compressed bodies, and on cut-off, unparseable or unexpected bodies (the caller's
  ``validate`` function raises :class:`RetryableBody`, e.g. for an API error in a 200 body);
- gives every attempt a deadline: ``timeout_seconds`` bounds the whole answer, headers and
  body, so a server trickling its body cannot hang a search;
- fails at once when the host name cannot be resolved (a typing error in ``base_url`` or no
  network: retrying does not help);
- then raises :class:`realist_review.errors.SourceError` naming the source, the request (with
  keys and e-mail redacted) and what happened.

A page that is well formed but holds fewer records than the search expects (an empty page in
the middle of a search, a short batch) raises :class:`IncompletePage` from ``validate``: it is
retried like a fault, and if the source still answers the same after the last retry the
response is returned, so that the client keeps it and records the shortfall.

Keys travel in the request only. Every URL that reaches a log line or an exception message goes
through :func:`realist_review.logutil.redact`.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import requests
import urllib3

from realist_review import __version__
from realist_review.errors import SourceError
from realist_review.logutil import redact, secret_from_env

log = logging.getLogger(__name__)

#: Requests per second per source when the settings do not say otherwise.
#: NCBI allows 3/s without a key and 10/s with one; OpenAlex asks for at most 10/s; Crossref's
#: polite pool allows 10/s and its public pool 5/s (we stay at 5); Europe PMC and Zotero
#: publish no hard figure, so we stay well below what they tolerate.
DEFAULT_RATES: dict[str, float] = {
    "pubmed": 3.0,
    "europepmc": 5.0,
    "openalex": 10.0,
    "crossref": 5.0,
    "zotero": 5.0,
}
PUBMED_RATE_WITH_KEY = 10.0
#: The longest a ``Retry-After`` header (or the backoff) makes a client wait before one retry.
MAX_RETRY_AFTER_SECONDS = 120.0
#: How much of an error body goes into a message.
_BODY_EXCERPT = 300


class RetryableBody(Exception):
    """Raised by a ``validate`` function when a body is cut off or cannot be parsed."""


class IncompletePage(RetryableBody):
    """A well-formed page with fewer records than expected: retried, then returned as it is."""


class _Deadline(Exception):
    """The whole answer did not arrive within ``timeout_seconds``."""


class HTTPStatusError(SourceError):
    """A source answered with an HTTP status that retrying cannot fix (a 4xx other than 429)."""

    def __init__(self, message: str, *, status: int, body: str) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


# --------------------------------------------------------------------------------------------
# Rate limiting
# --------------------------------------------------------------------------------------------
class RateLimiter:
    """Spaces calls at least ``1/rate`` seconds apart, across threads."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self) -> float:
        """Block until the next call is allowed, reserve the slot after it; return the slot."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)
        return start


_LIMITERS: dict[tuple[str, float], RateLimiter] = {}
_LIMITERS_LOCK = threading.Lock()


def rate_limiter(source: str, rate: float) -> RateLimiter:
    """The process-wide limiter for ``source`` at ``rate`` requests per second."""
    with _LIMITERS_LOCK:
        limiter = _LIMITERS.get((source, rate))
        if limiter is None:
            limiter = _LIMITERS[(source, rate)] = RateLimiter(rate)
        return limiter


def requests_per_second(
    settings: Mapping[str, Any], source: str, *, has_key: bool = False
) -> float:
    """The rate for ``source``: ``settings[source]["requests_per_second"]`` if given, else the
    default (PubMed: 10/s when an API key is set)."""
    given = settings.get(source, {}).get("requests_per_second")
    if given:
        return float(given)
    if source == "pubmed" and has_key:
        return PUBMED_RATE_WITH_KEY
    return DEFAULT_RATES.get(source, 1.0)


# --------------------------------------------------------------------------------------------
# Session
# --------------------------------------------------------------------------------------------
def contact_email(settings: Mapping[str, Any]) -> str:
    """The contact e-mail from the environment variable the settings name ('' when unset)."""
    return secret_from_env(settings.get("contact_email_env"))


def user_agent(settings: Mapping[str, Any]) -> str:
    """``realist-review/<version> (+https://github.com/realist-review; mailto:<email>)``."""
    email_address = contact_email(settings)
    contact = f"; mailto:{email_address}" if email_address else ""
    return f"realist-review/{__version__} (+https://github.com/realist-review{contact})"


def make_session(settings: Mapping[str, Any]) -> requests.Session:
    """A :class:`requests.Session` with the project's User-Agent (and contact e-mail, if set)."""
    session = requests.Session()
    session.headers["User-Agent"] = user_agent(settings)
    session.headers["Accept-Encoding"] = "gzip, deflate"
    return session


# --------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------
def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def describe(url: str, params: Mapping[str, Any] | None = None) -> str:
    """The full URL of a request with keys and e-mail redacted (for logs and messages)."""
    try:
        prepared = requests.Request("GET", url, params=dict(params or {})).prepare().url or url
    except requests.RequestException:
        prepared = url
    return redact(prepared)


def _excerpt(text: str) -> str:
    """The start of an error body for a message: redacted first, then cut (a secret that
    straddles the cut would otherwise escape redaction in part)."""
    text = redact(" ".join(text.split()))
    if len(text) > _BODY_EXCERPT:
        text = text[:_BODY_EXCERPT] + "…"
    return text


def _receive(
    session: requests.Session,
    url: str,
    params: Mapping[str, Any] | None,
    headers: Mapping[str, str] | None,
    timeout: float,
) -> requests.Response:
    """One GET whose headers *and* body arrive within ``timeout`` seconds, else :class:`_Deadline`.

    The body is read as it arrives; before every read the socket's timeout is set to the time
    left, so neither a silent nor a trickling server holds a request longer than ``timeout``.
    """
    deadline = time.monotonic() + timeout
    response = session.get(
        url, params=dict(params or {}), headers=dict(headers or {}), timeout=timeout, stream=True
    )
    chunks: list[bytes] = []
    try:
        raw = response.raw
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Deadline
            _socket_timeout(raw, left)
            try:
                chunk = raw.read1(1 << 16, decode_content=True)
            except (TimeoutError, urllib3.exceptions.ReadTimeoutError):
                raise _Deadline from None
            except urllib3.exceptions.DecodeError as exc:
                raise requests.exceptions.ContentDecodingError(str(exc)) from None
            except (urllib3.exceptions.ProtocolError, OSError) as exc:
                raise requests.exceptions.ChunkedEncodingError(str(exc)) from None
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:
        response.close()
        raise
    # What requests itself sets when it reads a body; the connection goes back to the pool.
    response._content = b"".join(chunks)
    response._content_consumed = True  # type: ignore[attr-defined]
    response.close()
    return response


def _socket_timeout(raw: Any, seconds: float) -> None:
    """Set the timeout of the socket under a streamed urllib3 response (when it has one)."""
    sock = getattr(getattr(raw, "_connection", None), "sock", None) or getattr(
        getattr(raw, "connection", None), "sock", None
    )
    if sock is not None:
        sock.settimeout(max(seconds, 0.001))


def get(
    session: requests.Session,
    url: str,
    params: Mapping[str, Any] | None = None,
    *,
    settings: Mapping[str, Any],
    source: str,
    headers: Mapping[str, str] | None = None,
    validate: Callable[[requests.Response], None] | None = None,
    rate: float | None = None,
) -> requests.Response:
    """GET ``url`` politely, retrying what can be retried; return the successful response.

    ``validate(response)`` may raise :class:`RetryableBody` for a cut-off or unparseable body;
    the request is then retried like a 5xx. A 4xx other than 429 raises
    :class:`HTTPStatusError` at once; anything still failing after ``settings["max_retries"]``
    retries raises :class:`SourceError`. Neither message contains a key or an e-mail.
    """
    max_retries = int(settings.get("max_retries", 5))
    backoff = float(settings.get("backoff_seconds", 1.0))
    timeout = float(settings.get("timeout_seconds", 30))
    cap = float(settings.get("max_wait_seconds", MAX_RETRY_AFTER_SECONDS))
    limiter = rate_limiter(source, rate or requests_per_second(settings, source))
    shown = describe(url, params)
    problem = ""
    for attempt in range(max_retries + 1):
        limiter.wait()
        wait: float | None = None
        log.debug("%s: GET %s", source, shown)
        try:
            response = _receive(session, url, params, headers, timeout)
        except (requests.Timeout, _Deadline):
            problem = f"no complete answer within {timeout:g} s (timeout)"
        except requests.exceptions.ChunkedEncodingError:
            problem = "the connection broke while the body was being received (cut-off body)"
        except requests.exceptions.ContentDecodingError:
            problem = "the body could not be decompressed (corrupt gzip or deflate data)"
        except requests.ConnectionError as exc:
            reason = _connection_reason(exc)
            if reason == _UNRESOLVED:
                raise SourceError(
                    f"{source}: GET {shown} failed: {reason}. Check base_url in the clients "
                    f"settings for {source} and the network connection (not retried: "
                    "retrying cannot resolve a name)."
                ) from None
            problem = f"connection failed ({reason})"
        except requests.RequestException as exc:  # an invalid URL, too many redirects...
            raise SourceError(
                f"{source}: GET {shown} failed: {type(exc).__name__}. Check base_url in the "
                f"clients settings for {source}."
            ) from None
        else:
            status = response.status_code
            if status == 429:
                problem = "HTTP 429 Too Many Requests"
                wait = retry_after_seconds(response.headers.get("Retry-After"))
            elif status >= 500:
                problem = f"HTTP {status} {response.reason}".rstrip()
                wait = retry_after_seconds(response.headers.get("Retry-After"))
            elif status >= 400:
                body = _excerpt(response.text)
                raise HTTPStatusError(
                    f"{source}: GET {shown} was refused with HTTP {status} {response.reason}: "
                    f"{body or '(empty body)'}. Check the query and the settings for {source}.",
                    status=status,
                    body=body,
                )
            else:
                if validate is None:
                    return response
                try:
                    validate(response)
                except IncompletePage as exc:
                    problem = f"an incomplete page ({redact(str(exc))})"
                    if attempt == max_retries:
                        log.warning(
                            "%s: %s from %s after %d attempt(s); kept as it is and the "
                            "missing records recorded",
                            source, problem, shown, max_retries + 1,
                        )  # fmt: skip
                        return response
                except RetryableBody as exc:
                    problem = f"unusable body ({redact(str(exc))})"
                else:
                    return response
        if attempt == max_retries:
            break
        delay = backoff * (2**attempt) * (1 + random.random() / 4)  # a little jitter
        if wait is not None:
            delay = max(delay, wait)
        delay = min(delay, cap)
        log.warning(
            "%s: %s from %s; retry %d of %d in %.2f s",
            source, problem, shown, attempt + 1, max_retries, delay,
        )  # fmt: skip
        time.sleep(delay)
    raise SourceError(
        f"{source}: GET {shown} failed after {max_retries + 1} attempt(s): {problem}. "
        "Pages already received are kept; run the search again later to resume where it stopped."
    )


_UNRESOLVED = "the host name could not be resolved"
_REASONS = {
    "RemoteDisconnected": "the server closed the connection without a reply",
    "ConnectionRefusedError": "connection refused",
    "ConnectionResetError": "connection reset by the server",
    "NameResolutionError": _UNRESOLVED,
    "gaierror": _UNRESOLVED,
}


def _connection_reason(exc: BaseException) -> str:
    """A short, secret-free reason for a connection error (requests' text repeats the URL)."""
    todo: list[BaseException] = [exc]
    seen: set[int] = set()
    while todo:
        inner = todo.pop(0)
        if id(inner) in seen or len(seen) > 20:
            continue
        seen.add(id(inner))
        reason = _REASONS.get(type(inner).__name__)
        if reason:
            return reason
        linked = [inner.__cause__, inner.__context__, getattr(inner, "reason", None), *inner.args]
        todo.extend(item for item in linked if isinstance(item, BaseException))
    return type(exc).__name__
