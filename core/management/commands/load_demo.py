from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core import demo


class Command(BaseCommand):
    help = "Load the Kalimantan Timur Pilkada 2024 demo (idempotent) and print the demo logins."

    def handle(self, *args: Any, **opts: Any) -> None:
        result = demo.load()
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {result['election']} ({result['tps_created']} TPS added)."))
        self.stdout.write(f"Demo logins (password for all: {result['password']}):")
        for username, full, agency, role, scope in result["logins"]:
            self.stdout.write(f"  {username:<15} {full} — {agency} ({role}, {scope})")
