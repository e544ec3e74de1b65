"""Forms for elections, contests, candidate pairs and stages; edits carry the version they read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formats import ZONES
from elections.actions import TIMEZONES
from elections.models import CandidatePair, Contest, Election, Stage
from regions.models import Region
from regions.selectors import region_by_code

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.ModelForm):
    """A model form whose edits carry the version read, so a concurrent edit is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
            self.initial.setdefault("version", self.instance.version)

    def validate_unique(self) -> None:
        pass  # the action checks uniqueness with a clear message

    def data_for_action(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ElectionForm(VersionedForm):
    region_code = forms.CharField(
        label=_("Region code"),
        required=False,
        help_text=_("The province or kabupaten/kota holding the election, e.g. 64.01; empty: nationwide."),
    )
    timezone = forms.ChoiceField(
        label=_("time zone"),
        choices=[(z, f"{ZONES[z]} ({z})") for z in TIMEZONES],
        initial="Asia/Makassar",
        help_text=_("WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura."),
    )

    class Meta:
        model = Election
        fields = ["name", "kind", "region_code", "voting_date", "timezone", "max_voters_per_tps"]
        widgets = {"voting_date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("region_code", self.instance.region_id or "")

    def clean_region_code(self) -> Region | None:
        return region_by_code(self.cleaned_data["region_code"], required=False)

    def data_for_action(self) -> dict[str, Any]:
        data = super().data_for_action()
        data["region"] = data.pop("region_code")
        return data


class ContestForm(VersionedForm):
    region_code = forms.CharField(label=_("Region code"), help_text=_("e.g. 64 for the governor, 64.01 for a bupati."))

    class Meta:
        model = Contest
        fields = ["name", "kind", "region_code", "voting_date", "effective_from", "revote_of", "revote_basis"]
        widgets = {"voting_date": DATE, "effective_from": DATE}

    def __init__(self, *args: Any, election: Election, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Contest.objects.restrict(user).filter(election=election, revote_of__isnull=True)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.initial.setdefault("region_code", self.instance.region_id)
        self.fields["revote_of"].queryset = others  # type: ignore[attr-defined]

    def clean_region_code(self) -> Region | None:
        return region_by_code(self.cleaned_data["region_code"])

    def data_for_action(self) -> dict[str, Any]:
        data = super().data_for_action()
        data["region"] = data.pop("region_code")
        return data


class PairForm(VersionedForm):
    class Meta:
        model = CandidatePair
        fields = ["number", "head_name", "deputy_name", "parties", "independent"]


class StageForm(VersionedForm):
    class Meta:
        model = Stage
        fields = ["name", "start", "end", "basis"]
        widgets = {"start": DATE, "end": DATE}
