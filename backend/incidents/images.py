"""Photo bytes in, checked image out: decide what an upload IS by its content, never its name.

Pure Pillow, no Django models: `prepare_photo` reads the header first (format and size,
so a decompression bomb is refused before a pixel is decoded), then decodes and
re-encodes a JPEG of the pixels alone (orientation applied, colours converted to sRGB,
and no metadata block of any kind: no EXIF, XMP, IPTC, ICC or comment);
`thumbnail_copy` shrinks a display copy.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Final

from PIL import Image, ImageCms, ImageOps

try:  # HEIC (iPhone photos) when pillow-heif's wheel is available for this platform.
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - the dependency is declared; this keeps JPEG/PNG working without it
    HEIF_SUPPORTED = False

# Pillow format name -> (stored content type, file extension of the kept original).
ACCEPTED_FORMATS: Final[dict[str, tuple[str, str]]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    **({"HEIF": ("image/heic", "heic")} if HEIF_SUPPORTED else {}),
}
DISPLAY_QUALITY: Final = 85
# The display copy is for screens (phones, the console); the original keeps every pixel.
# Bounding it keeps a 48-megapixel upload from costing a worker half a gigabyte.
DISPLAY_MAX_SIDE: Final = 4096
THUMBNAIL_SIZE: Final = (320, 320)
_SRGB: Final = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class ImageRejected(Exception):
    """The bytes are not a photo we accept; `reason` is 'unsupported' or 'too_large'."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class PreparedPhoto:
    """What was uploaded (by content) and the clean display copy made from it."""

    format: str
    content_type: str
    extension: str
    display_jpeg: bytes
    width: int
    height: int


def _accepted_names() -> str:
    return ", ".join(sorted(ACCEPTED_FORMATS))


def _open(data: bytes, *, max_pixels: int) -> Image.Image:
    """Open (header only) an accepted format whose declared size is within `max_pixels`.

    Pillow warns (DecompressionBombWarning) or raises (DecompressionBombError) on its
    own, larger limit while opening; both become `too_large` here instead of a warning
    in the log or an exception nobody catches.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("too_large", "The image's dimensions are too large.") from exc
    # Pillow raises a zoo of exceptions on hostile input (OSError, SyntaxError, ValueError,
    # struct.error, EOFError...): none of them may become a 500, all mean "not a photo".
    except Exception as exc:
        raise ImageRejected(
            "unsupported", f"The file is not a supported image ({_accepted_names()}), whatever its name says."
        ) from exc
    width, height = image.size
    if width <= 0 or height <= 0 or width * height > max_pixels:
        image.close()
        raise ImageRejected(
            "too_large",
            f"The image is {width}x{height} pixels; at most {max_pixels:,} pixels are accepted.",
        )
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency over white, every other mode converted."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale PNGs: scale to 8 bits before Pillow can make RGB of them.
        return image.point(lambda value: value / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def _in_srgb(image: Image.Image, icc_profile: object) -> Image.Image:
    """The pixels converted from the photo's colour profile to sRGB (unchanged without one).

    The display copy carries no ICC profile (a profile is a metadata block like any
    other, and some name the device); an untagged JPEG is read as sRGB by every screen,
    so a Display P3 iPhone photo is converted rather than shown washed out. A profile
    that cannot be read or does not fit the pixels is ignored: the colours shift, the
    photo is still shown.
    """
    if not isinstance(icc_profile, bytes) or not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        converted = ImageCms.profileToProfile(
            image, source, _SRGB, outputMode="RGBA" if image.mode == "RGBA" else "RGB"
        )
    except (ImageCms.PyCMSError, OSError, TypeError, ValueError):
        return image
    return converted if converted is not None else image


def _jpeg(pixels: Image.Image) -> bytes:
    """A JPEG of the pixels and nothing else (caller owns `pixels`).

    Pillow writes `info["comment"]` back as a COM segment (that is how "GPS 33.8385,..."
    from a phone's comment, or a PNG's "comment" text chunk, reached the display copy);
    EXIF, XMP and ICC are written only when passed, and none is passed. Emptying `info`
    leaves nothing for the encoder to copy: the file is a JFIF header, tables and scan.
    """
    pixels.info = {}
    out = io.BytesIO()
    pixels.save(out, format="JPEG", quality=DISPLAY_QUALITY)
    return out.getvalue()


def prepare_photo(data: bytes, *, max_pixels: int) -> PreparedPhoto:
    """Identify the upload by content, then re-encode its pixels as JPEG, upright, in sRGB, without metadata.

    Raises ImageRejected. The pixel cap is checked from the header, before decoding.
    """
    with _open(data, max_pixels=max_pixels) as image:
        name = str(image.format)
        content_type, extension = ACCEPTED_FORMATS[name]
        try:
            if image.format == "JPEG":
                # libjpeg decodes at 1/2, 1/4 or 1/8 scale directly: far less memory and time.
                image.draft("RGB", (DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE))
            image.load()
            oriented = ImageOps.exif_transpose(image)
            clean = _flatten(_in_srgb(oriented, image.info.get("icc_profile")))
            clean.thumbnail((DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE))
            jpeg = _jpeg(clean)
        except Exception as exc:  # truncated or corrupt pixel data: not a photo we can show
            raise ImageRejected("unsupported", "The image data is damaged or truncated.") from exc
        return PreparedPhoto(name, content_type, extension, jpeg, clean.width, clean.height)


# What a JPEG of pixels alone is made of before its scan: tables, frame, restart interval.
_PIXEL_MARKERS: Final = frozenset({0xC0, 0xC1, 0xC2, 0xC4, 0xDB, 0xDD})
_START_OF_SCAN: Final = 0xDA


def jpeg_metadata_blocks(data: bytes) -> list[str]:
    """The metadata segments of a JPEG before its scan (e.g. ["COM", "APP1"]); [] for pixels only.

    A JFIF APP0 header is pixels' bookkeeping (density), not metadata; every other
    APPn (EXIF and XMP are APP1, ICC APP2, IPTC APP13) and every comment is. A file that
    is not a well-formed JPEG answers ["unreadable"].
    """
    if data[:2] != b"\xff\xd8":
        return ["unreadable"]
    found: list[str] = []
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return [*found, "unreadable"]
        marker = data[at + 1]
        if marker == _START_OF_SCAN:
            return found
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if marker == 0xE0 and data[at + 4 : at + 9] == b"JFIF\x00":
            pass
        elif 0xE0 <= marker <= 0xEF:
            found.append(f"APP{marker - 0xE0}")
        elif marker == 0xFE:
            found.append("COM")
        elif marker not in _PIXEL_MARKERS:
            found.append(f"0x{marker:02X}")
        at += 2 + length
    return [*found, "unreadable"]


def thumbnail_copy(display_jpeg: bytes) -> bytes:
    """A small JPEG of a display copy (which is already clean and upright)."""
    with Image.open(io.BytesIO(display_jpeg), formats=["JPEG"]) as image:
        image.draft("RGB", THUMBNAIL_SIZE)  # let libjpeg decode at a reduced scale
        small = image.convert("RGB")
        small.thumbnail(THUMBNAIL_SIZE)
        return _jpeg(small)
