"""Checking an uploaded document before it is kept: what it really is, not what its name says.

Only the kinds a coordination meeting passes around are taken: PDF, JPEG and PNG pictures, and
the Office formats (DOCX, XLSX, PPTX). The first bytes decide the kind (a page renamed .pdf is
refused); a picture must open as one; an Office file must be a sound ZIP of that format, with no
member leaving the archive and no "zip bomb" (a few kilobytes that unpack to gigabytes). What is
kept is served back only as a download with the kind found here, never inline.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import formats

OFFICE = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
MAX_MEMBERS = 5000
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 100  # unpacked / packed


@dataclass
class Checked:
    extension: str
    content_type: str
    filename: str


def safe_filename(name: str, extension: str) -> str:
    """The name shown on the download: the base name only, no control or path characters, at most
    120 characters, ending in the extension of the kind found."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*')
    stem = re.sub(r"\s+", " ", base.rsplit(".", 1)[0]).strip(" .") or "lampiran"
    return f"{stem[:110]}.{extension}"


def _kind(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def check(upload: Any, max_bytes: int, field: str = "file") -> Checked:
    """The kind of ``upload`` (a Django UploadedFile) or a ValidationError on ``field`` saying
    what is wrong, in the user's language."""
    size = upload.size or 0
    if size > max_bytes:
        raise ValidationError(
            {
                field: [
                    _("The file is %(size)s; the limit is %(max)s.")
                    % {"size": formats.file_size(size), "max": formats.file_size(max_bytes)}
                ]
            }
        )
    if size == 0:
        raise ValidationError({field: [_("The file is empty.")]})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = _kind(head)
    refused = ValidationError(
        {field: [_("Only PDF, JPEG or PNG pictures and Word, Excel or PowerPoint files (DOCX, XLSX, PPTX) are kept.")]}
    )
    if kind is None:
        raise refused
    if kind in ("png", "jpg"):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(upload) as img:
                img.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise ValidationError({field: [_("The picture is damaged or not a picture.")]}) from None
        finally:
            upload.seek(0)
        content_type = "image/png" if kind == "png" else "image/jpeg"
        return Checked(kind, content_type, safe_filename(upload.name, kind))
    if kind == "pdf":
        return Checked("pdf", "application/pdf", safe_filename(upload.name, "pdf"))
    extension = _office(upload, size, field)
    if extension is None:
        raise refused
    return Checked(extension, OFFICE[extension][1], safe_filename(upload.name, extension))


def _office(upload: Any, size: int, field: str) -> str | None:
    try:
        with zipfile.ZipFile(upload) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            unpacked = sum(i.file_size for i in infos)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError({field: [_("The file is damaged: it cannot be opened.")]}) from None
    finally:
        upload.seek(0)
    if (
        len(infos) > MAX_MEMBERS
        or unpacked > MAX_UNPACKED
        or unpacked > MAX_RATIO * max(size, 1)
        or any(n.startswith(("/", "\\")) or "\\" in n or ".." in n.split("/") for n in names)
    ):
        raise ValidationError({field: [_("The file unpacks to far more than it holds: it is not kept.")]})
    if "[Content_Types].xml" not in names:
        return None
    for extension, (main, _type) in OFFICE.items():
        if main in names:
            return extension
    return None
