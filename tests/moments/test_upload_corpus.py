"""The upload corpus of the issue, generated here: every good format accepted, every bad file refused with its
message, quickly, and what is kept is upright and carries no metadata."""

import struct
import time
import zlib
from io import BytesIO

import pillow_heif
import pytest
from PIL import Image

from moments.photos import MAX_BYTES, PhotoRejected, check_upload, render_variants

pillow_heif.register_heif_opener()


def encoded(fmt: str, size=(640, 480), mode="RGB", **options) -> bytes:
    image = Image.new(mode, size, (180, 150, 120, 200)[: len(mode)] if mode != "RGB" else (180, 150, 120))
    buf = BytesIO()
    image.save(buf, fmt, **options)
    return buf.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A real, tiny PNG whose header claims width × height (the CRC fixed so decoders believe it)."""
    data = bytearray(encoded("PNG", (1, 1)))
    ihdr = bytearray(data[12:29])  # b"IHDR" + 13 bytes
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)) & 0xFFFFFFFF)
    return bytes(data)


def exif_jpeg(size=(400, 200)) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to display
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (40.0, 44.0, 54.0), 3: "W", 4: (73.0, 59.0, 10.0)}
    buf = BytesIO()
    Image.new("RGB", size, (10, 200, 30)).save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


GOOD = {
    "jpeg": ("a.jpg", lambda: encoded("JPEG"), "JPEG"),
    "png-with-alpha": ("a.png", lambda: encoded("PNG", mode="RGBA"), "PNG"),
    "webp": ("a.webp", lambda: encoded("WEBP"), "WEBP"),
    "heic-from-an-iphone": ("IMG_0001.HEIC", lambda: encoded("HEIF"), "HEIF"),
    "jpeg-named-png": ("photo.png", lambda: encoded("JPEG"), "JPEG"),
}


@pytest.mark.parametrize("case", list(GOOD))
def test_good_photos_are_accepted_by_content(case):
    name, make, fmt = GOOD[case]
    assert check_upload(name, make()) == fmt


BAD = {
    "zero-bytes": ("empty.jpg", lambda: b"", "empty.jpg is empty."),
    "fifty-megabytes": (
        "big.jpg",
        lambda: encoded("JPEG") + b"\0" * (50 * 1024 * 1024),
        "big.jpg is larger than 15 MB.",
    ),
    "just-over-15-mb": ("big.jpg", lambda: b"\xff\xd8" + b"\0" * MAX_BYTES, "big.jpg is larger than 15 MB."),
    "html-named-jpg": ("photo.jpg", lambda: b"<!doctype html><script>alert(1)</script>", "photo.jpg is not a photo"),
    "svg": (
        "ring.svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="5"/></svg>',
        "ring.svg is not a photo",
    ),
    "gif": ("a.gif", lambda: encoded("GIF"), "a.gif is not a photo"),
    "bmp": ("a.bmp", lambda: encoded("BMP"), "a.bmp is not a photo"),
    "tiff": ("a.tif", lambda: encoded("TIFF"), "a.tif is not a photo"),
    "png-declaring-30000x30000": ("bomb.png", lambda: png_declaring(30000, 30000), "bomb.png is too large in pixels"),
    "truncated-jpeg": ("cut.jpg", lambda: encoded("JPEG")[:600], "cut.jpg is damaged or incomplete."),
    "truncated-png": ("cut.png", lambda: encoded("PNG", (800, 800))[:300], "cut.png is damaged or incomplete."),
    "dot-dot-slash-and-nul-in-name": ("../../etc/pass\x00wd.jpg", lambda: b"not an image", "passwd.jpg is not a photo"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files_are_refused_with_a_message_quickly(case):
    name, make, message = BAD[case]
    data = make()
    started = time.monotonic()
    with pytest.raises(PhotoRejected) as refused:
        check_upload(name, data)
    assert refused.value.message.startswith(message)
    assert "/" not in refused.value.message and "\x00" not in refused.value.message
    assert time.monotonic() - started < 1.0


def test_what_is_kept_is_upright_sized_and_has_no_metadata_at_all():
    out = render_variants(exif_jpeg((400, 200)))
    assert set(out) == {"large.webp", "large.jpg", "thumb.webp", "thumb.jpg"}
    for key, data in out.items():
        image = Image.open(BytesIO(data))
        assert image.format == ("WEBP" if key.endswith("webp") else "JPEG")
        assert image.size == (200, 400)  # turned upright, never upscaled
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info


def test_sizes_are_capped():
    out = render_variants(encoded("JPEG", (4000, 3000)))
    assert Image.open(BytesIO(out["large.jpg"])).size == (1600, 1200)
    assert Image.open(BytesIO(out["thumb.webp"])).size == (480, 360)


def test_transparency_is_flattened_on_white():
    out = render_variants(encoded("PNG", (50, 50), mode="RGBA"))
    assert Image.open(BytesIO(out["thumb.jpg"])).mode == "RGB"
