"""Uploads (safetynet.uploads): a request too large is refused before its body is read, and a file
over the limit as it arrives, each with the form and its message (413) and nothing stored; the
CSRF check still runs; the logo is a PNG or JPEG that Pillow reads whole, stored re-encoded (an
SVG, HTML dressed as a PNG, a polyglot lose), and served inline only with its sniffed type,
``nosniff`` and ``default-src 'none'``; nothing uploaded is ever served under /media/."""

import io
import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, get_resolver
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

import pytest
from PIL import Image, PngImagePlugin

from safetynet.models import LOGO_MAX_BYTES, Municipality
from safetynet.uploads import (
    FORM_ALLOWANCE,
    LOGO_MAX_SIDE,
    LOGO_TOO_LARGE,
    LOGO_TOO_MANY_PIXELS,
    LOGO_TYPE,
    LOGO_UNREADABLE,
    logo_clean,
)
from tests.coregroup.test_documents import PDF
from tests.factories import UserFactory
from tests.safetynet.test_views import png_bytes, profile_form_data, url

pytestmark = pytest.mark.django_db

EDIT = "municipality-profile-edit"


def nl(message, **params) -> str:
    """A message as the (Dutch) page shows it, escaped."""
    with translation.override("nl"):
        text = gettext(message)
    return escape(text % params if params else text)


def image_bytes(format_="PNG", size=(8, 8), **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format=format_, **options)
    return buffer.getvalue()


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body of a request too large was read")

    readline = read


def post_logo(client, municipality, content, name="logo.png", **extra):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    data = profile_form_data(municipality, logo=upload)
    if hasattr(municipality, "two_factor"):
        data.setdefault("two_factor", municipality.two_factor)
    return client.post(url(EDIT), data, **extra)


def stored_state(municipality):
    municipality.refresh_from_db()
    return municipality.logo.name, municipality.history.count()


def media_files():
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# --- Too large: refused as early as possible ---------------------------------------------------


