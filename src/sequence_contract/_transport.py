"""What the layer's transports share: each is one class serving both httpx protocols (as httpx's
``MockTransport`` does), over an inner transport that may serve one or both."""

from __future__ import annotations

import httpx


def sync_inner(inner: object, outer: object) -> httpx.BaseTransport:
    """``inner`` as a sync transport, or a TypeError naming what was wrapped in what."""
    if not isinstance(inner, httpx.BaseTransport):
        raise TypeError(
            f"{type(outer).__name__} wraps {type(inner).__name__}, not a sync transport"
        )
    return inner


def async_inner(inner: object, outer: object) -> httpx.AsyncBaseTransport:
    """``inner`` as an async transport, or a TypeError naming what was wrapped in what."""
    if not isinstance(inner, httpx.AsyncBaseTransport):
        raise TypeError(
            f"{type(outer).__name__} wraps {type(inner).__name__}, not an async transport"
        )
    return inner


async def aclose(inner: object) -> None:
    """Close ``inner`` the async way, if it is an async transport."""
    if isinstance(inner, httpx.AsyncBaseTransport):
        await inner.aclose()


def close(inner: object) -> None:
    """Close ``inner`` the sync way, if it is a sync transport."""
    if isinstance(inner, httpx.BaseTransport):
        inner.close()
