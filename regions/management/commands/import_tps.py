"""Import TPS from a CSV or XLSX file: all-or-nothing, with a row-by-row error report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from elections.models import Election
from regions import actions


class Command(BaseCommand):
    help = "Import TPS (polling stations) from CSV/XLSX into an election (default: the current one)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--election", type=int, help="election id (default: the current election)")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        election = Election.objects.filter(pk=opts["election"]).first() if opts["election"] else Election.current()
        if election is None:
            raise CommandError("No election found: create one first (or load the demo).")
        try:
            result = actions.import_polling_stations(None, election, path.read_bytes(), path.name)
        except actions.ImportFailed as e:
            for err in e.errors:
                self.stderr.write(f"row {err.row}, {err.column}: {err.message}")
            raise CommandError(e.message) from e
        self.stdout.write(
            self.style.SUCCESS(
                f"{election}: {result['created']} TPS created, {result['updated']} updated, "
                f"{result['unchanged']} unchanged."
            )
        )
