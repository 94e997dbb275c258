"""Photos people upload: resized on the server, without EXIF or GPS, with a thumbnail.

Shared by the capabilities that accept photos (the exchange, participation).
Checking that a file is an acceptable upload (type, size, magic bytes) is
``core.uploads``' job; this module only re-encodes an image Pillow can read,
which itself drops every metadata block (EXIF, GPS, XMP, comments).
"""

from dataclasses import dataclass
from io import BytesIO
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FULL_SIZE = 1600
THUMBNAIL_SIZE = 480
QUALITY = 82
# Decompression bombs: refuse images larger than this many pixels.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class ProcessedImage:
    full: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _encode(image: Image.Image, name: str) -> ContentFile:
    buffer = BytesIO()
    # No ``exif=`` argument: the saved JPEG carries no metadata at all.
    image.save(buffer, format="JPEG", quality=QUALITY, optimize=True)
    return ContentFile(buffer.getvalue(), name=name)


def process_photo(
    upload: IO[bytes], *, stem: str = "photo", full_size: int = FULL_SIZE
) -> ProcessedImage:
    """Re-encode ``upload`` as JPEG: upright, at most ``full_size`` px, no metadata.

    Raises ``ValidationError`` when the file is not an image Pillow can read.
    """
    try:
        with Image.open(upload) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise ValidationError(_("This image is too large."))
            opened.load()
            # Apply the camera's orientation before the EXIF block is dropped.
            image = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This file is not an image we can read.")) from error
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        converted = image.convert("RGBA")
        background.paste(converted, mask=converted.getchannel("A"))
        image = background
    elif image.mode == "L":
        image = image.convert("RGB")
    full = image.copy()
    full.thumbnail((full_size, full_size), Image.Resampling.LANCZOS)
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    return ProcessedImage(
        full=_encode(full, f"{stem}.jpg"),
        thumbnail=_encode(thumbnail, f"{stem}-thumb.jpg"),
        width=full.width,
        height=full.height,
    )
