"""The generic permission matrix: every route and API operation against every persona.

Each capability declares its cases in ``<app>/tests/permission_cases.py`` (a ``cases(w)``
function, listed in ``core.registry.registry.permission_cases`` by the app's registry.py). A case
names the route it covers, the request to make and the outcome for each persona. The matrix test
enumerates every URL pattern from the resolver and every operation from the API's OpenAPI schema;
one without a case fails the test, so a new route cannot ship unchecked.

Outcomes are written out by hand, not computed from core/scoping.py, so a change that widens or
narrows access fails here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from core.registry import registry

# anonymous; logged in with no membership; KPU Kukar viewer / operator / admin; the Kukar desk
# admin; the same agency kind in another kabupaten (KPU Samarinda); Bawaslu, Polres, the camat of
# Sebulu and the PPK of Sebulu.
PERSONAS = [
    "anonymous",
    "no_membership",
    "kpu_viewer",
    "kpu_operator",
    "kpu_admin",
    "desk_admin",
    "kpu_samarinda",
    "bawaslu_investigator",
    "polres_officer",
    "camat_sebulu",
    "ppk_operator",
]
LOGGED_IN = frozenset(PERSONAS) - {"anonymous"}
KUKAR_WIDE = frozenset(
    {"kpu_viewer", "kpu_operator", "kpu_admin", "desk_admin", "bawaslu_investigator", "polres_officer"}
)
IN_SEBULU = KUKAR_WIDE | {"camat_sebulu", "ppk_operator"}
KPU_KUKAR_WRITERS = frozenset({"kpu_operator", "kpu_admin"})

# Routes that are not ours to scope, each with the reason.
EXEMPT = {
    "admin:*": "Django admin: superusers only, its own permission system",
    "two_factor:*": "the log-in and two-factor pages of django-two-factor-auth, for the user's own account",
    "logout": "ends the user's own session",
    "set_language": "sets the user's own language",
    "api-1:openapi-json": "the API's own description, public by design",
    "api-1:openapi-view": "the API's own documentation page, public by design",
    "api-1:api-root": "the API's index, no data",
    "api-not-found": "any /api/ address no operation matches: a JSON 404, no data",
}


@dataclass
class Case:
    """One request and its expected outcome per persona.

    ``route`` is a URL name ("regions:tps_detail") for pages or "METHOD /api/v1/path/{param}" for
    API operations. A persona in ``allowed`` gets ``ok``; another logged-in persona gets ``denied``
    (403, 404, or 200 for a list that must show them nothing of what is hidden); anonymous gets
    ``anonymous``. ``status`` overrides single personas. ``hidden`` maps a marker string (e.g. a
    TPS address) to the personas who may see it: for everyone else with a 2xx answer the marker
    must not be in the body. Writes run inside a transaction that is rolled back after each persona.
    """

    route: str
    url: str
    method: str = "GET"
    data: Any = None
    json: bool = False
    allowed: frozenset[str] = LOGGED_IN
    ok: int = 200
    denied: int = 404
    anonymous: int = 302
    status: dict[str, int] = field(default_factory=dict)
    hidden: dict[str, frozenset[str]] = field(default_factory=dict)

    def expected(self, persona: str) -> int:
        if persona in self.status:
            return self.status[persona]
        if persona == "anonymous":
            return self.anonymous
        return self.ok if persona in self.allowed else self.denied


def api_case(method: str, path: str, url: str, **kw: Any) -> Case:
    """An API case: anonymous gets 401, bodies are JSON."""
    kw.setdefault("anonymous", 401)
    return Case(route=f"{method} {path}", url=url, method=method, json=method != "GET", **kw)


def all_cases(world: Any) -> list[Case]:
    out: list[Case] = []
    for module in registry.permission_cases:
        out += importlib.import_module(module).cases(world)
    return out


def is_exempt(route: str) -> bool:
    return route in EXEMPT or any(k.endswith(":*") and route.startswith(k[:-1]) for k in EXEMPT)
