"""Forms for meetings, attendance, decisions, action items and readiness; edits carry the version read.

Choices of agencies, elections and stages are what the user may read (the chokepoint); times are
typed in the meeting's zone (the view overrides the zone, WITA for Kaltim)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from core import formats
from elections.models import Election, Stage
from meetings.models import ActionStatus, AttendanceStatus, Meeting, ReadinessStatus
from regions.models import Region
from regions.selectors import region_by_code

ALIASES = {"region": "region_code", "concerns_type": "concerns_kind"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.ModelForm):
    region_code = forms.CharField(label=_("Region code"), help_text=_("The area the meeting is about, e.g. 64.02."))
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    invited = forms.ModelMultipleChoiceField(
        label=_("Invited agencies"), queryset=Agency.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "election",
            "region_code",
            "organiser",
            "chair",
            "starts_at",
            "venue",
            "agenda",
            "minutes",
        ]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 4}), "minutes": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.restrict(user).order_by("name")
        self.fields["organiser"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["invited"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["election"].queryset = Election.objects.restrict(user)  # type: ignore[attr-defined]
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
            self.initial.setdefault("version", self.instance.version)
            self.initial.setdefault("region_code", self.instance.region_id)
            self.fields["invited"].help_text = _("Agencies added here are invited; those already invited stay.")

    def clean_region_code(self) -> Region | None:
        return region_by_code(self.cleaned_data["region_code"], required=True)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # the time is typed as read on the wall where the election is held (WITA for Kaltim), whatever
        # zone the form was parsed in
        election, starts = data.get("election"), data.get("starts_at")
        if election is not None and starts is not None:
            wall = timezone.localtime(starts).replace(tzinfo=None)
            data["starts_at"] = timezone.make_aware(wall, formats.zone(election))
        return data

    def _post_clean(self) -> None:
        pass  # the action validates the meeting

    def data_for_action(self) -> dict[str, Any]:
        d = self.cleaned_data
        out = {
            k: d[k]
            for k in ["kind", "title", "election", "organiser", "chair", "starts_at", "venue", "agenda", "minutes"]
        }
        out["region"] = d["region_code"]
        return out


class AttendanceForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices[1:], widget=forms.RadioSelect)
    people = forms.CharField(label=_("People present"), max_length=300, required=False)
    represented_by = forms.CharField(label=_("Represented by"), max_length=200, required=False)
    guest = forms.BooleanField(
        label=_("Guest (not invited)"),
        required=False,
        help_text=_("Tick for an agency that came without an invitation."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.restrict(user).order_by("name")  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner agency"), queryset=Agency.objects.none(), required=False)
    owner_person = forms.CharField(label=_("Person responsible"), max_length=200, required=False)
    due = forms.DateField(label=_("Due date"), widget=DATE, required=False)
    region_code = forms.CharField(label=_("Region code"), required=False, help_text=_("Empty: the meeting's region."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Agency.objects.restrict(user).order_by("name")  # type: ignore[attr-defined]

    def clean_region_code(self) -> Region | None:
        return region_by_code(self.cleaned_data["region_code"], required=False)

    def data_for_action(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "owner": d["owner"],
            "owner_person": d["owner_person"],
            "due": d["due"],
            "region": d["region_code"],
        }


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, widget=forms.RadioSelect)
    status_note = forms.CharField(label=_("Note"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReadinessForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=300)
    election = forms.ModelChoiceField(label=_("Election"), queryset=Election.objects.none())
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=Stage.objects.none(), required=False)
    region_code = forms.CharField(label=_("Region code"))
    owner = forms.ModelChoiceField(label=_("Owner agency"), queryset=Agency.objects.none(), required=False)
    due = forms.DateField(label=_("Due date"), widget=DATE, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = Election.objects.restrict(user)  # type: ignore[attr-defined]
        self.fields["stage"].queryset = Stage.objects.restrict(user).select_related("election")  # type: ignore[attr-defined]
        self.fields["owner"].queryset = Agency.objects.restrict(user).order_by("name")  # type: ignore[attr-defined]

    def clean_region_code(self) -> Region | None:
        return region_by_code(self.cleaned_data["region_code"], required=True)

    def data_for_action(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ["title", "election", "stage", "owner", "due"]} | {"region": d["region_code"]}


class ReadinessStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ReadinessStatus.choices, widget=forms.RadioSelect)
    evidence = forms.CharField(label=_("Evidence"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class SnapshotForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting it is presented at"), queryset=Meeting.objects.none())

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]


class DraftTextForm(forms.Form):
    """The written report of a meeting, pasted: a press release, a news article or its web page."""

    text = forms.CharField(
        label=_("Text of the meeting's report or news article"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Paste the text (or the page's HTML); the page around the article is left out."),
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title of the document"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, DOCX, XLSX or PPTX; at most %(max)s.")
        % {"max": f"{settings.MEETING_ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB"},
    )
