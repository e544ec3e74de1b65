from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from core import demo
from core.registry import registry
from regions.models import Region


class Command(BaseCommand):
    help = "Load the Kalimantan Timur Pilkada 2024 demo (idempotent) and print the demo logins."

    def handle(self, *args: Any, **opts: Any) -> None:
        if Region.objects.count() < 91_000:
            call_command("import_regions", no_progress=not self.stdout.isatty())
        result = demo.load()
        for builder in registry.summaries:  # whatever the demo wrote, the summaries end up exact
            builder.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {result['election']} ({result['tps_created']} TPS added)."))
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, full, agency, role, scope, _title in demo.PERSONAS:
            self.stdout.write(f"  {username:<15} {full} — {agency} ({role}, {scope})")
