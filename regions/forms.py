from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import SpreadsheetField
from elections.models import Election
from regions.actions import TPS_DETAIL_FIELDS
from regions.models import Level, PollingStation, Region


class PollingStationForm(forms.ModelForm):
    """Edit a TPS; the version travels with the form so a concurrent edit is detected."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = PollingStation
        fields = TPS_DETAIL_FIELDS


class PollingStationCreateForm(PollingStationForm):
    village_code = forms.CharField(label=_("Desa/kelurahan code"), help_text=_("e.g. 64.02.07.2001"))

    class Meta(PollingStationForm.Meta):
        fields = ["village_code", *PollingStationForm.Meta.fields]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]

    def clean_village_code(self) -> Region:
        code = self.cleaned_data["village_code"].strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("“%(code)s” is not a known region code.") % {"code": code})
        if region.level != Level.DESA:
            raise forms.ValidationError(
                _("A TPS belongs to a desa/kelurahan, not to a %(kind)s.") % {"kind": region.get_kind_display()}
            )
        return region

    def validate_unique(self) -> None:
        pass  # the action checks uniqueness with the election and village known


class ImportForm(forms.Form):
    election = forms.ModelChoiceField(queryset=Election.objects.none(), label=_("Election"))
    file = SpreadsheetField(label=_("CSV or XLSX file"))

    def __init__(self, *args: Any, elections: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if elections is not None:
            self.fields["election"].queryset = elections  # type: ignore[attr-defined]
