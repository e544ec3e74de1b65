"""Moments, dates, durations and numbers are written one way everywhere (core/formats.py)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import timezone, translation

from core import formats

# 06.30 UTC on the demo's "today": 14.30 in Kaltim, 13.30 in Jakarta, 15.30 in Papua.
AT = dt.datetime(2024, 11, 18, 6, 30, tzinfo=dt.UTC)
KALTIM = SimpleNamespace(timezone="Asia/Makassar")  # anything with the election's ``timezone``
NBSP = "\xa0"


def render(source: str, **context: object) -> str:
    return Template("{% load sinergi %}" + source).render(Context(context))


class MomentTest(SimpleTestCase):
    def test_a_moment_in_kaltim_is_written_out_in_wita(self) -> None:
        with translation.override("id"):
            self.assertEqual(formats.moment(AT, "Asia/Makassar"), "18 November 2024 14.30 WITA")
            self.assertEqual(formats.moment(AT, KALTIM), "18 November 2024 14.30 WITA")

    def test_the_same_moment_reads_in_each_indonesian_zone(self) -> None:
        with translation.override("id"):
            self.assertEqual(formats.moment(AT, "Asia/Jakarta"), "18 November 2024 13.30 WIB")
            self.assertEqual(formats.moment(AT, "Asia/Jayapura"), "18 November 2024 15.30 WIT")

    def test_english_uses_english_months_and_a_colon(self) -> None:
        with translation.override("en"):
            self.assertEqual(formats.moment(AT, "Asia/Makassar"), "18 November 2024 14:30 WITA")
            self.assertEqual(
                formats.moment(dt.datetime(2024, 8, 27, 1, 5, tzinfo=dt.UTC), "Asia/Jakarta"),
                "27 August 2024 08:05 WIB",
            )

    def test_indonesian_month_names(self) -> None:
        with translation.override("id"):
            self.assertEqual(
                formats.moment(dt.datetime(2024, 8, 27, 1, 5, tzinfo=dt.UTC), "Asia/Jakarta"),
                "27 Agustus 2024 08.05 WIB",
            )

    def test_without_a_zone_the_servers_zone_or_the_one_a_view_activated_applies(self) -> None:
        with translation.override("id"):
            self.assertEqual(formats.moment(AT), "18 November 2024 14.30 WITA")  # TIME_ZONE is Asia/Makassar
            with timezone.override("Asia/Jayapura"):
                self.assertEqual(formats.moment(AT), "18 November 2024 15.30 WIT")

    def test_a_zone_outside_indonesia_keeps_its_own_abbreviation(self) -> None:
        with translation.override("en"):
            self.assertEqual(formats.moment(AT, "UTC"), "18 November 2024 06:30 UTC")

    def test_a_naive_moment_is_read_in_the_zone_given(self) -> None:
        with translation.override("id"):
            self.assertEqual(
                formats.moment(dt.datetime(2024, 11, 18, 9, 0), "Asia/Jakarta"), "18 November 2024 09.00 WIB"
            )

    def test_nothing_reads_as_a_dash(self) -> None:
        self.assertEqual(formats.moment(None, "Asia/Makassar"), "—")
        self.assertEqual(render("{{ x|moment:tz }}", x=None, tz="Asia/Makassar"), "—")


class DayTest(SimpleTestCase):
    def test_a_date_is_written_out(self) -> None:
        with translation.override("id"):
            self.assertEqual(formats.day(dt.date(2024, 11, 27)), "27 November 2024")
            self.assertEqual(formats.day(dt.date(2024, 2, 5)), "5 Februari 2024")
        with translation.override("en"):
            self.assertEqual(formats.day(dt.date(2024, 2, 5)), "5 February 2024")

    def test_a_moment_falls_on_its_day_in_the_zone_given(self) -> None:
        late = dt.datetime(2024, 11, 18, 16, 30, tzinfo=dt.UTC)  # 23.30 WIB, already 00.30 WITA
        with translation.override("id"):
            self.assertEqual(formats.day(late, "Asia/Jakarta"), "18 November 2024")
            self.assertEqual(formats.day(late, "Asia/Makassar"), "19 November 2024")


class DurationTest(SimpleTestCase):
    CASES: list[tuple[dt.timedelta | int, str, str]] = [
        (11_520, "8 hari", "8 days"),  # never "11.520 menit"
        (dt.timedelta(hours=192), "8 hari", "8 days"),  # never "192.0 jam"
        (dt.timedelta(days=2, hours=3, minutes=40), "2 hari 3 jam", "2 days 3 hours"),
        (dt.timedelta(hours=11, minutes=51), "11 jam 51 menit", "11 hours 51 minutes"),
        (dt.timedelta(hours=3), "3 jam", "3 hours"),
        (45, "45 menit", "45 minutes"),
        (dt.timedelta(days=1, hours=1), "1 hari 1 jam", "1 day 1 hour"),
        (1, "1 menit", "1 minute"),
        (0, "0 menit", "0 minutes"),
        (dt.timedelta(minutes=-90), "1 jam 30 menit", "1 hour 30 minutes"),  # the sentence says late or left
        (dt.timedelta(minutes=44, seconds=40), "45 menit", "45 minutes"),  # to the nearest minute
    ]

    def test_a_duration_reads_in_its_two_largest_units(self) -> None:
        for value, indonesian, english in self.CASES:
            with self.subTest(value=value):
                with translation.override("id"):
                    self.assertEqual(formats.duration(value), indonesian)
                with translation.override("en"):
                    self.assertEqual(formats.duration(value), english)

    def test_the_template_filter_takes_minutes_or_a_timedelta(self) -> None:
        with translation.override("id"):
            self.assertEqual(
                render("{{ m|duration }} · {{ td|duration }}", m=90, td=dt.timedelta(days=8)), "1 jam 30 menit · 8 hari"
            )
            self.assertEqual(render("{{ m|duration }}", m=None), "—")


class NumberTest(SimpleTestCase):
    def test_numbers_are_grouped_the_indonesian_way(self) -> None:
        with translation.override("id"):
            self.assertEqual(formats.number(1929), "1.929")
            self.assertEqual(formats.number(10_000_000), "10.000.000")
            self.assertEqual(formats.number(7.26, 1), "7,3")
            self.assertEqual(render("{{ n|num }} {{ x|num:1 }}", n=552469, x=12.345), "552.469 12,3")
        with translation.override("en"):
            self.assertEqual(formats.number(1929), "1,929")
        self.assertEqual(formats.number(None), "—")

    def test_a_file_size_is_written_with_its_unit(self) -> None:
        size = int(7.2 * 1024 * 1024)
        with translation.override("id"):
            self.assertEqual(formats.file_size(size), f"7,2{NBSP}MB")
            self.assertEqual(render("{{ b|file_size }}", b=size), f"7,2{NBSP}MB")
        with translation.override("en"):
            self.assertEqual(formats.file_size(size), f"7.2{NBSP}MB")


class ZoneTest(SimpleTestCase):
    def test_the_three_indonesian_zones_have_their_names(self) -> None:
        self.assertEqual(
            [formats.zone_name(z) for z in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")], ["WIB", "WITA", "WIT"]
        )
        self.assertEqual(render("{{ e|zone }}", e=KALTIM), "WITA")
