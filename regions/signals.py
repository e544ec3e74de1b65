"""Signals other capabilities listen to, sent after the change has committed."""

from django.dispatch import Signal

# Sent with ``election`` and ``village_codes`` when TPS were created, changed or imported.
tps_changed = Signal()
