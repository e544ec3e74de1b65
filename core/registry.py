"""The closed registry: what each capability contributes to the shared shell.

Apps fill the stores from their ``registry.py`` (imported by their AppConfig.ready); shared
code iterates a store and never imports an app. A new capability plugs in here, nowhere else
(see docs/adding-a-capability.md).

Stores:
- ``nav``: navigation entries (label, URL name, the capability a user must be able to view, or a
  ``condition(user)`` for pages whose right is no capability, e.g. the Desk admins' own pages).
- ``home_tiles``: cards on the home page, each a template and a context function.
- ``my_tasks``: sources of a user's "Tugas saya" (what this user must do now).
- ``region_panels``: panels on the region page.
- ``report_sections``: sections of the situation report (Laporan Situasi Desk Pilkada).
- ``report_maps``: live maps on the situation report page (not kept in a snapshot: a map reads
  today's data, and a kept report shows only what the meeting saw).
- ``demo_loaders``: demo data, called in ``order`` by ``load_demo`` with a shared context dict.
- ``permission_cases``: dotted paths of modules whose ``cases(world)`` lists the app's routes in the
  permission matrix (tests/matrix.py); a route without a case fails the matrix.
- ``periodic_jobs``: background work run on a schedule (every ``minutes``).
- ``summaries``: per-region summary builders checked by ``check_summaries``.
- ``importers``: the spreadsheet imports that run as background jobs above a size
  (``core/import_runs.py``): which action, which spec, who may, how the result reads.
- ``hooks``: single providers the core needs from the domain (e.g. the user's memberships,
  the current election), so core can ask without importing the app that answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    label: Any  # a lazy translation
    url_name: str
    capability: str | None = None  # None: shown to every logged-in user
    order: int = 100
    region_arg: bool = False  # the URL takes the user's home region code
    # Shown only when condition(user) is true: the same check the page itself makes, so the menu never
    # offers a page that answers 403 (e.g. core.jobs.may_manage for the Desk admins' pages).
    condition: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Tile:
    """A card: ``context(request, election, region)`` returns its template context or None to hide it."""

    name: str
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class TaskSource:
    """``tasks(user, election)`` returns the user's to-dos: dicts with title, url, kind and optionally
    due (a moment), tz (the zone ``due`` is written in, e.g. the election's) and overdue (how late,
    a timedelta; absent or None when not late)."""

    name: str
    tasks: Callable[..., list[dict[str, Any]]]
    order: int = 100


@dataclass(frozen=True)
class DemoLoader:
    """``load(ctx)`` writes the capability's demo data; ``replay(ctx, moment)``, when given, rewrites
    what happened over time so the data is exactly what existed at ``moment`` (the demo clock)."""

    name: str
    load: Callable[[dict[str, Any]], Any]
    order: int = 100
    replay: Callable[[dict[str, Any], Any], Any] | None = None


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[], Any]
    minutes: int = 15


@dataclass(frozen=True)
class SummaryBuilder:
    """``rebuild()`` recomputes one kind of summary from scratch; ``check()`` lists differences."""

    name: str
    rebuild: Callable[..., Any]
    check: Callable[..., list[str]]


@dataclass(frozen=True)
class Importer:
    """An import a large upload hands to a background job (``core/import_runs.py``).

    ``run(actor, target, data, filename, progress)`` is the app's all-or-nothing action: it raises
    ``ImportFailed`` (the row-by-row report) or ``PermissionDenied``, and tells ``progress`` how
    far it is; ``target`` is the id of what the rows go into (the election). ``permitted(user,
    target)`` is asked on upload and again when the job starts. ``describe(counts)`` words the
    result as the page that imports at once does; ``upload_url`` is that page's URL name and
    ``result_url(target)`` where to look at what was imported.
    """

    kind: str
    label: Any  # a lazy translation: "Import TPS"
    spec: Any  # core.imports.Spec: the header is checked on upload
    run: Callable[..., Any]
    permitted: Callable[[Any, str], bool]
    describe: Callable[[dict[str, Any]], str]
    upload_url: str
    result_url: Callable[[str], str] | None = None


@dataclass
class Registry:
    nav: list[NavEntry] = field(default_factory=list)
    home_tiles: list[Tile] = field(default_factory=list)
    my_tasks: list[TaskSource] = field(default_factory=list)
    region_panels: list[Tile] = field(default_factory=list)
    report_sections: list[Tile] = field(default_factory=list)
    report_maps: list[Tile] = field(default_factory=list)
    demo_loaders: list[DemoLoader] = field(default_factory=list)
    permission_cases: list[str] = field(default_factory=list)  # modules with a cases(world) function
    periodic_jobs: list[PeriodicJob] = field(default_factory=list)
    summaries: list[SummaryBuilder] = field(default_factory=list)
    importers: list[Importer] = field(default_factory=list)
    hooks: dict[str, Callable[..., Any]] = field(default_factory=dict)

    def provide(self, hook: str, func: Callable[..., Any]) -> None:
        """Register the one provider of ``hook``; a second provider is a configuration error."""
        if hook in self.hooks and self.hooks[hook] is not func:
            raise RuntimeError(f"hook {hook!r} already provided by {self.hooks[hook]!r}")
        self.hooks[hook] = func

    def call(self, hook: str, *args: Any, default: Any = None, **kwargs: Any) -> Any:
        func = self.hooks.get(hook)
        return default if func is None else func(*args, **kwargs)

    def sorted(self, store: str) -> list[Any]:
        return sorted(getattr(self, store), key=lambda e: getattr(e, "order", 100))


registry = Registry()
