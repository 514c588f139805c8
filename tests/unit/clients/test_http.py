"""The shared HTTP layer: User-Agent, rate limits, retries on every fault, clear final errors."""

from __future__ import annotations

import itertools
import logging
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import requests
from support.fake_api import FakeApi

from realist_review.clients.common import json_validator
from realist_review.clients.http import (
    HTTPStatusError,
    get,
    make_session,
    retry_after_seconds,
    user_agent,
)
from realist_review.errors import SourceError

from .conftest import SECRETS, settings_for


def _get(api: FakeApi, settings: dict[str, Any], session: requests.Session) -> requests.Response:
    return get(
        session,
        f"{api.url}/crossref/works",
        {"query": "trauma", "rows": 5, "mailto": SECRETS["RR_TEST_EMAIL"]},
        settings=settings,
        source="crossref",
        validate=json_validator("message"),
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("3", 3.0, id="seconds"),
        pytest.param("0.25", 0.25, id="fraction"),
        pytest.param("-4", 0.0, id="negative-is-now"),
        pytest.param("soon", None, id="garbage"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="absent"),
    ],
)
def test_retry_after_seconds_reads_delta_seconds(value: str | None, expected: float | None) -> None:
    assert retry_after_seconds(value) == expected


def test_retry_after_seconds_reads_http_dates() -> None:
    now = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    earlier = format_datetime(now - timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(later, now=now) == pytest.approx(90)
    assert retry_after_seconds(earlier, now=now) == 0.0


def test_user_agent_names_project_version_and_contact(secrets_env: dict[str, str]) -> None:
    agent = user_agent({"contact_email_env": "RR_TEST_EMAIL"})
    assert agent.startswith("realist-review/")
    assert agent.endswith(
        f"(+https://github.com/realist-review; mailto:{SECRETS['RR_TEST_EMAIL']})"
    )
    assert "mailto" not in user_agent({"contact_email_env": "RR_TEST_UNSET_VARIABLE"})


def test_session_sends_the_user_agent(fake_api: FakeApi, settings: dict[str, Any]) -> None:
    with make_session(settings) as session:
        _get(fake_api, settings, session)
    assert fake_api.requests[-1].headers["user-agent"] == user_agent(settings)


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        pytest.param("status", {"status": 429, "retry_after": "1"}, id="429-retry-after"),
        pytest.param("status", {"status": 500}, id="500"),
        pytest.param("status", {"status": 502}, id="502"),
        pytest.param("status", {"status": 503, "retry_after": "2"}, id="503-retry-after"),
        pytest.param("delay", {"delay": 1.0}, id="slower-than-timeout"),
        pytest.param("cut_length", {}, id="body-shorter-than-content-length"),
        pytest.param("cut_body", {}, id="json-cut-mid-way"),
        pytest.param("close", {}, id="closed-without-reply"),
    ],
)
def test_faults_are_retried_then_succeed(
    fake_api: FakeApi,
    settings: dict[str, Any],
    session: requests.Session,
    caplog: pytest.LogCaptureFixture,
    kind: str,
    options: dict[str, Any],
) -> None:
    fake_api.fail("/crossref/", kind, times=2, **options)
    with caplog.at_level(logging.WARNING):
        response = _get(fake_api, settings, session)
    assert response.json()["message"]["total-results"] == 25
    assert len(fake_api.seen("/crossref/")) == 3
    retries = [r for r in caplog.records if "retry" in r.getMessage()]
    assert len(retries) == 2
    assert all(r.getMessage().startswith("crossref: ") for r in retries)


def test_retry_after_is_honoured_up_to_the_cap(
    fake_api: FakeApi, secrets_env: dict[str, str]
) -> None:
    settings = settings_for(fake_api.url, backoff_seconds=0.001, max_wait_seconds=0.3)
    fake_api.fail("/crossref/", "status", status=429, retry_after="30")
    with make_session(settings) as session:
        _get(fake_api, settings, session)
    first, second = fake_api.seen("/crossref/")
    assert 0.29 <= second.at - first.at < 5  # waited the cap, not 30 s, nor the 1 ms backoff


