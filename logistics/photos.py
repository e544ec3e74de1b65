"""Receipt photos kept between attempts at the receipt form.

A browser never refills a file input, so a receipt form that comes back with an error would lose
the photo the PPK already chose, and sending it again over a slow line costs minutes. The view
keeps a photo that passed the checks in storage under a random name and gives the page a signed
token naming the file, the user and the shipment: only that user, on that shipment's form, within
a day, gets it back. The receipt takes the photo over; a kept photo nobody came back for is
deleted after a day (when the next one is kept).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

SALT = "logistics.receipt-photo"
MAX_AGE = dt.timedelta(days=1)
PENDING_DIR = "receipts/pending"
_EXTENSION = re.compile(r"\.[a-z0-9]{1,5}")


@dataclass(frozen=True)
class KeptPhoto:
    token: str
    path: str
    name: str  # the name the file had on the user's phone, shown back to them

    def file(self) -> ContentFile:
        """The photo, under its own name, for the receipt to store (at most the plan's size limit)."""
        with default_storage.open(self.path, "rb") as f:
            return ContentFile(f.read(), name=self.name)

    def discard(self) -> None:
        default_storage.delete(self.path)


def keep(upload: Any, user: Any, shipment: Any) -> KeptPhoto:
    """Store ``upload`` until the receipt is recorded; returns what the page needs to show it."""
    _sweep()
    name = os.path.basename(upload.name or "")[:100] or "foto"
    ext = os.path.splitext(name)[1].lower()
    upload.seek(0)
    path = default_storage.save(f"{PENDING_DIR}/{uuid.uuid4().hex}{ext if _EXTENSION.fullmatch(ext) else ''}", upload)
    token = signing.dumps({"p": path, "n": name, "u": user.pk, "s": shipment.pk}, salt=SALT)
    return KeptPhoto(token, path, name)


def kept(token: str | None, user: Any, shipment: Any) -> KeptPhoto | None:
    """The photo ``token`` names, if it was kept for this user and shipment less than a day ago."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # also an expired one
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk or data.get("s") != shipment.pk:
        return None
    path = data.get("p")
    if not isinstance(path, str) or not path.startswith(PENDING_DIR + "/") or not default_storage.exists(path):
        return None
    return KeptPhoto(token, path, str(data.get("n") or "foto"))


def _sweep() -> None:
    """Delete kept photos older than a day: their tokens have expired."""
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - MAX_AGE
    for f in files:
        path = f"{PENDING_DIR}/{f}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue
