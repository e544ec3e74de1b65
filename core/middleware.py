"""Request middleware: the default language, and two-factor for admins outside the demo."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from core.scoping import memberships

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


class RequireTwoFactorForAdminsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.REQUIRE_2FA_FOR_ADMINS
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and (user.is_superuser or any(m.role == "admin" for m in memberships(user)))
        ):
            return redirect("two_factor:setup")
        return self.get_response(request)
