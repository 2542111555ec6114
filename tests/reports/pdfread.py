"""Reading rendered PDFs back with pypdf, as a person's viewer (or a forensic check) would."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader

FOOTER_HASH = re.compile(r"Content SHA-256: ([0-9a-f]{64})")
PAGE_OF = re.compile(r"page (\d+) of (\d+)")


@dataclass
class EmbeddedImage:
    width: int
    height: int
    data: bytes


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in read(pdf).pages]


def text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def flat(value: str) -> str:
    """Text with all whitespace collapsed: line breaks fall where the layout puts them."""
    return " ".join(value.split())


def assert_footers(pdf: bytes, *, digest: str, verify_base: str, covers: str) -> None:
    """Every page's footer: the content hash, its verify URL, the period covered and "page N of M"."""
    texts = page_texts(pdf)
    for number, page in enumerate(texts, start=1):
        found = FOOTER_HASH.search(page)
        assert found is not None
        assert found.group(1) == digest
        assert f"{verify_base.rstrip('/')}/portal/verify/{digest}" in page
        assert f"Covers {covers}" in page
        numbering = PAGE_OF.search(page)
        assert numbering is not None
        assert numbering.groups() == (str(number), str(len(texts)))


def images(pdf: bytes) -> list[EmbeddedImage]:
    """Every image XObject drawn on any page, with its stored pixel size and stream bytes."""
    found = []
    for page in read(pdf).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                found.append(EmbeddedImage(int(xobject["/Width"]), int(xobject["/Height"]), xobject.get_data()))
    return found
