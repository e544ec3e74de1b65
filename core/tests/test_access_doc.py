"""docs/access.md states the same access table as core.scoping.ACCESS."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import SimpleTestCase

from core import scoping

DOC = Path(__file__).resolve().parents[2] / "docs" / "access.md"
ROW = re.compile(r"^\| (\w+) \([^)]*\) \| (.+?) \| (.+?) \|$")


class AccessDocTest(SimpleTestCase):
    def test_the_documented_table_matches_the_code(self) -> None:
        documented = {}
        for line in DOC.read_text().splitlines():
            m = ROW.match(line)
            if m:
                read = scoping.ALL_KINDS if m.group(2) == "all agency kinds" else frozenset(m.group(2).split(", "))
                documented[m.group(1)] = (read, frozenset(m.group(3).split(", ")))
        actual = {cap: (rules[scoping.VIEW], rules[scoping.CHANGE]) for cap, rules in scoping.ACCESS.items()}
        self.assertEqual(documented, actual)
