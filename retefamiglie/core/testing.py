"""Helpers shared by the test suites of every app."""

import io
import zipfile
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(context.captured_queries)


def assert_constant_queries(
    client: Client, url: str, make_rows: Callable[[int], object], n: int = 3
) -> int:
    """Render ``url`` with N rows, then 3N rows: the query count must not grow."""
    make_rows(n)
    first = count_queries(client, url)
    make_rows(2 * n)
    second = count_queries(client, url)
    assert first == second, (
        f"{url}: {first} queries with {n} rows, {second} with {3 * n} rows"
    )
    return second


def sample_file(kind: str) -> bytes:
    """A small, real file of a kind of core.uploads, for tests of uploads."""
    buffer = io.BytesIO()
    if kind in {"jpeg", "png", "webp"}:
        Image.new("RGB", (4, 3), "teal").save(buffer, format=kind.upper())
        return buffer.getvalue()
    if kind == "pdf":
        return (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
        )
    members = {
        "docx": {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"},
        "xlsx": {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>"},
        "odt": {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": "<o/>",
        },
    }[kind]
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()
