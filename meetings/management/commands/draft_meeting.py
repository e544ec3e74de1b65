"""Read the written report of a meeting (a press release, a news article as text or as the web
page's HTML) into a draft meeting, for batch use; nothing is saved.

    python manage.py draft_meeting FILE [--json] [--year 2024]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core import dates
from meetings import drafting


class Command(BaseCommand):
    help = "A draft meeting (date, venue, chair, agencies, people, figures, decisions, warnings) from a report's text."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--year", type=int, help="the year of a date written without one (default: this year)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            raw = opts["file"].read_bytes()[: drafting.MAX_CHARS * 4].decode("utf-8", errors="replace")
        except OSError as e:
            raise CommandError(f"{opts['file']}: {e.strerror}") from None
        with translation.override(settings.LANGUAGE_CODE):
            result = drafting.draft(raw, opts["year"] or dates.today().year)
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
            return
        data = result.as_json()
        for key in ("title", "kind", "date", "time", "venue", "chair"):
            self.stdout.write(f"{key}: {data[key] or '-'}")
        self.stdout.write("agencies: " + ("; ".join(data["agencies"]) or "-"))
        for p in data["people"]:
            self.stdout.write(f"person: {p['name']} ({p['role']})")
        for f in data["figures"]:
            self.stdout.write(f"figure: {f['text']} — {f['sentence']}")
        for d in data["decisions"]:
            self.stdout.write(f"decision: {d}")
        for w in data["warnings"]:
            self.stdout.write(f"warning: {w}")
