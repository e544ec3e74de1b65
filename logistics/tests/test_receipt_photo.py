"""Receipt photos: where they are served, and who sees the place they were taken (EXIF GPS).

Nothing public serves a photo: there is no MEDIA_URL route (tests/test_security_hardening.py), the API
returns no photo, and the only way to a photo is logistics:receipt_photo, scoped like its shipment. So
the photo keeps its location metadata, and only those who may see the shipment ever receive it.
"""

from __future__ import annotations

import io
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import ExifTags, Image

from agencies.models import Agency, Membership, Role
from logistics.tests.base import LogisticsTestCase

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "S",
    ExifTags.GPS.GPSLatitude: (0.0, 15.0, 30.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (117.0, 2.0, 10.0),
}


def photo_with_location() -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = GPS
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(buf, "JPEG", exif=exif)
    return SimpleUploadedFile("receipt.jpg", buf.getvalue(), content_type="image/jpeg")


def location_in(data: bytes) -> dict[int, object]:
    with Image.open(io.BytesIO(data)) as img:
        return dict(img.getexif().get_ifd(ExifTags.IFD.GPSInfo))


class ReceiptPhotoTest(LogisticsTestCase):
    def setUp(self) -> None:
        super().setUp()
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        ctx = override_settings(MEDIA_ROOT=media.name)
        ctx.enable()
        self.addCleanup(ctx.disable)
        self.shipment = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        self.receive(self.shipment, {"booth": (4, 0, 0)}, photo=photo_with_location())
        self.url = f"/logistics/shipments/{self.shipment.pk}/photo/"

    def test_an_authorised_viewer_gets_the_photo_with_where_it_was_taken(self) -> None:
        self.client.force_login(self.ppk_operator)
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(location_in(r.getvalue())[ExifTags.GPS.GPSLatitudeRef], "S")
        self.assertIn("no-store", r.headers["Cache-Control"])

    def test_anyone_else_gets_neither_the_photo_nor_its_location(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 302)  # to the log-in
        samarinda = self.ppk_operator.__class__.objects.create(username="kpu_samarinda_op")
        Membership.objects.create(
            user=samarinda, agency=Agency.objects.get(name="KPU Samarinda"), role=Role.ADMIN, scope_id="64.72"
        )
        self.client.force_login(samarinda)
        self.assertEqual(self.client.get(self.url).status_code, 404)
