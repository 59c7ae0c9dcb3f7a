"""Uploaded files: refused before they are read when the request is too large, judged by their
content (never by their name or by what the browser claims), and never served from a public
folder.

- :class:`UploadLimitMixin` for a form view that takes a file: a request whose declared size
  exceeds the view's limit is answered at once (413, the form with a clear message) without
  reading its body; otherwise an upload handler stops the file as soon as it passes the limit.
- :func:`logo_clean`: a municipality's logo is a PNG or JPEG that Pillow reads whole; it is
  stored re-encoded, so nothing but the picture survives (no text chunks, no EXIF, nothing
  appended: a PNG that is also an HTML page loses the page).
- :func:`image_response`: the logo served inline, with the type its bytes say, ``nosniff`` and a
  Content-Security-Policy that lets the response run nothing."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_protect

from .models import LOGO_MAX_BYTES

# What a form sends besides its file: the other fields and the multipart envelope.
FORM_ALLOWANCE = 256 * 1024

IMAGE_SIGNATURES = {"PNG": b"\x89PNG\r\n\x1a\n", "JPEG": b"\xff\xd8\xff"}
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
# A logo is shown small; a larger picture is refused before Pillow decodes it (a one-megabyte
# PNG can unpack to gigabytes).
LOGO_MAX_SIDE = 4000

# Messages the tests import instead of retyping.
LOGO_TOO_LARGE = _("The logo may be at most %(max)s kB.")
LOGO_TYPE = _("Upload the logo as PNG or JPEG.")
LOGO_UNREADABLE = _("The logo cannot be read as a PNG or JPEG image.")
LOGO_TOO_MANY_PIXELS = _("The logo may be at most %(side)s pixels wide and high.")


# --- Refusing a request that is too large ------------------------------------------------------


class LimitedUploadHandler(FileUploadHandler):
    """Passes the uploaded bytes on to Django's handlers until they pass ``max_bytes``; then the
    upload stops, the rest of the body is read and dropped, and the view refuses the request."""

    def __init__(self, request, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class UploadLimitMixin:
    """A form view that takes a file of at most ``upload_max_bytes``.

    Django reads a request's body before the view runs when the CSRF middleware looks for the
    token in it; this view's check of the token therefore runs in :meth:`post`, after the limit
    is in place (as Django's documentation shows for upload handlers). List the mixin first
    among the view's bases: ``dispatch`` carries the exemption to the URLconf."""

    upload_max_bytes = 0
    upload_field = "file"

    def upload_too_large_message(self) -> str:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    # The CSRF middleware leaves this view alone; post() asks the same check itself.
    dispatch.csrf_exempt = True

    def post(self, request, *args, **kwargs):
        if declared_length(request) > self.upload_max_bytes + FORM_ALLOWANCE:
            self.upload_refused_unread = True  # the body stays unread
            return self.refuse_upload()
        if not hasattr(request, "_files"):  # nothing has read the body yet
            request.upload_handlers.insert(0, LimitedUploadHandler(request, self.upload_max_bytes))
        return csrf_protect(self._post_within_limit)(request, *args, **kwargs)

    def _post_within_limit(self, request, *args, **kwargs):
        request.FILES  # noqa: B018 (reads the body through the limited handler)
        if getattr(request, "upload_too_large", False):
            return self.refuse_upload()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        if getattr(self, "upload_refused_unread", False):
            # The form as first shown: FormMixin would read the body for the posted data.
            return {"initial": self.get_initial(), "prefix": self.get_prefix()}
        return super().get_form_kwargs()

    def refuse_upload(self):
        """The form again, with the message at the file (413: the request was too large). What
        was typed besides the file stays when the body was read."""
        form = self.get_form()
        if form.is_bound:
            form.is_valid()
        form.errors[self.upload_field] = form.error_class([self.upload_too_large_message()])
        return self.render_to_response(self.get_context_data(form=form), status=413)


# --- The logo ----------------------------------------------------------------------------------


def image_format(head: bytes) -> str | None:
    """ "PNG" or "JPEG" from a file's first bytes; None for anything else."""
    return next((name for name, sig in IMAGE_SIGNATURES.items() if head.startswith(sig)), None)


def logo_clean(file) -> ContentFile:
    """The logo as it will be stored: a PNG or JPEG of at most LOGO_MAX_BYTES, read whole by
    Pillow, re-encoded in its own format (its colour profile kept, everything else dropped).
    Raises ValidationError with the reason otherwise."""
    if getattr(file, "safetynet_clean", False):
        return file
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(
            LOGO_TOO_LARGE, code="logo_too_large", params={"max": LOGO_MAX_BYTES // 1024}
        )
    file.seek(0)
    kind = image_format(file.read(16))
    file.seek(0)
    if kind is None:
        raise ValidationError(LOGO_TYPE, code="logo_type")
    from PIL import Image, UnidentifiedImageError

    unreadable = ValidationError(LOGO_UNREADABLE, code="logo_unreadable")
    try:
        with Image.open(file, formats=[kind]) as image:
            if max(image.size) > LOGO_MAX_SIDE:
                raise ValidationError(
                    LOGO_TOO_MANY_PIXELS,
                    code="logo_too_many_pixels",
                    params={"side": LOGO_MAX_SIDE},
                )
            image.verify()
        file.seek(0)
        with Image.open(file, formats=[kind]) as image:
            image.load()
            clean = io.BytesIO()
            options = {"icc_profile": image.info.get("icc_profile")}
            if kind == "JPEG":
                options.update(quality="keep", subsampling="keep")
            image.save(clean, format=kind, **options)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise unreadable from error
    except (ValueError, TypeError, IndexError, EOFError) as error:  # damaged files, in Pillow
        raise unreadable from error
    finally:
        file.seek(0)
    if clean.tell() > LOGO_MAX_BYTES:
        raise ValidationError(
            LOGO_TOO_LARGE, code="logo_too_large", params={"max": LOGO_MAX_BYTES // 1024}
        )
    extension = ".png" if kind == "PNG" else ".jpg"
    result = ContentFile(clean.getvalue(), name=f"logo{extension}")
    result.safetynet_clean = True
    return result


def logo_field_clean(value):
    """A form's logo field after Django's own checks: a new upload judged by :func:`logo_clean`
    (the profile form, the operator's admin); a kept or cleared logo as it is."""
    return logo_clean(value) if isinstance(value, UploadedFile) else value


def image_response(image_file, *, cache_control: str) -> FileResponse:
    """A stored logo, inline, typed by its own first bytes (a file that is no PNG or JPEG is not
    served at all), with ``nosniff`` and a Content-Security-Policy under which nothing in the
    response can run or load."""
    try:
        handle = image_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    kind = image_format(handle.read(16))
    handle.seek(0)
    if kind is None:
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=IMAGE_TYPES[kind])
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = cache_control
    return response
