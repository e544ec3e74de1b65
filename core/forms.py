"""Helpers shared by the apps' forms."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


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
