"""The frame of every ``<capability>_status REGION [--json] [--election N]`` command.

Each capability prints the figures of its situation-report section, read as the whole Desk (an
unsaved superuser: the command runs on the server, for scheduled reports and scripts), in one
JSON shape shared with its ``GET /api/v1/<capability>/status/{code}``. The region and election are
resolved by the ``status_subject`` hook (provided by the elections app), so core names no app.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from core.registry import registry


class StatusCommand(BaseCommand):
    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("region_code")
        parser.add_argument("--json", action="store_true", help="machine-readable output (the API's shape)")
        parser.add_argument("--election", type=int)

    def figures(self, desk: Any, election: Any, region: Any) -> dict[str, Any]:
        raise NotImplementedError

    def print_text(self, data: dict[str, Any], out: Any) -> None:
        raise NotImplementedError

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            region, election = registry.call("status_subject", opts["region_code"], opts["election"])
        except LookupError as e:
            raise CommandError(str(e)) from e
        desk = get_user_model()(username=self.__module__.rsplit(".", 1)[-1], is_superuser=True, is_active=True)
        data = self.figures(desk, election, region)
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder))
            return
        self.stdout.write(f"{election.name} — {region.name} ({region.code}), as of {data['as_of']}")
        self.print_text(data, self.stdout.write)
