"""Uploads: only files that are what they claim to be, served only as downloads."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from retefamiglie.core import uploads
from retefamiglie.core.testing import sample_file

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def check(name: str, content: bytes, kinds=(*uploads.DOCUMENTS, "webp")):
    return uploads.check_upload(
        SimpleUploadedFile(name, content), kinds=kinds, max_size=MB
    )


def refusal(name: str, content: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check(name, content, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("verbale.pdf", "pdf"),
        ("FOTO.JPG", "jpeg"),
        ("foto.jpeg", "jpeg"),
        ("foto.png", "png"),
        ("foto.webp", "webp"),
        ("lettera.docx", "docx"),
        ("tabella.xlsx", "xlsx"),
        ("lettera.odt", "odt"),
    ],
)
def test_real_files_of_every_kind_are_accepted(name, kind):
    upload = SimpleUploadedFile(name, sample_file(kind))
    found = uploads.check_upload(upload, kinds=uploads.KINDS, max_size=MB)
    assert found.name == kind
    # The file can be saved from its start after the checks.
    assert upload.read() == sample_file(kind)


@pytest.mark.parametrize(
    "content",
    [
        # The case: the header of a PDF, then a web page.
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>"
        b"\n%%EOF\n",
        b"%PDF-1.7\n" + b" " * 5000 + b"<!DOCTYPE html><p>hi</p>\n%%EOF",
        b"%PDF-1.4\n<iframe src=//evil.example></iframe>\n%%EOF",
        b"%PDF-1.4\n1 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n%%EOF",
        b"%PDF-1.4\n1 0 obj<</S/Launch/F(cmd.exe)>>endobj\n%%EOF",
        # A header and nothing that ends a PDF.
        b"%PDF-1.4\n1 0 obj<<>>endobj\n",
    ],
)
def test_a_pdf_is_read_beyond_its_first_bytes(content):
    error = refusal("verbale.pdf", content)
    assert error.code == "bad_content"
    assert "does not look like a PDF file" in error.messages[0]


def test_markup_split_across_reading_chunks_is_found(monkeypatch):
    monkeypatch.setattr(uploads, "CHUNK", 64)
    content = b"%PDF-1.4\n" + b"x" * 60 + b"<script>1</script>" + b"y" * 200 + b"%%EOF"
    assert refusal("a.pdf", content).code == "bad_content"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # The first bytes of a picture, then anything.
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"<html>" + b"0" * 40),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"0" * 40),
        # A real picture of another format than its name says.
        ("foto.png", sample_file("jpeg")),
        # A picture cut short.
        ("foto.png", sample_file("png")[:-20]),
        # Zip archives that are not the office file they are named as.
        ("tabella.xlsx", b"PK\x03\x04" + b"0" * 40),
        ("lettera.docx", sample_file("xlsx")),
        ("lettera.odt", sample_file("docx")),
        ("vuoto.pdf", b""),
    ],
)
def test_files_that_are_not_what_their_name_says_are_refused(name, content):
    assert refusal(name, content).code == "bad_content"


def test_pictures_too_large_to_decode_are_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 11)  # the sample has 12
    assert refusal("foto.png", sample_file("png")).code == "bad_content"


@pytest.mark.parametrize(
    "name", ["pagina.html", "disegno.svg", "programma.exe", "senza-estensione"]
)
def test_unknown_or_unlisted_types_are_refused(name):
    error = refusal(name, sample_file("pdf"), kinds=uploads.IMAGES)
    assert error.code == "bad_type"
    assert error.messages == ["This type of file is not accepted: use JPG, PNG, WebP."]


def test_a_kind_not_listed_for_the_field_is_refused():
    assert refusal("a.pdf", sample_file("pdf"), kinds=uploads.IMAGES).code == (
        "bad_type"
    )


def test_files_over_the_limit_are_refused_with_both_sizes():
    error = refusal("a.pdf", sample_file("pdf") + b"0" * MB)
    assert error.code == "too_large"
    assert error.messages == ["The file is 1.0\xa0MB: the limit is 1.0\xa0MB."]


def test_the_field_says_what_it_accepts():
    field = uploads.UploadField(kinds=("pdf", "jpeg"), max_size=10 * MB)
    assert field.widget.attrs["accept"] == ".pdf,.jpg,.jpeg"
    assert str(field.help_text) == "PDF or JPG, at most 10.0\xa0MB."
    with pytest.raises(ValidationError):
        field.clean(SimpleUploadedFile("a.png", sample_file("png")))
    assert field.clean(SimpleUploadedFile("a.pdf", sample_file("pdf")))


def test_validators_compare_by_their_settings():
    first = uploads.UploadValidator(kinds=("pdf",), max_size=MB)
    assert first == uploads.UploadValidator(kinds=["pdf"], max_size=MB)
    assert first != uploads.UploadValidator(kinds=("pdf",), max_size=2 * MB)
    assert first.deconstruct()[2] == {"kinds": ("pdf",), "max_size": MB}


# ------------------------------------------------------------------------------
# Serving
# ------------------------------------------------------------------------------


@pytest.fixture
def stored():
    names = []

    def store(name: str, content: bytes) -> str:
        names.append(default_storage.save(name, ContentFile(content)))
        return names[-1]

    yield store
    for name in names:
        default_storage.delete(name)


def test_uploads_are_served_as_downloads_of_their_kind(client, stored):
    name = stored("pacts/evidence/2026/verbale.pdf", sample_file("pdf"))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    filename = name.rsplit("/", 1)[-1]  # verbale.pdf, or with a suffix if taken
    assert filename.startswith("verbale")
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == sample_file("pdf")


def test_a_stored_web_page_is_never_served_as_one(client, stored):
    """Even a file that slipped past the checks (an old upload) is a download."""
    name = stored("old/page.html", b"<html><script>alert(1)</script></html>")
    response = client.get(f"/media/{name}")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("path", ["nothing/here.pdf", "../config/settings/base.py"])
def test_missing_or_outside_files_are_not_found(client, path):
    assert client.get(f"/media/{path}").status_code == 404


@pytest.mark.django_db
def test_every_response_turns_off_unused_browser_features(client):
    policy = client.get("/healthz")["Permissions-Policy"]
    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy


def test_zip_archives_are_not_decompressed_to_be_checked():
    """Only the list of members is read: a zip bomb costs nothing."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "0" * (5 * MB))
    assert check("tabella.xlsx", buffer.getvalue()).name == "xlsx"
