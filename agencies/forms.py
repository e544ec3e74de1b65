"""Forms for agencies, memberships and API tokens; edits carry the version they read."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Membership, Role
from regions.models import Region
from regions.selectors import region_by_code

ALIASES = {"region": "region_code", "jurisdiction": "jurisdiction_codes", "scope": "scope_code"}


class AgencyForm(forms.ModelForm):
    region_code = forms.CharField(label=_("Region code"), help_text=_("The agency's seat, e.g. 64.01."))
    jurisdiction_codes = forms.CharField(
        label=_("Jurisdiction"),
        required=False,
        help_text=_(
            "Region codes separated by commas when the agency's area is not its region's subtree, "
            "e.g. 64.74, 64.02.05, 64.02.17. Empty: the region's subtree."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Agency
        fields = ["name", "kind", "region_code", "jurisdiction_codes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
            self.initial.setdefault("version", self.instance.version)
            self.initial.setdefault("region_code", self.instance.region_id)
            self.initial.setdefault("jurisdiction_codes", ", ".join(self.instance.jurisdiction))

    def clean_region_code(self) -> Region | None:
        return region_by_code(self.cleaned_data["region_code"], required=True)

    def clean_jurisdiction_codes(self) -> list[str]:
        return [c for c in re.split(r"[\s,;]+", self.cleaned_data["jurisdiction_codes"]) if c]

    def validate_unique(self) -> None:
        pass

    def _post_clean(self) -> None:
        pass  # the action validates the agency (jurisdiction codes included)

    def data_for_action(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "kind": d["kind"],
            "region": d["region_code"],
            "jurisdiction": d["jurisdiction_codes"],
        }


class MembershipForm(forms.Form):
    """Edit a member's role and scope, or deactivate them."""

    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    scope_code = forms.CharField(
        label=_("Region scope"),
        required=False,
        help_text=_("A region code inside the agency's jurisdiction; empty: all of it."),
    )
    title = forms.CharField(label=_("position"), required=False, max_length=200)
    active = forms.BooleanField(label=_("active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_membership(cls, data: Any, membership: Membership) -> MembershipForm:
        return cls(
            data,
            initial={
                "role": membership.role,
                "scope_code": membership.scope_id or "",
                "title": membership.title,
                "active": membership.active,
                "version": membership.version,
            },
        )

    def clean_scope_code(self) -> Region | None:
        return region_by_code(self.cleaned_data["scope_code"], required=False)

    def data_for_action(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"role": d["role"], "scope": d["scope_code"], "title": d["title"], "active": d["active"]}


class NewMemberForm(MembershipForm):
    """Add a person to an agency; a new username gets an account with the initial password."""

    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Only for a new account; an existing person keeps their password."),
    )
    field_order = ["username", "first_name", "last_name", "password", "role", "scope_code", "title"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        del self.fields["active"]

    def data_for_action(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"role": d["role"], "scope": d["scope_code"], "title": d["title"]}


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What will use it, e.g. “SIREKAP sync”."))
