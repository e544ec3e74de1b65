"""Shared pieces of the JSON API: bounded numbers, bounded pages and the error body.

Every app's router uses these so that no input reaches the database out of its column's range
(a 10^20 id or offset answers 422 with the field named, not a 500 from the driver).
"""

from __future__ import annotations

from typing import Annotated, Any

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