def test_a_request_declaring_more_than_the_limit_is_refused_unread(admin_client, lindenberg):
    before = stored_state(lindenberg)
    declared = LOGO_MAX_BYTES + FORM_ALLOWANCE + 1
    response = admin_client.post(
        url(EDIT),
        data=b"",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(declared),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert nl(LOGO_TOO_LARGE, max=LOGO_MAX_BYTES // 1024) in response.content.decode()
    assert response.context["form"].errors["logo"]
    assert stored_state(lindenberg) == before
    assert media_files() == []


def test_a_file_passing_the_limit_as_it_arrives_is_stopped(admin_client, lindenberg):
    """Declared small enough with the form's allowance, but the file itself is over the limit:
    the upload handler stops it; what was typed besides stays in the form."""
    before = stored_state(lindenberg)
    content = png_bytes() + b"\0" * LOGO_MAX_BYTES
    assert LOGO_MAX_BYTES < len(content) < LOGO_MAX_BYTES + FORM_ALLOWANCE
    response = post_logo(admin_client, lindenberg, content)
    assert response.status_code == 413
    page = response.content.decode()
    assert nl(LOGO_TOO_LARGE, max=LOGO_MAX_BYTES // 1024) in page
    assert response.context["form"]["name"].value() == lindenberg.name
    assert stored_state(lindenberg) == before
    assert media_files() == []


def test_the_limit_does_not_bypass_the_csrf_check(admin_user, lindenberg):
    """The view is exempt from the middleware's check only to run the same check itself."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    refused = post_logo(client, lindenberg, png_bytes())
    assert refused.status_code == 403
    assert stored_state(lindenberg)[0] == ""

    client.get(url(EDIT))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = post_logo(client, lindenberg, png_bytes(), HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 302
    assert stored_state(lindenberg)[0].endswith(".png")


def test_a_request_too_large_from_a_non_member_is_a_404_first(client, other_coordinator):
    client.force_login(other_coordinator)
    response = client.post(
        url(EDIT),
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(10 * LOGO_MAX_BYTES),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 404


# --- The logo's content ------------------------------------------------------------------------

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
GIF = image_bytes("GIF")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (SVG, "logo.svg", LOGO_TYPE),
        (SVG, "logo.png", LOGO_TYPE),
        (HTML, "logo.png", LOGO_TYPE),  # HTML disguised as a PNG
        (GIF, "logo.png", LOGO_TYPE),
        (b"\x89PNG\r\n\x1a\n" + HTML, "logo.png", LOGO_UNREADABLE),  # a PNG's first bytes only
        (png_bytes()[:60], "logo.png", LOGO_UNREADABLE),  # cut short
        (image_bytes("JPEG")[:200], "logo.jpg", LOGO_UNREADABLE),
    ],
    ids=["svg", "svg-named-png", "html-named-png", "gif", "png-header-html", "cut-png", "cut-jpeg"],
)
def test_a_logo_that_is_no_whole_png_or_jpeg_is_refused(
    admin_client, lindenberg, content, name, message
):
    before = stored_state(lindenberg)
    response = post_logo(admin_client, lindenberg, content, name=name)
    assert response.status_code == 200
    errors = response.context["form"].errors["logo"]
    assert errors
    page = response.content.decode()
    # Django's own image check may speak first; ours names PNG and JPEG.
    assert nl(message) in page or escape(errors[0]) in page
    assert stored_state(lindenberg) == before
    assert media_files() == []


@pytest.mark.parametrize(
    "content",
    [
        SVG,
        HTML,
        b"\x89PNG\r\n\x1a\n" + HTML,
        png_bytes()[:60],
        image_bytes("JPEG")[:200],
        image_bytes("PNG", size=(LOGO_MAX_SIDE + 1, 1)),
    ],
    ids=["svg", "html", "png-header-html", "cut-png", "cut-jpeg", "too-wide"],
)
def test_the_operator_s_admin_judges_the_logo_the_same_way(rf, lindenberg, content):
    from django.contrib.admin import site

    operator = UserFactory(is_staff=True, is_superuser=True)
    request = rf.get("/admin/")
    request.user = operator
    model_admin = site._registry[Municipality]
    form_class = model_admin.get_form(request, lindenberg)
    form = form_class(
        data={},
        files={"logo": SimpleUploadedFile("logo.png", content)},
        instance=lindenberg,
    )
    form.is_valid()
    assert form.errors["logo"]
    good = form_class(data={}, files={"logo": SimpleUploadedFile("logo.png", png_bytes())})
    good.is_valid()
    assert "logo" not in good.errors
    assert good.cleaned_data["logo"].name == "logo.png"
    assert stored_state(lindenberg)[0] == ""


@pytest.mark.parametrize("side", [LOGO_MAX_SIDE + 1, 20_000])
def test_a_logo_too_wide_is_refused_before_it_is_decoded(admin_client, lindenberg, side):
    """A few kilobytes of PNG that would unpack to hundreds of megabytes: refused from its
    header (20,000 pixels square meets Pillow's own bomb check already, in Django's field)."""
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, format="PNG")
    assert buffer.tell() < LOGO_MAX_BYTES
    response = post_logo(admin_client, lindenberg, buffer.getvalue())
    assert response.status_code == 200
    errors = response.context["form"].errors["logo"]
    if side == LOGO_MAX_SIDE + 1:
        assert nl(LOGO_TOO_MANY_PIXELS, side=LOGO_MAX_SIDE) in response.content.decode()
    assert escape(errors[0]) in response.content.decode()
    assert stored_state(lindenberg)[0] == ""
    assert media_files() == []


def test_a_polyglot_png_is_stored_without_its_passengers(admin_client, lindenberg):
    """A valid PNG carrying a script in a text chunk and an HTML page after its end: the picture
    is kept, re-encoded; the script and the page are not."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    buffer = io.BytesIO()
    Image.new("RGBA", (16, 16), (0, 128, 255, 128)).save(buffer, format="PNG", pnginfo=info)
    content = buffer.getvalue() + HTML
    response = post_logo(admin_client, lindenberg, content)
    assert response.status_code == 302
    lindenberg.refresh_from_db()
    with lindenberg.logo.open("rb") as handle:
        stored = handle.read()
    assert stored.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<script" not in stored
    assert b"<html" not in stored.lower()
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (16, 16), "RGBA")
        assert image.getpixel((3, 3)) == (0, 128, 255, 128)


def test_a_jpeg_logo_loses_its_exif_and_keeps_its_picture(admin_client, lindenberg):
    exif = Image.Exif()
    exif[0x010E] = "<script>alert(1)</script>"  # ImageDescription
    content = image_bytes("JPEG", size=(40, 20), exif=exif.tobytes(), quality=80)
    assert b"<script>" in content
    response = post_logo(admin_client, lindenberg, content, name="logo.jpg")
    assert response.status_code == 302
    lindenberg.refresh_from_db()
    assert lindenberg.logo.name.endswith(".jpg")
    with lindenberg.logo.open("rb") as handle:
        stored = handle.read()
    assert b"<script>" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size) == ("JPEG", (40, 20))
        assert not image.getexif()


def test_a_png_named_pdf_is_a_png(admin_client, lindenberg):
    """The name says nothing: a PNG uploaded as "logo.pdf" is stored and served as a PNG."""
    response = post_logo(admin_client, lindenberg, png_bytes(), name="logo.pdf")
    assert response.status_code == 302
    lindenberg.refresh_from_db()
    assert lindenberg.logo.name.endswith(".png")
    served = admin_client.get(url("municipality-logo"))
    assert served["Content-Type"] == "image/png"


def test_clean_is_idempotent_and_names_by_content():
    once = logo_clean(SimpleUploadedFile("x.pdf", image_bytes("JPEG")))
    assert once.name == "logo.jpg"
    assert logo_clean(once) is once


# --- Serving the logo --------------------------------------------------------------------------


LOGO_HEADERS = {
    "Content-Disposition": "inline",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'",
}


def logo_with(municipality, content: bytes, name: str) -> Municipality:
    """A logo file put in storage as it is, as an older version of the site might have stored
    it (the upload checks would refuse it today)."""
    stored = default_storage.save(f"municipalities/logos/{name}", ContentFile(content))
    Municipality.objects.filter(pk=municipality.pk).update(logo=stored)
    municipality.refresh_from_db()
    return municipality


@pytest.mark.parametrize(("format_", "expected"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_the_logo_is_served_with_its_sniffed_type_nosniff_and_no_policy(
    client, viewer, lindenberg, format_, expected
):
    content = image_bytes(format_)
    logo_with(lindenberg, content, "old-name.png" if format_ == "JPEG" else "old-name.jpg")
    client.force_login(viewer)
    response = client.get(url("municipality-logo"))
    assert response.status_code == 200
    assert response["Content-Type"] == expected  # the bytes decide, not the stored name
    for header, value in LOGO_HEADERS.items():
        assert response[header] == value, header
    assert b"".join(response.streaming_content) == content


def test_a_stored_file_that_is_no_image_is_not_served(client, viewer, lindenberg):
    logo_with(lindenberg, HTML, "logo.png")
    client.force_login(viewer)
    assert client.get(url("municipality-logo")).status_code == 404


def test_the_public_logo_has_the_same_headers(client, lindenberg, coordinator):
    from plans.models import Plan
    from tests.plans.pages_support import new_plan

    logo_with(lindenberg, png_bytes(), "logo.png")
    plan = new_plan(lindenberg, coordinator)
    Plan.objects.filter(pk=plan.pk).update(state="consultation")
    response = client.get(f"/inspraak/{lindenberg.slug}/logo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    for header, value in LOGO_HEADERS.items():
        assert response[header] == value, header
    logo_with(lindenberg, SVG, "logo.png")
    assert client.get(f"/inspraak/{lindenberg.slug}/logo/").status_code == 404


# --- Nothing is served from MEDIA_ROOT --------------------------------------------------------


def test_the_site_has_no_url_that_serves_files_from_a_folder():
    """Neither django.views.static.serve (``static()`` in the URLconf) nor whitenoise may serve
    MEDIA_ROOT: uploads go out only through views that check who asks."""
    from django.views import static

    def leaves(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                yield pattern
            else:
                yield from leaves(pattern.url_patterns)

    for pattern in leaves(get_resolver().url_patterns):
        assert pattern.callback is not static.serve, pattern
    media = settings.MEDIA_ROOT.resolve()
    whitenoise_root = getattr(settings, "WHITENOISE_ROOT", None)
    assert whitenoise_root is None or media not in (whitenoise_root, *whitenoise_root.parents)
    for folder in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        folder = folder.resolve()
        assert folder != media
        assert folder not in media.parents
        assert media not in folder.parents


def attach_document(municipality, by):
    from coregroup.services import core_group_ensure, document_attach, meeting_schedule

    meeting = meeting_schedule(
        core_group=core_group_ensure(municipality=municipality, by=by),
        starts_at=timezone.now(),
        place="",
        agenda=[],
        by=by,
        invite=False,
    )
    return lambda: document_attach(
        meeting=meeting,
        kind="other",
        title="Verslag",
        file=SimpleUploadedFile("verslag.pdf", PDF),
        by=by,
    )


def test_stored_uploads_are_not_reachable_under_media(client, admin_user, lindenberg, coordinator):
    logo_with(lindenberg, png_bytes(), "logo.png")
    document = attach_document(lindenberg, coordinator)()
    for name in (lindenberg.logo.name, document.file.name):
        assert (settings.MEDIA_ROOT / name).is_file()
        for who in (None, admin_user):
            if who is None:
                client.logout()
            else:
                client.force_login(who)
            for prefix in (settings.MEDIA_URL, "/media/", "/static/"):
                response = client.get(prefix + name)
                assert response.status_code in (302, 404), (prefix + name, response.status_code)
                assert PDF not in response.content
                assert png_bytes() not in response.content


def test_meeting_documents_are_stored_under_random_names(lindenberg, coordinator):
    attach = attach_document(lindenberg, coordinator)
    names = {attach().file.name for _ in range(3)}
    assert len(names) == 3
    for name in names:
        assert re.fullmatch(r"private/meetings/[0-9a-f]{32}", name), name
