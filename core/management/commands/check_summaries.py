from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.formats import number
from core.registry import registry


class Command(BaseCommand):
    help = "Recompute every per-region summary from scratch and report each difference (exit status 1 if any)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="rebuild the summaries that differ")

    def handle(self, *args: Any, **opts: Any) -> None:
        failed = 0
        for builder in registry.summaries:
            problems = builder.check()
            if problems and opts["fix"]:
                builder.rebuild()
                done = _("%(name)s: %(n)s difference(s), rebuilt.") % {"name": builder.name, "n": number(len(problems))}
                self.stdout.write(done)
                problems = builder.check()
            if not problems:
                self.stdout.write(self.style.SUCCESS(_("%(name)s: no difference.") % {"name": builder.name}))
                continue
            failed += 1
            self.stdout.write(
                self.style.ERROR(
                    _("%(name)s: %(n)s difference(s):") % {"name": builder.name, "n": number(len(problems))}
                )
            )
            for line in problems:
                self.stdout.write(f"  {line}")
        if failed:
            raise CommandError(
                _("%(n)s summary kind(s) differ from a recomputation; run check_summaries --fix to rebuild.")
                % {"n": failed},
                returncode=1,
            )
