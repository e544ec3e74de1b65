"""Helpers shared by the apps' forms."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def add_action_errors(form: Any, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: on its field where the form has one."""
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)
