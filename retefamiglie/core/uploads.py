"""Files people upload: what is accepted, and how it is served back.

Every app that takes a file checks it here, so that one set of rules decides what
reaches the storage. A file is accepted only if its extension names a known kind
*and* its content is of that kind: the first bytes, and then more —

- PDF: the ``%PDF-`` header, the ``%%EOF`` marker at the end, and nothing in the
  whole file that a browser would run as a web page (HTML or script markup) nor
  PDF actions that run code (``/JavaScript``, ``/Launch``);
- images (JPEG, PNG, WebP): decoded by Pillow, of the format the name claims and
  at most ``MAX_IMAGE_PIXELS`` pixels;
- office files (DOCX, XLSX, ODT): a zip archive holding the document part of its
  kind (``word/document.xml``, ``xl/workbook.xml``, the ODT ``mimetype``).

Uploads are served back only as downloads (``Content-Disposition: attachment``),
with the content type of their kind, ``nosniff`` and a sandboxing CSP, so that no
uploaded file is ever shown by the browser as a page of the site.

API (stable: other apps build on it; add, do not change)
--------------------------------------------------------
``KINDS``
    ``{name: UploadKind}`` for "pdf", "jpeg", "png", "webp", "docx", "xlsx", "odt".
``DOCUMENTS``, ``IMAGES``
    Tuples of kind names: evidence-like documents (PDF, pictures, office files)
    and pictures alone.
``check_upload(upload, *, kinds, max_size) -> UploadKind``
    Checks a file (anything with ``name``, ``size``, ``read``, ``seek``, such as
    Django's ``UploadedFile``) and returns its kind, or raises ``ValidationError``
    with a translated message and one of the codes ``too_large``, ``bad_type``,
    ``bad_content``. Leaves the file positioned at its start.
``UploadValidator(kinds=..., max_size=...)``
    The same as a field validator (form or model field; deconstructible).
``UploadField(kinds=..., max_size=..., **field_kwargs)``
    A ``forms.FileField`` with the validator, the ``accept`` attribute and a help
    text ("PDF, JPG or PNG, at most 10 MB.") filled in.
``accept_attribute(kinds) -> str`` and ``describe(kinds, max_size) -> str``
    The ``accept`` attribute and the help text on their own.
``kind_for_name(name) -> UploadKind | None``
    The kind a stored file's name says it is.
``attachment_response(file, *, name) -> FileResponse``
    A stored file served as a download, with the headers above: for views that
    serve private files after their own permission check.

Everything under ``MEDIA_URL`` is served to anyone who knows its address (by
``core.views.media`` with ``attachment_response``): a private file needs a view
of its own that checks permission first.
"""

import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any, Protocol, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.text import format_lazy, get_text_list
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# Larger pictures are refused before they are decoded (decompression bombs).
MAX_IMAGE_PIXELS = 40_000_000
CHUNK = 1024 * 1024
# Markup a browser would run if it ever took the file for a page; long enough
# not to turn up by chance in compressed data.
ACTIVE_MARKUP = re.compile(
    rb"<(?:!doctype|html|head[\s>]|body|script|iframe|object|embed|meta\s)"
    rb"|javascript:",
    re.IGNORECASE,
)
PDF_ACTIONS = re.compile(rb"/(?:JavaScript|Launch)\b")


class Upload(Protocol):
    name: str | None
    size: int | None

    def read(self, size: int = ..., /) -> bytes: ...

    def seek(self, offset: int, whence: int = ..., /) -> object: ...


@dataclass(frozen=True)
class UploadKind:
    """A kind of file accepted somewhere: how it is named, typed and checked."""

    name: str
    label: str
    extensions: tuple[str, ...]
    content_type: str
    signatures: tuple[bytes, ...]
    check: Callable[[Upload, "UploadKind"], bool]


def _read_all(upload: Upload) -> Iterable[bytes]:
    """The file in chunks that overlap, so that no marker is cut in two."""
    upload.seek(0)
    tail = b""
    while chunk := upload.read(CHUNK):
        yield tail + chunk
        tail = chunk[-64:]
    upload.seek(0)


def _check_pdf(upload: Upload, kind: UploadKind) -> bool:
    size = upload.size or 0
    upload.seek(max(0, size - 1024))
    if b"%%EOF" not in upload.read(1024):
        return False
    return not any(
        ACTIVE_MARKUP.search(chunk) or PDF_ACTIONS.search(chunk)
        for chunk in _read_all(upload)
    )


PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


def _check_image(upload: Upload, kind: UploadKind) -> bool:
    upload.seek(0)
    try:
        with Image.open(cast(IO[bytes], upload)) as image:
            if image.format != PILLOW_FORMATS[kind.name]:
                return False
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return False
            image.verify()
        upload.seek(0)
        # verify() reads the structure; load() decodes, catching truncated data.
        with Image.open(cast(IO[bytes], upload)) as image:
            image.load()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ):
        return False
    finally:
        upload.seek(0)
    return True


