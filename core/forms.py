"""Helpers shared by the apps' forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from core.spreadsheets import too_large_message


def add_action_errors(form: Any, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show an action's ValidationError on the form: on its field where the form has one.

    ``aliases`` maps a model field the action names to the form field that edits it
    (``region`` -> ``region_code``).
    """
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            field = aliases.get(field, field)
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


DOCUMENTS = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.pptx"  # what core.documents accepts as a document
PHOTOS = ".jpg,.jpeg,.png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (a case's evidence, a report's documents, an event's photos): a
    list of uploads, maybe empty. ``accept`` is the browser's hint; ``core.documents`` decides."""

    def __init__(self, *args: Any, accept: str = DOCUMENTS, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class SpreadsheetField(forms.FileField):
    """An uploaded CSV/XLSX, refused above the upload limit (``TPS_IMPORT_MAX_BYTES``) before
    anything reads it; the reader (``core.spreadsheets``) bounds what is inside."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        limit = settings.TPS_IMPORT_MAX_BYTES
        if upload is not None and upload.size is not None and upload.size > limit:
            raise ValidationError(too_large_message(upload.size, limit), code="too_large")
        return upload
