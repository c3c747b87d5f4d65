"""A report's photo made safe to publish: only real JPEG, PNG or WebP images, no larger than
REPORT_PHOTO_MAX_BYTES, never a decompression bomb, resized, and re-encoded from the pixels
alone so camera, EXIF and GPS metadata cannot survive."""

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Pillow refuses anything bigger than this many pixels as a decompression bomb.
MAX_PIXELS = 40_000_000


def clean_photo(upload) -> ContentFile:
    """A new, metadata-free image file from an upload; raises ValidationError with a clear reason."""
    if upload.size > settings.REPORT_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The photo is too large: the limit is %(mb)s MB. Please choose a smaller one."),
            code="too_large", params={"mb": settings.REPORT_PHOTO_MAX_BYTES // (1024 * 1024)},
        )
    not_an_image = ValidationError(
        _("This file is not a photo we can use: choose a JPEG, PNG or WebP image."), code="not_image"
    )
    bomb = ValidationError(
        _("This image has too many pixels to be processed safely. Please choose a smaller one."),
        code="too_many_pixels",
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in FORMATS:
                raise not_an_image
            if image.width * image.height > MAX_PIXELS:
                raise bomb
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise bomb from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    return _reencode(image)


def _reencode(image: Image.Image) -> ContentFile:
    source_format = image.format
    image = ImageOps.exif_transpose(image)  # keep the photo upright once its EXIF is gone
    side = settings.REPORT_PHOTO_MAX_SIDE
    image.thumbnail((side, side))
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info or image.mode == "P" else "RGB")
    if source_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # A fresh image from the pixels alone: no info dict, so no EXIF, XMP, ICC or text chunks.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    options = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {"optimize": True},
               "WEBP": {"quality": 85}}[source_format]
    clean.save(out, format=source_format, **options)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{FORMATS[source_format]}")
