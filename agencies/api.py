"""API for agencies, memberships and API tokens (mounted at /api/v1/agencies/).

Writes go through agencies.actions: the Desk admin manages agencies and memberships in their
area; everyone manages their own tokens. A PATCH carries the version read (409 when stale).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import SecretStr

from agencies import actions
from agencies.models import Agency, AgencyKind, ApiToken, Membership, Role
from core import scoping
from core.api import Id
from regions.selectors import region_by_code

router = Router()
VERSION = Field(..., description="The version you read; a newer one on the server is a conflict (409).")


class AgencyOut(Schema):
    id: int
    name: str
    kind: str
    region_code: str = Field(..., alias="region_id")
    jurisdiction: list[str]
    version: int


class AgencyIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: AgencyKind
    region_code: str
    jurisdiction: list[str] = Field(default_factory=list, description="Region codes; empty: the region's subtree")


class AgencyPatch(Schema):
    version: int = VERSION
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: AgencyKind | None = None
    region_code: str | None = None
    jurisdiction: list[str] | None = None


class MembershipOut(Schema):
    id: int
    username: str
    agency_id: int
    role: str
    scope_code: str | None = Field(None, alias="scope_id")
    title: str
    active: bool
    version: int

    @staticmethod
    def resolve_username(obj: Membership) -> str:
        return obj.user.username


class MembershipIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: SecretStr | None = Field(None, description="Initial password, only when the username is new")
    first_name: str = ""
    last_name: str = ""
    role: Role = Role.VIEWER
    scope_code: str | None = Field(None, description="Inside the agency's jurisdiction; empty: all of it")
    title: str = ""


class MembershipPatch(Schema):
    version: int = VERSION
    role: Role | None = None
    scope_code: str | None = None
    title: str | None = None
    active: bool | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: Any
    last_used_at: Any
    revoked_at: Any


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)


class NewTokenOut(TokenOut):
    key: str = Field(..., description="The secret key, shown only in this response")


@router.get("/", response=list[AgencyOut])
def list_agencies(request: HttpRequest) -> Any:
    return Agency.objects.restrict(request.user)


@router.get("/{int:agency_id}", response=AgencyOut)
def get_agency(request: HttpRequest, agency_id: Id) -> Any:
    return scoping.get_object_for_user(Agency.objects, request.user, pk=agency_id)


@router.post("/", response={201: AgencyOut})
def create_agency(request: HttpRequest, payload: AgencyIn) -> Any:
    data = payload.dict()
    region = region_by_code(data.pop("region_code"), required=False, field="region_code")
    if region is None:
        raise ValidationError({"region_code": [_("Give a region code, e.g. 64.01 for Kabupaten Paser.")]})
    return Status(201, actions.create_agency(request.user, {**data, "region": region}))


@router.patch("/{int:agency_id}", response=AgencyOut)
def update_agency(request: HttpRequest, agency_id: Id, payload: AgencyPatch) -> Any:
    agency = scoping.get_object_for_user(Agency.objects, request.user, scoping.MANAGE, pk=agency_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "region_code" in data:
        data["region"] = region_by_code(data.pop("region_code"), required=False, field="region_code") or agency.region
    return actions.update_agency(request.user, agency, data, version)


@router.get("/{int:agency_id}/members", response=list[MembershipOut])
def list_members(request: HttpRequest, agency_id: Id) -> Any:
    agency = scoping.get_object_for_user(Agency.objects, request.user, pk=agency_id)
    return Membership.objects.restrict(request.user).filter(agency=agency).select_related("user")


@router.post("/{int:agency_id}/members", response={201: MembershipOut})
def add_member(request: HttpRequest, agency_id: Id, payload: MembershipIn) -> Any:
    agency = scoping.get_object_for_user(Agency.objects, request.user, pk=agency_id)
    membership = actions.add_member(
        request.user,
        agency,
        {
            "role": payload.role,
            "scope": region_by_code(payload.scope_code, required=False, field="scope_code"),
            "title": payload.title,
        },
        username=payload.username,
        password=payload.password.get_secret_value() if payload.password else "",
        first_name=payload.first_name,
        last_name=payload.last_name,
    )
    return Status(201, membership)


@router.patch("/members/{int:membership_id}", response=MembershipOut)
def update_member(request: HttpRequest, membership_id: Id, payload: MembershipPatch) -> Any:
    membership = scoping.get_object_for_user(
        Membership.objects.select_related("agency", "user"), request.user, pk=membership_id
    )
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "scope_code" in data:
        data["scope"] = region_by_code(data.pop("scope_code"), required=False, field="scope_code")
    return actions.update_membership(request.user, membership, data, version)


@router.get("/tokens", response=list[TokenOut])
def my_tokens(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user_id=request.user.pk or 0).order_by("-created_at")


@router.post("/tokens", response={201: NewTokenOut})
def issue_token(request: HttpRequest, payload: TokenIn) -> Any:
    token, key = actions.issue_token(request.user, payload.name)
    token.key = key  # type: ignore[attr-defined]
    return Status(201, token)


@router.post("/tokens/{int:token_id}/revoke", response=TokenOut)
def revoke_token(request: HttpRequest, token_id: Id) -> Any:
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None or not actions.may_revoke(request.user, token):
        raise Http404
    return actions.revoke_token(request.user, token)
