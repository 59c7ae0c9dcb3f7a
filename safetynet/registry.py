"""Where the domain apps plug into the navigation and the dashboard.

``safetynet`` knows no domain app: each app registers its navigation entries and dashboard panels
here from its ``AppConfig.ready()``. The navigation shows an entry only to users who hold its
permission in the municipality being looked at."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import reverse

from .permissions import has_perm


@dataclass(frozen=True)
class NavEntry:
    """A link in the municipality's navigation, e.g. the actor list."""

    key: str
    label: str  # a lazy translation
    url_name: str  # reversed with the municipality slug as ``municipality``
    perm: str  # "app_label.codename", checked on the municipality
    order: int = 100
    # For entries that depend on more than a role, e.g. "my action plans" for a promotor who
    # holds personal grants only: ``visible(request, municipality)`` decides instead of ``perm``.
    visible: Callable[[HttpRequest, object], bool] | None = None

    def url(self, municipality) -> str:
        return reverse(self.url_name, kwargs={"municipality": municipality.slug})


@dataclass(frozen=True)
class DashboardPanel:
    """A "what needs me" block on the dashboard.

    ``context`` receives the request and returns the template's context, or ``None`` when the
    panel has nothing to say to this user (the panel is then left out)."""

    key: str
    template: str
    context: Callable[[HttpRequest], dict | None]
    order: int = 100


@dataclass(frozen=True)
class PageLink:
    """A link one app puts on another app's page, at a named ``slot``: e.g. the plans app's
    follow-up board on the kerngroep page, which may not import ``plans`` (imports only go
    down). Shown to users who hold ``perm`` in the municipality."""

    slot: str
    key: str
    label: str  # a lazy translation
    url_name: str  # reversed with the municipality slug as ``municipality``
    perm: str
    order: int = 100

    def url(self, municipality) -> str:
        return reverse(self.url_name, kwargs={"municipality": municipality.slug})


_nav: dict[str, NavEntry] = {}
_page_links: dict[str, PageLink] = {}
_panels: dict[str, DashboardPanel] = {}
_demo_seeders: dict[str, tuple[int, Callable]] = {}
_scale_seeders: dict[str, tuple[int, Callable]] = {}


def register_nav_entry(entry: NavEntry) -> None:
    if _nav.get(entry.key, entry) != entry:
        raise ImproperlyConfigured(f"Two navigation entries named {entry.key!r}.")
    _nav[entry.key] = entry


def register_dashboard_panel(panel: DashboardPanel) -> None:
    if _panels.get(panel.key, panel) != panel:
        raise ImproperlyConfigured(f"Two dashboard panels named {panel.key!r}.")
    _panels[panel.key] = panel


def register_page_link(link: PageLink) -> None:
    if _page_links.get(link.key, link) != link:
        raise ImproperlyConfigured(f"Two page links named {link.key!r}.")
    _page_links[link.key] = link


def page_links(slot: str, user, municipality) -> list[tuple[str, str]]:
    """``(label, url)`` of the links at ``slot`` that ``user`` may follow (no query: the
    user's access is cached for the request)."""
    links = sorted(
        (link for link in _page_links.values() if link.slot == slot),
        key=lambda link: (link.order, link.key),
    )
    return [
        (str(link.label), link.url(municipality))
        for link in links
        if has_perm(user, link.perm, municipality)
    ]


def nav_entries() -> list[NavEntry]:
    return sorted(_nav.values(), key=lambda e: (e.order, e.key))


def dashboard_panels() -> list[DashboardPanel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))


def register_demo_seeder(key: str, seeder: Callable, order: int = 100) -> None:
    """``seed_demo`` calls ``seeder(municipalities, stdout)`` after the core's demo data, in
    ``order``; ``municipalities`` maps slugs to the demo municipalities. Seeders are idempotent."""
    _demo_seeders[key] = (order, seeder)


def demo_seeders() -> list[Callable]:
    return [seeder for _order, seeder in sorted(_demo_seeders.values(), key=lambda s: s[0])]


def register_scale_seeder(key: str, seeder: Callable, order: int = 100) -> None:
    """``seed_scale`` calls ``seeder(run)`` for every new municipality, after the core's part
    (the municipality, its users and memberships), in ``order`` and inside the municipality's
    transaction; ``run`` is a :class:`safetynet.scale.ScaleRun`. Each seeder returns nothing
    and counts its rows on ``run``."""
    _scale_seeders[key] = (order, seeder)


def scale_seeders() -> list[Callable]:
    return [seeder for _order, seeder in sorted(_scale_seeders.values(), key=lambda s: s[0])]


def unregister(key: str) -> None:
    """Remove an entry or panel (tests register their own and clean up)."""
    _nav.pop(key, None)
    _panels.pop(key, None)
    _page_links.pop(key, None)
    _scale_seeders.pop(key, None)
