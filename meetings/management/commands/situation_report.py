"""The situation report (Laporan Situasi Desk Pilkada) of a region, for scheduled runs and scripts:
the same report as the page and the API, as text, JSON, a PDF to print or the XLSX annex.

    python manage.py situation_report 64.02 [--at 2024-11-18T12:00] [--pdf FILE] [--xlsx FILE] [--json]

``--user USERNAME`` reads it with that person's scope (a region outside it is refused, as on the
page); without it the report is the whole Desk's, nothing narrowed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404, HttpRequest
from django.utils import translation

from core import dates, formats
from elections.models import Election
from meetings import documents
from meetings import report as situation


class Command(BaseCommand):
    help = "The situation report of a region as of the desk's now (or --at): text, --json, --pdf FILE, --xlsx FILE."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("region_code")
        parser.add_argument("--at", help="the moment, e.g. 2024-11-18T12:00 (in the election's zone)")
        parser.add_argument("--pdf", type=Path, help="write the A4 PDF here")
        parser.add_argument("--xlsx", type=Path, help="write the XLSX annex here")
        parser.add_argument("--json", action="store_true", help="print the report as JSON (the API's shape)")
        parser.add_argument("--election", type=int)
        parser.add_argument("--user", help="read with this user's scope (default: the whole Desk)")

    def handle(self, *args: Any, **opts: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            self.report(opts)

    def report(self, opts: dict[str, Any]) -> None:
        election = Election.objects.filter(pk=opts["election"]).first() if opts["election"] else Election.current()
        if election is None:
            raise CommandError("No election found.")
        request = HttpRequest()
        request.user = self.reader(opts["user"])
        try:
            region = situation.region_for(request.user, opts["region_code"])
        except Http404 as e:
            raise CommandError(str(e)) from None
        at = self.moment(opts["at"], election) if opts["at"] else dates.now(election.timezone)
        with dates.pinned(at):
            built = situation.build(request, election, region)
            data = situation.rendered(request, built)
        for fmt in ("pdf", "xlsx"):
            if opts[fmt]:
                body = documents.response(fmt, data, region, at, election=election).content
                opts[fmt].write_bytes(body)
                self.stderr.write(f"{opts[fmt]}: {formats.file_size(len(body))}")
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        elif not (opts["pdf"] or opts["xlsx"]):
            self.stdout.write(self.text(data))

    def reader(self, username: str | None) -> Any:
        user_model = get_user_model()
        if username is None:
            return user_model(username="situation_report", is_superuser=True, is_active=True)  # never saved
        user = user_model.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Unknown or inactive user: {username}")
        return user

    def moment(self, text: str, election: Election) -> dt.datetime:
        try:
            at = dt.datetime.fromisoformat(text)
        except ValueError:
            raise CommandError(f"--at: not a date and time: {text!r} (e.g. 2024-11-18T12:00)") from None
        return at if at.tzinfo else at.replace(tzinfo=formats.zone(election))

    def text(self, data: dict[str, Any]) -> str:
        from django.utils.translation import gettext as _

        lines = [
            _("Situation report of the Desk Pilkada"),
            f"{data['region']['name']} · {data['election']['name']} · {data['at_text']}",
            "",
            _("What needs a decision today"),
        ]
        lines += [f"{i}. {d['text']}" for i, d in enumerate(data["decide"], 1)] or ["-"]
        for section in data["sections"]:
            lines.append("")
            for b in documents.blocks(section["html"]):
                if b.is_table:
                    lines += [" | ".join(row) for row in b.rows]
                else:
                    lines.append(("- " if b.level < 0 else "") + b.text)
        return "\n".join(lines)
