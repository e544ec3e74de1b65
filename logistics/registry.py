"""What logistics contributes to the shared shell (see core/registry.py)."""

from __future__ import annotations

from core.registry import PeriodicJob, registry
from logistics import jobs

# Nodes at risk of missing their deadline and overdue deliveries become alerts every 15 minutes.
registry.periodic_jobs.append(PeriodicJob("logistics.scan_risks", jobs.scan_all_risks, minutes=15))