def _zip_holding(member: str, mimetype: bytes = b"") -> Callable[..., bool]:
    def check(upload: Upload, kind: UploadKind) -> bool:
        upload.seek(0)
        try:
            with zipfile.ZipFile(cast(IO[bytes], upload)) as archive:
                names = set(archive.namelist())
                if member not in names:
                    return False
                if mimetype:
                    return archive.read(member).strip() == mimetype
                return True
        except (zipfile.BadZipFile, OSError, KeyError, ValueError):
            return False
        finally:
            upload.seek(0)

    return check


KINDS: dict[str, UploadKind] = {
    kind.name: kind
    for kind in (
        UploadKind(
            "pdf",
            "PDF",
            ("pdf",),
            "application/pdf",
            (b"%PDF-1.", b"%PDF-2."),
            _check_pdf,
        ),
        UploadKind(
            "jpeg",
            "JPG",
            ("jpg", "jpeg"),
            "image/jpeg",
            (b"\xff\xd8\xff",),
            _check_image,
        ),
        UploadKind(
            "png", "PNG", ("png",), "image/png", (b"\x89PNG\r\n\x1a\n",), _check_image
        ),
        UploadKind("webp", "WebP", ("webp",), "image/webp", (b"RIFF",), _check_image),
        UploadKind(
            "docx",
            "DOCX",
            ("docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (b"PK\x03\x04",),
            _zip_holding("word/document.xml"),
        ),
        UploadKind(
            "xlsx",
            "XLSX",
            ("xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (b"PK\x03\x04",),
            _zip_holding("xl/workbook.xml"),
        ),
        UploadKind(
            "odt",
            "ODT",
            ("odt",),
            "application/vnd.oasis.opendocument.text",
            (b"PK\x03\x04",),
            _zip_holding("mimetype", b"application/vnd.oasis.opendocument.text"),
        ),
    )
}
DOCUMENTS = ("pdf", "jpeg", "png", "docx", "xlsx", "odt")
IMAGES = ("jpeg", "png", "webp")


def _kinds(names: Iterable[str]) -> list[UploadKind]:
    return [KINDS[name] for name in names]


def kind_for_name(name: str) -> UploadKind | None:
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    for kind in KINDS.values():
        if extension in kind.extensions:
            return kind
    return None


def describe(kinds: Iterable[str], max_size: int) -> Any:
    """ "PDF, JPG or PNG, at most 10.0 MB." """
    labels: list[Any] = [kind.label for kind in _kinds(kinds)]
    return format_lazy(
        _("{types}, at most {size}."),
        types=get_text_list(labels),
        size=filesizeformat(max_size),
    )


def accept_attribute(kinds: Iterable[str]) -> str:
    return ",".join(
        f".{extension}" for kind in _kinds(kinds) for extension in kind.extensions
    )


def check_upload(upload: Upload, *, kinds: Iterable[str], max_size: int) -> UploadKind:
    """The kind of ``upload``, or ValidationError (see the module's docstring)."""
    allowed = _kinds(kinds)
    size = upload.size or 0
    if size > max_size:
        raise ValidationError(
            _("The file is %(size)s: the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_size)},
        )
    kind = kind_for_name(upload.name or "")
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("This type of file is not accepted: use %(types)s."),
            code="bad_type",
            params={"types": ", ".join(k.label for k in allowed)},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if (
        size == 0
        or not head.startswith(kind.signatures)
        or not kind.check(upload, kind)
    ):
        raise ValidationError(
            _("The file does not look like a %(type)s file: check it and try again."),
            code="bad_content",
            params={"type": kind.label},
        )
    return kind


@deconstructible
class UploadValidator:
    """``check_upload`` as a field validator."""

    def __init__(self, *, kinds: Iterable[str], max_size: int) -> None:
        self.kinds = tuple(kinds)
        self.max_size = max_size

    def __call__(self, upload: Upload) -> None:
        check_upload(upload, kinds=self.kinds, max_size=self.max_size)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadValidator)
            and self.kinds == other.kinds
            and self.max_size == other.max_size
        )

    def __hash__(self) -> int:
        return hash((self.kinds, self.max_size))


class UploadField(forms.FileField):
    """A file field that accepts only ``kinds`` up to ``max_size`` bytes."""

    def __init__(self, *, kinds: Iterable[str], max_size: int, **kwargs: Any) -> None:
        kinds = tuple(kinds)
        kwargs.setdefault("help_text", describe(kinds, max_size))
        kwargs.setdefault(
            "widget", forms.FileInput(attrs={"accept": accept_attribute(kinds)})
        )
        kwargs["validators"] = [
            *kwargs.get("validators", []),
            UploadValidator(kinds=kinds, max_size=max_size),
        ]
        super().__init__(**kwargs)


def attachment_response(file: IO[bytes], *, name: str) -> FileResponse:
    """A stored file as a download that no browser shows as a page."""
    kind = kind_for_name(name)
    response = FileResponse(
        file,
        as_attachment=True,
        filename=PurePosixPath(name).name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
