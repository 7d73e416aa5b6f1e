"""Couples' photos: checked by content (never by name), then re-encoded upright, without any metadata, in the sizes the
pages use. Pure functions over bytes; the Celery task and the form call them."""

from __future__ import annotations

import os
import warnings
from io import BytesIO

import pillow_heif
from PIL import Image, ImageOps

pillow_heif.register_heif_opener()

MAX_BYTES = 15 * 1024 * 1024
MAX_PHOTOS = 10
MAX_PIXELS = 40_000_000  # width × height, read from the header: a bigger image is refused before it is decoded
SIZES = {"large": 1600, "thumb": 480}
ACCEPTED = {"JPEG", "PNG", "WEBP", "HEIF"}
NOT_A_PHOTO = "is not a photo (JPEG, PNG, WebP or HEIC)"


class PhotoRejected(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def safe_display_name(name: str) -> str:
    """The file name for messages only: no directories, no control characters, at most 80 characters."""
    base = os.path.basename(str(name).replace("\\", "/"))
    cleaned = "".join(c for c in base if c.isprintable()).strip()
    return (cleaned or "photo")[:80]


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(BytesIO(data))


def check_upload(name: str, data: bytes) -> str:
    """The photo's format ('JPEG', 'PNG', 'WEBP' or 'HEIF'), or PhotoRejected with a message naming the file."""
    label = safe_display_name(name)
    if not data:
        raise PhotoRejected(f"{label} is empty.")
    if len(data) > MAX_BYTES:
        raise PhotoRejected(f"{label} is larger than 15 MB.")
    try:
        image = _open(data)
        fmt = (image.format or "").upper()
        if fmt not in ACCEPTED:
            raise PhotoRejected(f"{label} {NOT_A_PHOTO}.")
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise PhotoRejected(f"{label} is too large in pixels (at most 40 megapixels).")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            image.load()  # a full decode: a truncated or corrupt file fails here
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(f"{label} is too large in pixels (at most 40 megapixels).") from None
    except Image.UnidentifiedImageError:
        raise PhotoRejected(f"{label} {NOT_A_PHOTO}.") from None
    except Exception:
        raise PhotoRejected(f"{label} is damaged or incomplete.") from None
    return fmt


def render_variants(data: bytes) -> dict[str, bytes]:
    """Upright (EXIF orientation applied), RGB on white, no metadata at all, in each size as WebP and JPEG."""
    try:
        image = _open(data)
        image.load()
        image = ImageOps.exif_transpose(image)
    except Exception as exc:
        raise PhotoRejected("The photo could not be read.") from exc
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    out: dict[str, bytes] = {}
    for size, longest in SIZES.items():
        copy = image.copy()
        copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)  # never upscales
        # A fresh image carries no EXIF, XMP, ICC or comments: nothing of the original file's metadata survives.
        clean = Image.new("RGB", copy.size)
        clean.paste(copy)
        for ext, fmt, options in (
            ("webp", "WEBP", {"quality": 82}),
            ("jpg", "JPEG", {"quality": 85, "optimize": True}),
        ):
            buf = BytesIO()
            clean.save(buf, fmt, **options)
            out[f"{size}.{ext}"] = buf.getvalue()
    return out
