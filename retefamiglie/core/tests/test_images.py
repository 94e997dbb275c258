from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from retefamiglie.core.images import FULL_SIZE, THUMBNAIL_SIZE, process_photo


def photo_with_gps(size=(3000, 2000), orientation=None) -> BytesIO:
    """A JPEG such as a phone writes: camera model, GPS position, orientation."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x0110] = "Telefono di prova"  # Model
    exif[0x8825] = {1: "N", 2: (43.0, 50.0, 30.0), 3: "E", 4: (10.0, 30.0, 5.0)}
    if orientation:
        exif[0x0112] = orientation
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    buffer.seek(0)
    return buffer


def test_exif_and_gps_are_gone_and_the_photo_is_resized():
    original = photo_with_gps()
    assert Image.open(original).getexif().get_ifd(0x8825)  # it had a position
    original.seek(0)
    result = process_photo(original)
    full = Image.open(BytesIO(result.full.read()))
    assert dict(full.getexif()) == {}
    assert "exif" not in full.info
    assert max(full.size) == FULL_SIZE
    thumb = Image.open(BytesIO(result.thumbnail.read()))
    assert max(thumb.size) == THUMBNAIL_SIZE
    assert dict(thumb.getexif()) == {}


def test_the_camera_orientation_is_applied_before_it_is_dropped():
    # Orientation 6: the phone was turned; the upright photo is taller than wide.
    result = process_photo(photo_with_gps(size=(800, 400), orientation=6))
    assert (result.width, result.height) == (400, 800)


def test_a_transparent_png_gets_a_white_background():
    buffer = BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(buffer, format="PNG")
    buffer.seek(0)
    full = Image.open(BytesIO(process_photo(buffer).full.read()))
    assert full.mode == "RGB"
    assert full.getpixel((10, 10)) == (255, 255, 255)


def test_a_file_that_is_no_image_is_refused():
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="not an image"),
    ):
        process_photo(BytesIO(b"%PDF-1.4 not a photo"))
