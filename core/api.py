"""Shared pieces of the JSON API: bounded numbers, bounded pages and the error body.

Every app's router uses these so that no input reaches the database out of its column's range
(a 10^20 id or offset answers 422 with the field named, not a 500 from the driver).
"""

from __future__ import annotations

from typing import Annotated, Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

# Ids and counts fit a 32-bit signed column on every database we run on.
MAX_ID = 2**31 - 1
MAX_PAGE = 1000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class ErrorOut(Schema):
    """Every 4xx/5xx answer of the API: a sentence, and for invalid data the message per field."""

    detail: str
    errors: dict[str, list[str]] | None = None
    code: str | None = None


ERROR_STATUSES = {
    400: "The data is not valid (messages per field).",
    401: "Authentication required.",
    403: "Access denied.",
    404: "Not found.",
    409: "Conflict: a newer version, or a submission id already used differently.",
    422: "The request does not match the schema (messages per field).",
    500: "Unexpected error; it is logged.",
}


class BoundedPagination(LimitOffsetPagination):
    """limit/offset pagination with a maximum page size and a bounded offset."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE, description=f"At most {MAX_PAGE}.")
        offset: int = Field(0, ge=0, le=MAX_ID)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shared error body to every operation of an OpenAPI document."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorOut"] = ErrorOut.model_json_schema()
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    for path in schema.get("paths", {}).values():
        for op in path.values():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            for status, text in ERROR_STATUSES.items():
                op["responses"].setdefault(
                    status, {"description": text, "content": {"application/json": {"schema": ref}}}
                )
    return schema


def _num(value: Any) -> Any:
    return number_format(value, force_grouping=True) if isinstance(value, int | float) else value


# pydantic's messages are English only: the common kinds in the user's language, with the bounds
# formatted as the page formats numbers ("2.147.483.647"). Anything rarer keeps pydantic's text.
_SCHEMA_MESSAGES: dict[str, Any] = {
    "missing": lambda c: _("This field is required."),
    "none_required": lambda c: _("This field must be empty."),
    "int_parsing": lambda c: _("Enter a whole number."),
    "int_type": lambda c: _("Enter a whole number."),
    "int_from_float": lambda c: _("Enter a whole number."),
    "float_parsing": lambda c: _("Enter a number."),
    "float_type": lambda c: _("Enter a number."),
    "finite_number": lambda c: _("Enter a finite number."),
    "decimal_parsing": lambda c: _("Enter a number."),
    "bool_parsing": lambda c: _("Enter true or false."),
    "bool_type": lambda c: _("Enter true or false."),
    "string_type": lambda c: _("Enter text."),
    "less_than_equal": lambda c: _("Enter a value of at most %(limit)s.") % {"limit": _num(c.get("le"))},
    "less_than": lambda c: _("Enter a value below %(limit)s.") % {"limit": _num(c.get("lt"))},
    "greater_than_equal": lambda c: _("Enter a value of at least %(limit)s.") % {"limit": _num(c.get("ge"))},
    "greater_than": lambda c: _("Enter a value above %(limit)s.") % {"limit": _num(c.get("gt"))},
    "string_too_long": lambda c: _("Enter at most %(limit)s characters.") % {"limit": _num(c.get("max_length"))},
    "string_too_short": lambda c: _("Enter at least %(limit)s characters.") % {"limit": _num(c.get("min_length"))},
    "too_long": lambda c: _("Give at most %(limit)s entries.") % {"limit": _num(c.get("max_length"))},
    "too_short": lambda c: _("Give at least %(limit)s entries.") % {"limit": _num(c.get("min_length"))},
    "literal_error": lambda c: _("Choose one of: %(choices)s.") % {"choices": c.get("expected", "")},
    "enum": lambda c: _("Choose one of: %(choices)s.") % {"choices": c.get("expected", "")},
    "date_parsing": lambda c: _("Enter a valid date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": lambda c: _("Enter a valid date (YYYY-MM-DD)."),
    "date_type": lambda c: _("Enter a valid date (YYYY-MM-DD)."),
    "datetime_parsing": lambda c: _("Enter a valid date and time (ISO 8601, with its time zone)."),
    "datetime_from_date_parsing": lambda c: _("Enter a valid date and time (ISO 8601, with its time zone)."),
    "datetime_type": lambda c: _("Enter a valid date and time (ISO 8601, with its time zone)."),
    "uuid_parsing": lambda c: _("Enter a valid UUID."),
    "uuid_type": lambda c: _("Enter a valid UUID."),
    "json_invalid": lambda c: _("The body is not valid JSON."),
    "extra_forbidden": lambda c: _("This field is not accepted."),
    "dict_type": lambda c: _("Enter an object."),
    "model_attributes_type": lambda c: _("Enter an object."),
    "list_type": lambda c: _("Enter a list."),
}


def schema_error_message(error: dict[str, Any]) -> str:
    """One pydantic error as a sentence in the active language."""
    make = _SCHEMA_MESSAGES.get(str(error.get("type", "")))
    if make is None:
        return str(error.get("msg", ""))
    return str(make(error.get("ctx") or {}))
