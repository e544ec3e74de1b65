"""Documents kept with a meeting: checked for what they really are, served only to the meeting's
readers and always as a download; a refused file writes nothing."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from agencies.models import Agency, Membership, Role
from core.models import AuditEntry
from meetings.models import Attachment
from meetings.tests.base import MeetingsTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG")
    return buf.getvalue()


def office(main: str, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(main, "<x/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


class AttachmentTest(MeetingsTestCase):
    def setUp(self) -> None:
        self.media = tempfile.mkdtemp()
        self.enterContext(override_settings(MEDIA_ROOT=self.media))
        self.addCleanup(shutil.rmtree, self.media, True)
        self.url = f"/meetings/{self.rakor.pk}/attachments/"

    def upload(self, name: str, data: bytes, persona: Any = None, **extra: Any) -> Any:
        self.client.force_login(persona or self.desk_admin)
        body = {"title": "Bahan paparan KPU", "file": SimpleUploadedFile(name, data), **extra}
        return self.client.post(self.url, body)

    def stored_files(self) -> list[str]:
        return [p.name for p in Path(self.media).rglob("*") if p.is_file()]

    def test_the_desk_keeps_a_pdf_and_a_reader_downloads_it_as_a_file(self) -> None:
        r = self.upload("Paparan KPU.pdf", PDF)
        self.assertRedirects(r, f"/meetings/{self.rakor.pk}/")
        item = Attachment.objects.get()
        self.assertEqual(
            (item.filename, item.content_type, item.size), ("Paparan KPU.pdf", "application/pdf", len(PDF))
        )
        self.assertTrue(AuditEntry.objects.filter(action="meeting.attachment").exists())
        self.client.force_login(self.camat_sebulu)  # reads the Kukar rakor from below
        page = self.client.get(f"/meetings/{self.rakor.pk}/")
        self.assertContains(page, "Bahan paparan KPU")
        self.assertNotContains(page, 'data-testid="attachment-form"')
        r = self.client.get(f"/meetings/attachments/{item.pk}/")
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertEqual(r["Content-Disposition"], 'attachment; filename="Paparan KPU.pdf"')
        self.assertEqual(r.getvalue(), PDF)

    def test_pictures_and_office_files_are_kept_under_the_kind_found(self) -> None:
        for name, data, kind in (
            ("foto.jpeg.png", png(), "image/png"),
            ("notulen.docx", office("word/document.xml"), "officedocument.wordprocessingml"),
            ("rekap", office("xl/workbook.xml"), "spreadsheetml"),
        ):
            with self.subTest(name=name):
                self.assertEqual(self.upload(name, data).status_code, 302)
                self.assertIn(kind, Attachment.objects.latest("id").content_type)
        self.assertEqual(Attachment.objects.latest("id").filename, "rekap.xlsx")

    def test_what_is_not_a_kept_kind_is_refused_and_nothing_is_written(self) -> None:
        bomb = office("word/document.xml", {"word/big.xml": b"0" * (5 * 1024 * 1024)})
        cases = {
            "paparan.pdf": (b"<html><script>alert(1)</script></html>", "Hanya PDF"),
            "gambar.png": (b"\x89PNG\r\n\x1a\nnot really a picture", "rusak atau bukan gambar"),
            "peta.svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "Hanya PDF"),
            "arsip.zip": (office("other.xml"), "Hanya PDF"),
            "bom.docx": (bomb, "jauh lebih besar"),
            "keluar.docx": (office("word/document.xml", {"../../etc/x": b"x"}), "jauh lebih besar"),
            "kosong.pdf": (b"", "kosong"),
        }
        for name, (data, message) in cases.items():
            with self.subTest(name=name):
                r = self.upload(name, data)
                self.assertContains(r, message, status_code=400)
        with override_settings(MEETING_ATTACHMENT_MAX_BYTES=10):
            self.assertContains(self.upload("besar.pdf", PDF), "batasnya 10", status_code=400)
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(self.stored_files(), [])
        self.assertFalse(AuditEntry.objects.filter(action="meeting.attachment").exists())

    def test_a_path_in_the_name_is_dropped_and_a_retry_keeps_one(self) -> None:
        client_id = str(uuid.uuid4())
        self.upload("../../etc/Paparan\x00<b>.pdf", PDF, client_id=client_id)
        self.upload("../../etc/Paparan\x00<b>.pdf", PDF, client_id=client_id)
        self.assertEqual(Attachment.objects.get().filename, "Paparanb.pdf")

    def test_only_the_desk_keeps_documents_and_only_readers_of_the_meeting_get_them(self) -> None:
        self.assertEqual(self.upload("x.pdf", PDF, persona=self.camat_sebulu).status_code, 403)
        self.upload("x.pdf", PDF)
        item = Attachment.objects.get()
        samarinda = get_user_model().objects.create(username="kpu.samarinda")
        Membership.objects.create(
            user=samarinda, agency=Agency.objects.get(name="KPU Samarinda"), role=Role.VIEWER, scope_id="64.72"
        )
        self.client.force_login(samarinda)
        self.assertEqual(self.client.get(f"/meetings/attachments/{item.pk}/").status_code, 404)

    def test_the_api_keeps_and_serves_a_document(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.post(
            f"/api/v1/meetings/{self.rakor.pk}/attachments",
            {"title": "Undangan rakor", "file": SimpleUploadedFile("undangan.pdf", PDF)},
        )
        self.assertEqual(r.status_code, 201, r.content)
        item_id = r.json()["id"]
        detail = self.client.get(f"/api/v1/meetings/{self.rakor.pk}").json()
        self.assertEqual([a["title"] for a in detail["attachments"]], ["Undangan rakor"])
        r = self.client.get(f"/api/v1/meetings/attachments/{item_id}")
        self.assertEqual((r.status_code, r["Content-Type"]), (200, "application/pdf"))
        r = self.client.post(
            f"/api/v1/meetings/{self.rakor.pk}/attachments",
            {"title": "Palsu", "file": SimpleUploadedFile("palsu.pdf", b"MZ\x90\x00")},
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("Hanya PDF", json.dumps(r.json(), ensure_ascii=False))
