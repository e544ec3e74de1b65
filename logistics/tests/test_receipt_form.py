"""The receipt form on a phone, and the rules every receipt obeys (form and API alike).

A browser review found the form 1,200 px down the page with 33 number fields prefilled with the
shipped counts, inviting a confirmation without counting; a receipt with fewer goods than shipped
accepted without a word; a receipt time in the future accepted; and a refused attempt losing the
chosen photo.
"""

from __future__ import annotations

import io
import json
import tempfile
import uuid
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from agencies.models import ApiToken
from core.models import AuditEntry
from logistics import photos
from logistics.models import Receipt, Shipment
from logistics.tests.base import LogisticsTestCase, at

BALLOT = "ballot-6402"


def jpeg(name: str = "tanda-terima.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (16, 12), "white").save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


class ReceiptCase(LogisticsTestCase):
    def setUp(self) -> None:
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        ctx = override_settings(MEDIA_ROOT=media.name)
        ctx.enable()
        self.addCleanup(ctx.disable)
        self.shipment = self.ship(self.warehouse, self.ppk_sebulu, {BALLOT: 500, "booth": 4})
        self.url = f"/logistics/shipments/{self.shipment.pk}/"
        self.client.force_login(self.ppk_operator)

    def pk(self, code: str) -> int:
        return self.items[code].pk

    def data(self, **extra: Any) -> dict[str, Any]:
        return {
            "client_id": str(uuid.uuid4()),
            "received_at": "2024-11-15T10:00",
            "receiver": "Ketua PPK Sebulu",
            f"state_{self.pk(BALLOT)}": "intact",
            f"state_{self.pk('booth')}": "intact",
            **extra,
        }

    def assert_nothing_written(self) -> None:
        self.assertFalse(Receipt.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="logistics.receipt").exists())
        self.assertEqual(Shipment.objects.get(pk=self.shipment.pk).status, "dispatched")


class PhoneFirstFormTest(ReceiptCase):
    def test_the_form_comes_before_the_shipment_facts(self) -> None:
        html = self.client.get(self.url).content.decode()
        self.assertLess(html.index('data-testid="receipt-form"'), html.index('<dl class="facts">'))

    def test_no_count_is_prefilled_and_no_line_is_marked_in_advance(self) -> None:
        r = self.client.get(self.url)
        form = r.content.decode().split('data-testid="receipt-form"')[1].split("</form>")[0]
        for part in ("good", "damaged", "missing"):
            self.assertIn(f'name="{part}_{self.pk(BALLOT)}"', form)
            self.assertNotRegex(form, rf'name="{part}_\d+"[^>]*value=')
        self.assertNotIn("checked", form)
        self.assertContains(r, "Utuh dan lengkap sesuai kiriman")

    def test_a_line_marked_intact_records_what_was_shipped(self) -> None:
        self.assertRedirects(self.client.post(self.url, self.data()), self.url)
        lines = {ln.item.code: (ln.received, ln.damaged, ln.missing) for ln in Receipt.objects.get().lines.all()}
        self.assertEqual(lines, {BALLOT: (500, 0, 0), "booth": (4, 0, 0)})
        self.assertEqual(Shipment.objects.get(pk=self.shipment.pk).status, "received")

    def test_a_line_marked_not_intact_records_its_counts(self) -> None:
        data = self.data(**{f"state_{self.pk(BALLOT)}": "short", f"good_{self.pk(BALLOT)}": 480})
        data[f"damaged_{self.pk(BALLOT)}"] = 20
        self.assertRedirects(self.client.post(self.url, data), self.url)
        line = Receipt.objects.get().lines.get(item=self.items[BALLOT])
        self.assertEqual((line.received, line.damaged, line.missing), (480, 20, 0))

    def test_a_line_neither_marked_nor_counted_is_refused(self) -> None:
        data = self.data()
        del data[f"state_{self.pk('booth')}"]
        r = self.client.post(self.url, data)
        self.assertContains(r, "Pilih “utuh dan lengkap sesuai kiriman”, atau hitung yang diterima.")
        self.assert_nothing_written()

    def test_a_line_marked_not_intact_needs_its_good_count(self) -> None:
        r = self.client.post(self.url, self.data(**{f"state_{self.pk('booth')}": "short"}))
        self.assertContains(r, "Berapa yang diterima dalam keadaan baik? Tulis 0 bila tidak ada.")
        self.assert_nothing_written()

    def test_after_an_error_the_page_opens_at_a_summary_linking_each_problem_to_its_field(self) -> None:
        data = self.data(receiver="", **{f"state_{self.pk('booth')}": "short"})
        r = self.client.post(self.url, data)
        summary = r.content.decode().split('data-testid="error-summary"')[1].split("</div>")[0]
        self.assertIn("Penerimaan belum disimpan: 2 hal perlu diperbaiki", summary)
        self.assertIn('<a href="#id_receiver">Diterima oleh: ', summary)
        self.assertIn(f'<a href="#id_good_{self.pk("booth")}">', summary)
        self.assertIn('id="receipt-errors" tabindex="-1" autofocus', r.content.decode())
        self.assert_nothing_written()

    def test_the_summary_links_a_line_left_unmarked_to_its_first_choice(self) -> None:
        data = self.data()
        del data[f"state_{self.pk(BALLOT)}"]
        r = self.client.post(self.url, data)
        self.assertContains(r, f'<a href="#id_state_{self.pk(BALLOT)}_0">')
        self.assertContains(r, f'id="id_state_{self.pk(BALLOT)}_0"')


