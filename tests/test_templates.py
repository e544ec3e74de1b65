"""Templates get their data from views and selectors, which go through the scoping chokepoint.

A template that walks a related manager (``election.contests.all``) reads rows no one
restricted: the camat of Sebulu once saw Samarinda's contest that way. No template may.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

# `x.y.all`, `x.y_set.count`, ... inside {{ }} or {% %}: a related manager walked in a template.
WALK = re.compile(r"\{[{%][^}]*?\b\w+\.\w+\.(all|count|first|last|exists|filter)\b")


def test_no_template_walks_a_related_manager() -> None:
    offenders = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WALK.search(line) or "_set." in line:
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{n}: {line.strip()}")
    assert offenders == []


def test_the_check_catches_the_walk_it_is_meant_to_catch() -> None:
    assert WALK.search("{% for c in election.contests.all %}")
    assert not WALK.search("{% for c in contests %}")


# A moment, date or duration formatted by hand instead of through the sinergi filters
# (moment, day, duration: core/formats.py), which name the time zone and write days and hours.
AD_HOC_TIME = re.compile(r"\|(date|time|timesince|timeuntil|naturaltime|naturalday)\b|\{% translate \"minutes\" %\}")


def test_no_template_writes_a_moment_a_date_or_a_duration_by_hand() -> None:
    offenders = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if AD_HOC_TIME.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{n}: {line.strip()}")
    assert offenders == []


def test_the_time_check_catches_what_it_is_meant_to_catch() -> None:
    assert AD_HOC_TIME.search('{{ s.dispatched_at|date:"j M H:i" }}')
    assert AD_HOC_TIME.search('{{ route.travel_minutes|num }} {% translate "minutes" %}')
    assert not AD_HOC_TIME.search("{{ s.dispatched_at|moment:tz }} {{ route.travel_minutes|duration }}")
