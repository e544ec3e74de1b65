"""Permission cases for the shell's own pages (see tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from core import audit
from core.models import ImportRun, ImportState, Job, JobState
from tests.matrix import IN_SEBULU, LOGGED_IN, Case

DESK_ADMINS = frozenset({"desk_admin"})


def cases(w: Any) -> list[Case]:
    failed, _ = Job.objects.get_or_create(name="matrix.example", key="1", defaults={"state": JobState.FAILED})
    operator = w.personas["kpu_operator"]
    # A TPS import recorded on the province-wide election: outside every persona's area but its uploader's.
    own = audit.record(operator, "tps.import", w.election, {"created": [None, 1]})
    sebulu = audit.record(None, "tps.update", w.tps_sebulu, {"dpt_male": [200, 201]})
    run, _ = ImportRun.objects.get_or_create(
        kind="regions.tps",
        target=str(w.election.pk),
        user=operator,
        filename="matrix.csv",
        sha256="0" * 64,
        defaults={"state": ImportState.DONE, "counts": {"created": 1, "updated": 0, "unchanged": 0}},
    )
    return [
        Case("core:home", "/", anonymous=200),
        Case("core:healthz", "/healthz", anonymous=200),
        # Everyone sees the changes of their own area (the matrix checks none from elsewhere leaks).
        Case("core:audit", "/audit/", allowed=LOGGED_IN, hidden={"Alamat TPS Rawa Makmur": frozenset()}),
        # One change: seen in its area, and always by whoever made it.
        Case("core:audit_entry", f"/audit/{sebulu.pk}/", allowed=IN_SEBULU),
        Case("core:audit_entry", f"/audit/{own.pk}/", allowed=frozenset({"kpu_operator"})),
        # A background import's page: its uploader and the Desk Pilkada admins; nobody else learns of it.
        Case("core:import_run", f"/imports/{run.pk}/", allowed=frozenset({"kpu_operator"}) | DESK_ADMINS),
        # "Pekerjaan latar": the Desk Pilkada admins look after the background jobs.
        Case("core:jobs", "/jobs/", allowed=DESK_ADMINS, denied=403),
        Case("core:job_retry", f"/jobs/{failed.pk}/retry", "POST", {}, allowed=DESK_ADMINS, ok=302, denied=403),
        Case("core:job_dismiss", f"/jobs/{failed.pk}/dismiss", "POST", {}, allowed=DESK_ADMINS, ok=302, denied=403),
        # "Akun terkunci": the Desk Pilkada admins see and lift log-in lockouts.
        Case("core:lockouts", "/lockouts/", allowed=DESK_ADMINS, denied=403),
        Case(
            "core:lockout_unlock",
            "/lockouts/unlock",
            "POST",
            {"username": "kpu_operator"},
            allowed=DESK_ADMINS,
            ok=302,
            denied=403,
        ),
        # The demo clock: outside the demo nobody moves it (in the demo the Desk admins do, see
        # tests/test_demo_clock.py).
        Case(
            "core:demo_moment",
            "/demo/moment",
            "POST",
            {"moment": "2025-04-15T12:00:00+08:00"},
            allowed=frozenset(),
            denied=403,
        ),
        # Each user changes their own password; anyone may ask for a reset link (no account is revealed).
        Case("password_change", "/account/password/change/", allowed=LOGGED_IN),
        Case("password_change_done", "/account/password/change/done/", allowed=LOGGED_IN),
        Case("password_reset", "/account/password/reset/", anonymous=200),
        Case("password_reset_done", "/account/password/reset/sent/", anonymous=200),
        Case("password_reset_confirm", "/account/password/reset/MQ/bad-token/", anonymous=200),
        Case("password_reset_complete", "/account/password/reset/done/", anonymous=200),
    ]
