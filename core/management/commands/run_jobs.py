from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from core import import_runs, jobs


class Command(BaseCommand):
    help = "Run background jobs (follow-ups of changes, retries) and the periodic jobs on their schedule."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="run what is due now, then exit (tests, cron)")
        parser.add_argument("--sleep", type=float, default=2.0, help="seconds to wait when nothing is due")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["once"]:
            jobs.schedule_periodic()
            ran = jobs.run_all()
            jobs.prune()
            import_runs.prune()
            self.stdout.write(f"{ran} job(s) run.")
            return
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Background worker started (polls every {opts['sleep']:g} s).")
        last_prune = 0.0
        while not stopping:
            close_old_connections()
            try:
                jobs.schedule_periodic()
                ran = jobs.run_due()
                if time.monotonic() - last_prune > 3600:
                    jobs.prune()
                    import_runs.prune()
                    last_prune = time.monotonic()
            except Exception as e:  # the database is away for a moment: wait and try again
                self.stderr.write(f"background worker: {e}")
                ran = 0
            if not ran:
                for _tick in range(max(1, int(opts["sleep"] * 10))):
                    if stopping:
                        break
                    time.sleep(0.1)
        self.stdout.write("Background worker stopped.")
