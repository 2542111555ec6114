"""Photos scaled to their printed size before they are embedded.

A phone photo is 12 megapixels (4000×3000, 3-5 MB); printed 3 inches wide at 150 dpi it
needs 450×338. Embedding the original makes a PDF of hundreds of megabytes that no mail
server accepts and every viewer decodes at full size. Here each photo is decoded at a
reduced scale straight from the JPEG's DCT coefficients (`Image.draft`, 1/2 to 1/8),
resized to the print pixels and re-encoded as a baseline JPEG, which drops every EXIF tag
(GPS, device serial) on the way. Photos are prepared in a few threads: Pillow releases
the GIL while it decodes, resizes and encodes.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError

PRINT_DPI = 150
JPEG_QUALITY = 82
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
_EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class PreparedPhoto:
    """A JPEG of exactly the pixels its printed size needs, and that size in points."""

    jpeg: bytes
    width_pt: float
    height_pt: float
    width_px: int
    height_px: int


def prepare(data: bytes, box_width_pt: float, box_height_pt: float, dpi: int = PRINT_DPI) -> PreparedPhoto | None:
    """The photo fitted into the box (aspect kept), at `dpi`; None when the bytes are not an image."""
    try:
        with Image.open(BytesIO(data)) as image:
            width, height = image.size
            if image.getexif().get(_EXIF_ORIENTATION) in _ROTATED:
                width, height = height, width
            scale = min(box_width_pt / width, box_height_pt / height)
            width_pt, height_pt = width * scale, height * scale
            # Never upscale: a small photo keeps its pixels and prints at its printed size.
            target = (min(width, math.ceil(width_pt * dpi / 72)), min(height, math.ceil(height_pt * dpi / 72)))
            # draft() picks the largest DCT reduction still >= the request, in stored orientation.
            side = max(target)
            image.draft("RGB", (side, side))
            upright = ImageOps.exif_transpose(image)
            rgb = _on_white(upright)
            if rgb.size != target:
                rgb = rgb.resize(target, Image.Resampling.BICUBIC, reducing_gap=2.0)
            out = BytesIO()
            rgb.save(out, "JPEG", quality=JPEG_QUALITY)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return PreparedPhoto(out.getvalue(), width_pt, height_pt, target[0], target[1])


def _on_white(image: Image.Image) -> Image.Image:
    """RGB, with any transparency (a PNG logo) over white rather than the black JPEG would give."""
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def prepare_all(
    photos: Sequence[bytes], box_width_pt: float, box_height_pt: float, dpi: int = PRINT_DPI
) -> list[PreparedPhoto | None]:
    """`prepare` for many photos, in order, over a few threads."""
    if len(photos) < 4:
        return [prepare(data, box_width_pt, box_height_pt, dpi) for data in photos]
    workers = min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda data: prepare(data, box_width_pt, box_height_pt, dpi), photos))
