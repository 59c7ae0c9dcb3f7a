"""The security log: one function to write a line, one to know where a request comes from.

Every login, failed login, lockout, refused access, vote, transition, export and document download
is written here (SECURITY.md, "What is logged"). A line never fails the request that writes it:
the log is written in its own savepoint and a failure to write is reported to the error log."""

import ipaddress
import logging

from django.conf import settings
from django.db import DatabaseError, transaction

from .models import Municipality, SecurityEvent
from .permissions import municipality_of

logger = logging.getLogger("safetynet.security")

Kind = SecurityEvent.Kind


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address_of(request) -> str | None:
    """The address of the person behind ``request``.

    With no reverse proxy (``SAFETYNET_PROXY_COUNT=0``) it is ``REMOTE_ADDR``: a client-sent
    ``X-Forwarded-For`` is ignored. Behind N proxies that each append the address they received
    the request from, it is the N-th address from the right of ``X-Forwarded-For`` — what the
    outermost trusted proxy saw; anything further left was written by the client and is not
    believed. A header shorter than N (a misconfigured proxy) falls back to ``REMOTE_ADDR``.
    django-axes uses this too (``AXES_CLIENT_IP_CALLABLE``): lockouts and the log agree."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    count = settings.SAFETYNET_PROXY_COUNT
    if count <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return _valid(forwarded[-count]) or remote


def login_username(request, credentials=None) -> str:
    """The username a login attempt is about (``AXES_USERNAME_CALLABLE``): from the credentials
    given to ``authenticate``, else from the login form. Lower-cased: usernames are unique
    regardless of case, so ``Ann`` and ``ann`` count as one."""
    if credentials and credentials.get("username"):
        username = credentials["username"]
    else:
        data = request.POST if request is not None else {}
        username = data.get("username") or ""
    return str(username).strip().lower()[:150]


def client_address(request) -> str | None:
    """``client_address_of``, worked out once per request."""
    if request is None:
        return None
    cached = getattr(request, "_safetynet_client_address", False)
    if cached is False:
        cached = request._safetynet_client_address = client_address_of(request)
    return cached


def _municipality_of(obj) -> Municipality | None:
    """``permissions.municipality_of``, for a log line: None instead of an error for an object
    without a municipality (or whose path ends in a missing parent)."""
    if obj is None or not (
        isinstance(obj, Municipality) or hasattr(type(obj), "MUNICIPALITY_PATH")
    ):
        return None
    try:
        found = municipality_of(obj)
    except AttributeError:  # a missing parent on the path
        return None
    return found if isinstance(found, Municipality) else None


def log_event(
    kind: str,
    *,
    request=None,
    user=None,
    username: str = "",
    obj=None,
    municipality: Municipality | None = None,
    detail: str = "",
    path: str | None = None,
) -> SecurityEvent | None:
    """Write one line. ``user`` defaults to the request's user; ``municipality`` to the one
    ``obj`` belongs to (its ``MUNICIPALITY_PATH``) or the request's (``request.municipality``);
    ``path`` to the request's (give one when the address holds a secret, e.g. a feed's token)."""
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    if municipality is None:
        municipality = _municipality_of(obj)
    if municipality is None and request is not None:
        municipality = getattr(request, "municipality", None)
        if not isinstance(municipality, Municipality):
            municipality = None
    if path is None:
        path = request.get_full_path() if request is not None else ""
    event = SecurityEvent(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        address=client_address(request),
        municipality=municipality,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk)[:64] if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        path=path[:500],
        detail=str(detail)[:500],
    )
    try:
        with transaction.atomic():
            event.save()
    except DatabaseError:
        logger.exception("security event %s not written", kind)
        return None
    logger.info(
        "%s user=%r address=%s object=%s:%s %r",
        kind,
        event.username,
        event.address,
        event.object_type,
        event.object_id,
        event.detail,
    )
    return event
