"""Downloads that stream and are kept until the data change.

A file is written row by row to the response (never whole in memory) and, as
it goes, to a temporary file that is stored (default storage, under
``open-data/``) once complete. The next request for the same version of the
data is served from the stored file; a new version (the data changed) makes a
new file and removes the old ones. Clients get an ETag, so a repeated download
of unchanged data is a 304.
"""

import csv
import hashlib
import io
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponseBase,
    HttpResponseNotModified,
    StreamingHttpResponse,
)

logger = logging.getLogger(__name__)

FOLDER = "open-data"
MAX_AGE = 300


def _stored_name(name: str, etag: str, extension: str) -> str:
    return f"{FOLDER}/{name}-{etag}.{extension}"


def _forget_old(name: str, keep: str) -> None:
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return
    for other in files:
        path = f"{FOLDER}/{other}"
        if other.startswith(f"{name}-") and path != keep:
            default_storage.delete(path)


def _csv_chunks(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for index, row in enumerate(rows, start=1):
        writer.writerow(row)
        if index % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _tee(chunks: Iterator[bytes], stored: str, name: str) -> Iterator[bytes]:
    """Yield the chunks and keep a copy; store it once every chunk went out."""
    with tempfile.TemporaryFile() as copy:
        for chunk in chunks:
            copy.write(chunk)
            yield chunk
        copy.seek(0)
        try:
            if not default_storage.exists(stored):
                default_storage.save(stored, File(copy))
            _forget_old(name, stored)
        except OSError:
            logger.exception("Could not keep the download %s", stored)


def _headers(response: HttpResponseBase, etag: str, filename: str) -> None:
    response["ETag"] = f'"{etag}"'
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'


def csv_download(
    request: HttpRequest,
    *,
    name: str,
    version: str,
    header: list[str],
    rows: Callable[[], Iterable[list[Any]]],
) -> HttpResponseBase:
    """A CSV file of ``rows()`` for this ``version`` of the data."""
    etag = hashlib.sha256(f"{name}:{version}".encode()).hexdigest()[:32]
    if request.headers.get("If-None-Match", "").strip('"') == etag:
        response: HttpResponseBase = HttpResponseNotModified()
        response["ETag"] = f'"{etag}"'
        return response
    stored = _stored_name(name, etag, "csv")
    content_type = "text/csv; charset=utf-8"
    if default_storage.exists(stored):
        response = FileResponse(
            default_storage.open(stored, "rb"), content_type=content_type
        )
    else:
        response = StreamingHttpResponse(
            _tee(_csv_chunks(header, rows()), stored, name), content_type=content_type
        )
    _headers(response, etag, f"{name}.csv")
    return response
