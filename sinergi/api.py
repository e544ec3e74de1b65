"""REST API v1: /api/v1/. Token (Bearer) or session auth; the same scoping as the UI."""

import logging
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from agencies.api import router as agencies_router
from agencies.models import ApiToken
from budget.api import public_router as budget_public_router
from budget.api import router as budget_router
from core.actions import ConcurrentEditError
from core.api import document_errors, schema_error_message
from core.middleware import lacks_required_two_factor
from elections.api import router as elections_router
from logistics.api import router as logistics_router
from meetings.api import router as meetings_router
from participation.api import public_router as participation_public_router
from participation.api import router as participation_router
from regions.api import public_router, tps_router
from regions.api import router as regions_router
from security.api import public_router as security_public_router
from security.api import router as security_router
from violations.api import public_router as violations_public_router
from violations.api import router as violations_router

# "Last used" is kept to this precision: a token's calls write at most once per interval, so reads with a
# token do not queue for SQLite's write lock behind an import.
TOKEN_LAST_USED_PRECISION = timedelta(minutes=15)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.lookup(token)
        if found is None or not found.user.is_active:
            return None
        now = timezone.now()
        stale = now - TOKEN_LAST_USED_PRECISION
        if found.last_used_at is None or found.last_used_at < stale:
            # Conditional: of concurrent calls only one writes.
            ApiToken.objects.filter(pk=found.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
            ).update(last_used_at=now)
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session (CSRF-checked for writes), as the UI's htmx/maps use."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or lacks_required_two_factor(user):
            return None  # a writer who has not passed two-factor gets 401, as the pages send them to set it up
        return user


log = logging.getLogger("sinergi.api")


class SinergiAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return document_errors(super().get_openapi_schema(**kwargs))


api = SinergiAPI(
    title="Sinergi API",
    version="1",
    description="Election coordination desk: regions, TPS, elections, logistics, agencies.",
    urls_namespace="api-1",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _field_errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {k: [str(m) for m in v] for k, v in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


@api.exception_handler(ConcurrentEditError)
def on_conflict(request: HttpRequest, exc: ConcurrentEditError) -> HttpResponse:
    return api.create_response(request, {"detail": " ".join(exc.messages), "code": "conflict"}, status=409)


@api.exception_handler(ValidationError)
def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("The data is not valid."), "errors": _field_errors(exc)}, status=400
    )


@api.exception_handler(NinjaValidationError)
def on_schema_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", []) if p not in ("body", "payload", "query", "path")]
        errors.setdefault(".".join(loc) or "__all__", []).append(schema_error_message(e))
    return api.create_response(request, {"detail": _("The data is not valid."), "errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or _("Access denied.")}, status=403)


@api.exception_handler(Http404)
def on_missing(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("Authentication required.")}, status=401)


@api.exception_handler(IntegrityError)
def on_integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    log.warning("integrity error on %s %s: %s", request.method, request.path, exc)
    return api.create_response(
        request, {"detail": _("This conflicts with data already stored."), "code": "conflict"}, status=409
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": _("A value is out of range."), "errors": {"__all__": [_("A value is out of range.")]}},
        status=400,
    )


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("unexpected error on %s %s", request.method, request.path)
    return api.create_response(
        request, {"detail": _("Unexpected error; it has been logged."), "code": "error"}, status=500
    )


@csrf_exempt  # it writes nothing; a POST to an unknown address gets the same JSON 404
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any /api/ address no operation matches (e.g. /tps/-5): a JSON 404, never the HTML page."""
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


api.add_router("/regions", regions_router, tags=["regions"])
api.add_router("/tps", tps_router, tags=["tps"])
api.add_router("/elections", elections_router, tags=["elections"])
api.add_router("/logistics", logistics_router, tags=["logistics"])
api.add_router("/agencies", agencies_router, tags=["agencies"])
api.add_router("/meetings", meetings_router, tags=["meetings"])
api.add_router("/security", security_router, tags=["security"])
api.add_router("/public/security", security_public_router, tags=["public"])
api.add_router("/violations", violations_router, tags=["violations"])
api.add_router("/public/violations", violations_public_router, tags=["public"])
api.add_router("/participation", participation_router, tags=["participation"])
api.add_router("/public/participation", participation_public_router, tags=["public"])
api.add_router("/budget", budget_router, tags=["budget"])
api.add_router("/public/budget", budget_public_router, tags=["public"])
api.add_router("/public", public_router, tags=["public"])
