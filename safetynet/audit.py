"""The security log's writing points in the views, and what a municipal admin reads of it.

``safetynet.security.log_event`` writes a line; this module says *when* the views write one:
refused access (:class:`Refused`, :func:`log_refusal`, logged centrally by
``MunicipalityMixin`` and :class:`RefusalLogMixin`), documents served (:func:`log_download`)
and exports (:func:`log_export`). Votes and phase transitions are logged by the plans app's
views with :func:`log_event` directly. Services never see a request, so they log nothing."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from .models import Membership, Municipality, SecurityEvent, User
from .security import log_event

Kind = SecurityEvent.Kind


class Refused(Http404):
    """A 404 that turns someone away — an object of another municipality, a municipality they
    hold no role in, a page they may not see — as opposed to an object that does not exist.
    Answered like any 404 (nobody learns what exists), but logged as a refused access."""

    def __init__(self, what: str = "", *, obj=None):
        # No message: a debug 404 page must not say more than any other 404.
        super().__init__()
        self.what = what
        self.obj = obj


def _refused_object(view):
    """The most specific object the view had loaded when it refused (the last domain object
    among its attributes: a plan, then its vote round, …), else None."""
    found = None
    for value in vars(view).values():
        if hasattr(type(value), "MUNICIPALITY_PATH") and getattr(value, "pk", None) is not None:
            found = value
    return found


def log_refusal(request, refusal: Exception, *, view=None) -> None:
    """One DENIED line for a 403 (``PermissionDenied``) or a refusing 404 (:class:`Refused`):
    the path is on the line; ``detail`` says the status, the method, the page and what was
    missing."""
    status = 404 if isinstance(refusal, Http404) else 403
    obj = getattr(refusal, "obj", None)
    what = getattr(refusal, "what", None)
    if what is None:
        what = str(refusal) or ""
    if view is not None:
        if obj is None:
            obj = _refused_object(view)
        if not what and status == 403:
            # The permission the page itself asks for, when that check refused.
            what = getattr(view, "refused_permission", "")
        page = type(view).__name__
    else:
        page = ""
    detail = " ".join(part for part in (str(status), request.method, page) if part)
    if what:
        detail = f"{detail}: {what}"
    log_event(Kind.DENIED, request=request, obj=obj, detail=detail)


class RefusalLogMixin:
    """For views outside ``MunicipalityMixin`` (public pages, the calendar feed): a
    ``PermissionDenied`` or a :class:`Refused` leaving the view is logged, then answered as
    usual."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except (PermissionDenied, Refused) as refusal:
            log_refusal(request, refusal, view=self)
            raise


def _municipality_ref(request, obj) -> Municipality:
    """The municipality of ``obj`` (which has a ``municipality`` foreign key) without a query:
    the page's, the one loaded with ``obj``, or one that carries only the id to write."""
    current = getattr(request, "municipality", None)
    if isinstance(current, Municipality) and current.pk == obj.municipality_id:
        return current
    if type(obj).municipality.is_cached(obj):
        return obj.municipality
    return Municipality(pk=obj.municipality_id)


def log_download(request, obj, *, municipality=None, detail: str = "") -> None:
    """A PDF or a document served (its bytes, not a waiting page)."""
    if municipality is None and hasattr(obj, "municipality_id"):
        municipality = _municipality_ref(request, obj)
    log_event(Kind.DOWNLOAD, request=request, obj=obj, municipality=municipality, detail=detail)


def log_export(request, obj, *, municipality=None, detail: str = "", **kwargs) -> None:
    """A CSV, XLSX or iCalendar export served."""
    log_event(
        Kind.EXPORT, request=request, obj=obj, municipality=municipality, detail=detail, **kwargs
    )


# --- Reading the log ----------------------------------------------------------------------------


def security_events_of(municipality: Municipality):
    """What the municipality's admin reads: the lines about the municipality (refusals, votes,
    transitions, exports, downloads, …) and the lines about no municipality (logins, logouts,
    failed logins, second factor) of the people who hold a role in it — for a failed login,
    the username typed (case-insensitive), as no account was logged in."""
    members = Membership.objects.filter(municipality=municipality).values("user_id")
    usernames = (
        User.objects.filter(pk__in=members).annotate(lower=Lower("username")).values("lower")
    )
    personal = Q(user_id__in=members) | Q(user__isnull=True, username_lower__in=usernames)
    return (
        SecurityEvent.objects.alias(username_lower=Lower("username"))
        .filter(Q(municipality=municipality) | (Q(municipality__isnull=True) & personal))
        .order_by("-at", "-id")
    )


def day_start(day: datetime.date) -> datetime.datetime:
    """The start of ``day`` in the site's time zone (Europe/Brussels), as an aware moment."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