def test_permanent_failure_names_source_endpoint_and_problem(
    fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    fake_api.fail("/crossref/", "status", status=503, times=None)
    with pytest.raises(SourceError) as caught:
        _get(fake_api, settings, session)
    message = str(caught.value)
    assert message.startswith("crossref: GET http://127.0.0.1:")
    assert "/crossref/works?query=trauma" in message
    assert "failed after 4 attempt(s): HTTP 503" in message
    assert "resume" in message
    assert SECRETS["RR_TEST_EMAIL"] not in message
    assert "mailto=***" in message
    assert caught.value.__suppress_context__ or caught.value.__cause__ is None
    assert len(fake_api.seen("/crossref/")) == 4


def test_closed_connections_report_what_happened(
    fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    fake_api.fail("/crossref/", "close", times=None)
    with pytest.raises(SourceError, match="closed the connection without a reply"):
        _get(fake_api, settings, session)


def test_timeouts_report_the_timeout(fake_api: FakeApi, secrets_env: dict[str, str]) -> None:
    settings = settings_for(fake_api.url, timeout_seconds=0.2, max_retries=1)
    fake_api.fail("/crossref/", "delay", delay=0.6, times=None)
    with make_session(settings) as session, pytest.raises(SourceError, match=r"within 0.2 s"):
        _get(fake_api, settings, session)


def test_client_errors_are_not_retried(
    fake_api: FakeApi, settings: dict[str, Any], session: requests.Session
) -> None:
    fake_api.fail("/crossref/", "status", status=400)
    with pytest.raises(HTTPStatusError) as caught:
        _get(fake_api, settings, session)
    assert caught.value.status == 400
    assert "refused with HTTP 400" in str(caught.value)
    assert len(fake_api.seen("/crossref/")) == 1


class FakeClock:
    """A clock that only moves when the limiter sleeps (or the test says so)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.mark.parametrize(("has_key", "rate"), [(False, 3.0), (True, 10.0)], ids=["no-key", "key"])
def test_pubmed_rate_limit(has_key: bool, rate: float, fake_api: FakeApi) -> None:
    from realist_review.clients.http import RateLimiter, requests_per_second

    settings = settings_for(fake_api.url)
    del settings["pubmed"]["requests_per_second"]
    assert requests_per_second(settings, "pubmed", has_key=has_key) == rate
    clock = FakeClock()
    limiter = RateLimiter(rate, clock=clock, sleep=clock.sleep)
    slots = [limiter.wait() for _ in range(4)]
    assert [round(b - a, 6) for a, b in itertools.pairwise(slots)] == [round(1 / rate, 6)] * 3
    clock.now += 5  # an idle spell: the next call goes at once
    assert limiter.wait() == clock.now


def test_get_waits_for_the_rate_limit(fake_api: FakeApi, secrets_env: dict[str, str]) -> None:
    settings = settings_for(fake_api.url)
    del settings["pubmed"]["requests_per_second"]
    started = time.monotonic()
    with make_session(settings) as session:
        for _ in range(4):
            get(session, f"{fake_api.url}/eutils/esearch.fcgi", {"term": "x"},
                settings=settings, source="pubmed", rate=5.0)  # fmt: skip
    # four calls at 5/s cannot finish in less than three intervals (0.6 s), however loaded
    assert time.monotonic() - started >= 0.6 - 0.01
    assert len(fake_api.seen("esearch")) == 4


def test_timeout_is_a_deadline_for_the_whole_body(
    fake_api: FakeApi, secrets_env: dict[str, str]
) -> None:
    """A body trickled over 3 s, each piece well within the 0.5 s timeout (issue 10, item 10)."""
    settings = settings_for(fake_api.url, timeout_seconds=0.5, max_retries=0)
    fake_api.fail("/crossref/", "trickle", delay=3.0)
    started = time.monotonic()
    with make_session(settings) as session, pytest.raises(SourceError, match=r"within 0\.5 s"):
        _get(fake_api, settings, session)
    assert time.monotonic() - started < 1.5


def test_a_trickle_within_the_deadline_is_received_whole(
    fake_api: FakeApi, secrets_env: dict[str, str]
) -> None:
    settings = settings_for(fake_api.url, timeout_seconds=2.0, max_retries=0)
    fake_api.fail("/crossref/", "trickle", delay=0.4)
    with make_session(settings) as session:
        response = _get(fake_api, settings, session)
    assert response.json()["message"]["items"]


def test_error_excerpt_is_redacted_before_it_is_cut(
    fake_api: FakeApi, secrets_env: dict[str, str]
) -> None:
    """A key straddling the 300-character cut must not leak in part (issue 10, item 6)."""
    from realist_review.clients.http import _excerpt
    from realist_review.logutil import secret_from_env

    key = secret_from_env("RR_TEST_NCBI_KEY")
    text = "x" * 290 + " api " + key + " tail" * 20
    excerpt = _excerpt(text)
    assert key[:8] not in excerpt and "***" in excerpt


class _UnresolvableSession(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def get(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        import socket

        self.calls += 1
        raise requests.ConnectionError(socket.gaierror(-2, "Name or service not known"))


def test_a_host_that_cannot_be_resolved_fails_at_once(secrets_env: dict[str, str]) -> None:
    """No five backoffs for a typing error in base_url (issue 9, item 5)."""
    settings = settings_for("http://127.0.0.1:9", max_retries=5, backoff_seconds=1.0)
    session = _UnresolvableSession()
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"could not be resolved.*base_url"):
        get(session, "http://no-such-host.invalid/works", {}, settings=settings,
            source="crossref")  # fmt: skip
    assert session.calls == 1 and time.monotonic() - started < 0.5
