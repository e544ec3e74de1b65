from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Development: the web server and the background worker together; Ctrl-C stops both."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **opts: Any) -> None:
        # runserver's autoreloader runs this command again in a child (RUN_MAIN=true): only the
        # outer process starts the worker, so there is one worker however often the code reloads.
        worker = None
        if os.environ.get("RUN_MAIN") != "true":
            worker = subprocess.Popen([sys.executable, str(settings.BASE_DIR / "manage.py"), "run_jobs"])
        try:
            call_command("runserver", opts["addrport"])
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
