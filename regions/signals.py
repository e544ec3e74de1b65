"""Signals other capabilities listen to.

They are sent INSIDE the writer's transaction, so what a receiver writes commits or rolls back
with the change. Receivers may only enqueue background jobs (``core.jobs.enqueue``); the work
itself runs in the worker, never in the request.
"""

from django.dispatch import Signal

# Sent with ``election`` and ``village_codes`` when TPS were created, changed or imported.
tps_changed = Signal()
