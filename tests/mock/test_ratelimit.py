"""The optional rate limit: 100 requests per rolling minute per key, 429 + Retry-After."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sequence_contract.mock._errors import ApiError
from sequence_contract.mock.state._ratelimit import RateLimiter
from tests.fixtures.mock import MakeMock


def test_off_by_default(make_mock: MakeMock) -> None:
    api = make_mock().client()
    assert all(api.get("/accounts").status_code == 200 for _ in range(120))


def test_the_101st_request_in_a_minute_is_429(make_mock: MakeMock) -> None:
    mock = make_mock(rate_limit=True)
    api = mock.client()
    for _ in range(100):
        assert api.get("/accounts").status_code == 200
        mock.clock.advance(0.1)
    limited = api.get("/accounts", headers={"X-Request-ID": "r"})
    assert limited.status_code == 429
    body = mock.conforms("listAccounts", limited)
    assert body is not None
    assert body["error"]["code"] == "too_many_requests"
    assert limited.headers["Retry-After"] == "50"  # the first request leaves the window in 50 s
    assert limited.headers["X-Request-ID"] == "r"
    other_key = mock.client("demo-readonly")
    assert other_key.get("/accounts").status_code == 200
    mock.clock.advance(50)
    assert api.get("/accounts").status_code == 200


def test_unauthenticated_requests_are_not_counted(make_mock: MakeMock) -> None:
    mock = make_mock(rate_limit=True)
    anonymous = mock.client(None)
    assert all(anonymous.get("/accounts").status_code == 401 for _ in range(150))


def test_retry_after_is_a_whole_number_of_seconds_at_least_one() -> None:
    limiter = RateLimiter(limit=1, window=timedelta(seconds=2))
    now = datetime(2024, 1, 1, tzinfo=UTC)
    limiter.hit("k", now)
    with pytest.raises(ApiError) as refused:
        limiter.hit("k", now + timedelta(seconds=1.9))
    assert (refused.value.status, refused.value.code) == (429, "too_many_requests")
    assert refused.value.headers == {"Retry-After": "1"}
