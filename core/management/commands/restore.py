from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core import backup, formats


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with a backup made by `backup FILE`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a Sinergi backup (.tar.gz)")
        parser.add_argument("--yes", action="store_true", help="confirm: the current data is replaced")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not opts["yes"]:
            raise CommandError(
                _("Restoring replaces the whole database and the uploaded files. Run again with --yes to go ahead.")
            )
        try:
            manifest = backup.restore(path)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored %(file)s (made %(created)s, %(n)s uploaded file(s)).")
                % {"file": path, "created": _made(manifest), "n": formats.number(manifest["media_files"])}
            )
        )


def _made(manifest: dict[str, Any]) -> str:
    """When the backup was made, in the server's zone ("18 November 2024 14.30 WITA")."""
    try:
        return formats.moment(dt.datetime.fromisoformat(str(manifest["created"])))
    except (KeyError, ValueError):
        return str(manifest.get("created", "?"))