class KeptPhotoTest(ReceiptCase):
    def test_a_refused_attempt_keeps_the_photo_for_the_next(self) -> None:
        r = self.client.post(self.url, self.data(receiver="", photo=jpeg()))
        self.assertContains(r, "Foto tersimpan: tanda-terima.jpg")
        token = r.context["kept_photo"].token
        self.assertContains(r, f'name="photo_token" value="{token}"')
        self.assertRedirects(self.client.post(self.url, self.data(photo_token=token)), self.url)
        receipt = Receipt.objects.get()
        self.assertTrue(receipt.photo.name.startswith("receipts/2"), receipt.photo.name)
        with receipt.photo.open("rb") as f, Image.open(f) as img:
            self.assertEqual(img.size, (16, 12))
        _dirs, pending = default_storage.listdir(photos.PENDING_DIR)
        self.assertEqual(pending, [], "the kept photo went to the receipt")

    def test_a_photo_kept_for_someone_else_is_not_handed_over(self) -> None:
        self.client.force_login(self.kpu_operator)
        token = self.client.post(self.url, self.data(receiver="", photo=jpeg())).context["kept_photo"].token
        self.client.force_login(self.ppk_operator)
        r = self.client.post(self.url, self.data(receiver="", photo_token=token))
        self.assertIsNone(r.context["kept_photo"])
        self.assertNotContains(r, "Foto tersimpan")
        self.assertRedirects(self.client.post(self.url, self.data(photo_token=token)), self.url)
        self.assertFalse(Receipt.objects.get().photo)

    def test_a_forged_token_names_no_file(self) -> None:
        forged = signing.dumps({"p": "receipts/2024/11/other.jpg", "n": "x.jpg", "u": 1, "s": 1}, salt="wrong")
        r = self.client.post(self.url, self.data(receiver="", photo_token=forged))
        self.assertIsNone(r.context["kept_photo"])

    def test_a_photo_that_fails_the_checks_is_not_kept(self) -> None:
        fake = SimpleUploadedFile("tanda-terima.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
        r = self.client.post(self.url, self.data(receiver="", photo=fake))
        self.assertIsNone(r.context["kept_photo"])
        self.assertNotContains(r, "Foto tersimpan")


class UncountedGoodsNeedAReasonTest(ReceiptCase):
    def test_fewer_goods_counted_than_shipped_need_a_note(self) -> None:
        data = self.data(**{f"state_{self.pk(BALLOT)}": "short", f"good_{self.pk(BALLOT)}": 450})
        r = self.client.post(self.url, data)
        self.assertContains(
            r,
            "baru 450 dari 500 yang dikirim yang terhitung (baik, rusak atau kurang). Hitung sisanya sebagai kurang, "
            "atau tuliskan di catatan mengapa belum terhitung.",
        )
        self.assert_nothing_written()
        data["note"] = "50 lembar masih di gudang PPK, belum dibuka."
        self.assertRedirects(self.client.post(self.url, data), self.url)
        self.assertEqual(Shipment.objects.get(pk=self.shipment.pk).status, "problem")

    def test_counted_as_missing_needs_no_note(self) -> None:
        data = self.data(**{f"state_{self.pk(BALLOT)}": "short", f"good_{self.pk(BALLOT)}": 450})
        data[f"missing_{self.pk(BALLOT)}"] = 50
        self.assertRedirects(self.client.post(self.url, data), self.url)

    def test_the_action_refuses_uncounted_goods_without_a_note(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.receive(self.shipment, {BALLOT: (400, 50, 0), "booth": (4, 0, 0)})
        self.assertIn("note", caught.exception.message_dict)
        self.assert_nothing_written()

    def test_an_item_left_out_of_the_receipt_needs_a_note(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.receive(self.shipment, {BALLOT: (500, 0, 0)})
        self.assertIn("baru 0 dari 4 yang dikirim", caught.exception.message_dict["note"][0])
        self.assert_nothing_written()
        self.receive(self.shipment, {BALLOT: (500, 0, 0)}, note="Bilik suara menyusul dengan truk kedua.")
        self.assertEqual(Receipt.objects.count(), 1)


class FutureReceiptTest(ReceiptCase):
    # the desk's now in the tests: 18 Nov 2024 12.00 WITA
    def test_a_receipt_time_after_the_desks_now_is_refused_in_the_form(self) -> None:
        r = self.client.post(self.url, self.data(received_at="2024-11-18T12:01"))
        self.assertContains(
            r,
            "Waktu penerimaan 18 November 2024 12.01 WITA lebih lambat daripada sekarang "
            "(18 November 2024 12.00 WITA): catat penerimaan setelah barangnya tiba.",
        )
        self.assertContains(r, '<a href="#id_received_at">Diterima pada: Waktu penerimaan')
        self.assert_nothing_written()

    def test_the_desks_now_itself_is_accepted(self) -> None:
        self.assertRedirects(self.client.post(self.url, self.data(received_at="2024-11-18T12:00")), self.url)

    def test_the_action_refuses_a_future_receipt(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.receive(self.shipment, {BALLOT: (500, 0, 0), "booth": (4, 0, 0)}, when=at(19))
        self.assertIn("received_at", caught.exception.message_dict)
        self.assert_nothing_written()


class ReceiptApiRulesTest(ReceiptCase):
    def setUp(self) -> None:
        super().setUp()
        self.api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.ppk_operator, 't')[1]}")

    def post(self, **body: Any) -> Any:
        payload = {
            "client_id": str(uuid.uuid4()),
            "received_at": "2024-11-15T10:00:00+08:00",
            "receiver": "Ketua PPK",
            "lines": [{"item_code": BALLOT, "received": 500}, {"item_code": "booth", "received": 4}],
            **body,
        }
        return self.api.post(
            f"/api/v1/logistics/shipments/{self.shipment.pk}/receipt", json.dumps(payload), "application/json"
        )

    def test_the_api_refuses_a_receipt_in_the_future(self) -> None:
        r = self.post(received_at="2024-11-19T08:00:00+08:00")
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn("received_at", r.json()["errors"])
        self.assert_nothing_written()

    def test_the_api_refuses_uncounted_goods_without_a_note(self) -> None:
        r = self.post(lines=[{"item_code": BALLOT, "received": 450}, {"item_code": "booth", "received": 4}])
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn("note", r.json()["errors"])
        self.assert_nothing_written()
        r = self.post(
            lines=[{"item_code": BALLOT, "received": 450}, {"item_code": "booth", "received": 4}],
            note="50 lembar tertahan di pos pemeriksaan.",
        )
        self.assertEqual(r.status_code, 201, r.content)
