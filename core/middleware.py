"""Request middleware: the default language, two-factor for writers outside the demo, no caching of
private responses, sessions that slide while the user works, and the client address behind proxies."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

from core.scoping import ACCESS, CHANGE, grants

# Paths an unverified admin may still reach: the 2FA set-up itself, logout, language, static.
ALLOWED_PREFIXES = ("/account/", "/i18n/", "/static/", "/api/")


class IndonesianByDefaultMiddleware:
    """Bahasa Indonesia unless the user picked English with the language switch.

    Officials' phones are often set to English; the browser's Accept-Language must not switch the
    desk's language. Only the explicit choice (the language cookie) does.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


def can_write(user: Any) -> bool:
    """May the user change anything at all (a superuser, staff, or an operator/admin of a writing agency)?"""
    if user.is_superuser or user.is_staff:
        return True
    return any(grants(user, capability, CHANGE) for capability in ACCESS)


def lacks_required_two_factor(user: Any) -> bool:
    """True for a signed-in writer whose session is not verified by a second factor, outside the demo.

    Both the pages (RequireTwoFactorForWritersMiddleware) and the API's session authentication ask this.
    """
    return bool(
        settings.REQUIRE_2FA_FOR_WRITERS
        and user is not None
        and user.is_authenticated
        and not (hasattr(user, "is_verified") and user.is_verified())
        and can_write(user)
    )


class RequireTwoFactorForWritersMiddleware:
    """Outside the demo, everyone who can change data signs in with a second factor; until they have
    set one up, every page sends them to the set-up. The API answers 401 instead (sinergi.api.SessionAuth)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(ALLOWED_PREFIXES) and lacks_required_two_factor(request.user):
            return redirect("two_factor:setup")
        return self.get_response(request)


# Public responses that say so themselves (e.g. /api/v1/public/..., "public, max-age=60") keep their header.
class NoStoreForPrivateResponsesMiddleware:
    """Pages seen signed in, every API response and every export are never kept by a browser or proxy cache
    (a shared office computer must not show the previous user's data from its cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "public" in response.get("Cache-Control", ""):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            patch_cache_control(response, no_store=True, private=True)
        return response


# How often a working session's expiry is pushed forward (a write to the session store), in seconds.
SESSION_REFRESH_SECONDS = 600


def mark_session_fresh(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """At log-in the session is new: the next requests need not renew (and write) it again."""
    if request is not None and hasattr(request, "session"):
        request.session["_renewed_at"] = int(time.time())


class SlidingSessionMiddleware:
    """The session of a signed-in user expires SESSION_COOKIE_AGE after their last activity, not after
    log-in; the expiry is renewed at most every SESSION_REFRESH_SECONDS so a busy user does not write to
    the database on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - int(request.session.get("_renewed_at", 0)) >= SESSION_REFRESH_SECONDS:
                request.session["_renewed_at"] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the log-in throttle sees it (AXES_CLIENT_IP_CALLABLE).

    With TRUSTED_PROXY_COUNT = 0 the X-Forwarded-For header is ignored (a client can write anything in
    it). Behind N trusted proxies, each appends the address it received the request from, so the client
    is the N-th address from the right; anything to the left of it was written by the client.
    """
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    remote = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) < count:
        return remote  # not through the expected proxies: do not trust the header
    return forwarded[-count]
