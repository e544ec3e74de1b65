from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core import backup, formats


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz (restore it with `restore FILE`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive to write, e.g. sinergi-2024-11-18.tar.gz")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        try:
            manifest = backup.create(path)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written to %(file)s (%(engine)s database, %(n)s uploaded file(s)).")
                % {"file": path, "engine": manifest["engine"], "n": formats.number(manifest["media_files"])}
            )
        )
