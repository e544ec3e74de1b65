"""Whole-response cache for public, anonymous-safe GET endpoints, invalidated by change stamps.

A view opts in with :func:`cacheable` (the response is the same for every visitor; it depends only
on data whose changes bump the named stamp, ``core.stamps``). :class:`StampedCacheMiddleware`
stores that response (after the rest of the middleware ran, so headers are complete) per path
and query string, and serves it again while the stamp is unchanged, without running the rest of
the middleware or the view. A bump makes the next request in every process build afresh; the
entry also expires after the response's ``max-age``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from core import stamps

ATTRIBUTE = "_sinergi_stamp"


def cacheable(response: HttpResponse, stamp: str, token: str, max_age: int) -> HttpResponse:
    """Mark a public response: cache it for ``max_age`` seconds (here and downstream) while the
    stamp named ``stamp`` still reads ``token`` -- read by the view *before* it read the data, so a
    change committed meanwhile leaves the entry stale at once."""
    response["Cache-Control"] = f"public, max-age={max_age}"
    setattr(response, ATTRIBUTE, (stamp, token, max_age))
    return response


def _key(request: HttpRequest) -> str:
    return "sinergi:stamped:" + request.get_full_path()


class StampedCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "GET":
            return self.get_response(request)
        key = _key(request)
        entry: Any = cache.get(key)
        if entry is not None:
            name, token, response = entry
            if stamps.current(name) == token:
                return response  # type: ignore[no-any-return]
        response = self.get_response(request)
        marked = getattr(response, ATTRIBUTE, None)
        if marked and response.status_code == 200 and not response.cookies and not response.streaming:
            name, token, max_age = marked
            cache.set(key, (name, token, response), max_age)
        return response
