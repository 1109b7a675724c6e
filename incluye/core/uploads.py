"""What an uploaded file really is, decided by reading all of it, never by its name or its first
bytes. Scans of documents must be a PDF or a photo that opens; story photos a raster image that
decodes. Whatever passes is stored under a generated name whose extension is the detected type,
and is served back with that type and that name: a polyglot (`%PDF-<html>…` named `.html`) is
refused here, and no user-chosen name ever reaches the disk or the browser's "save as".

Plain Python (Pillow and pypdf, both pinned), no Django: the views and services turn `Refused`
into their own translated message.
"""

import io
import re
import uuid
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

# Markup at the start of a file (where browsers sniff, in the first 512 bytes): a file that starts
# like a page could be rendered as one. Only the head is searched: in compressed pixels a short
# pattern turns up by chance.
MARKUP = re.compile(rb"<\s*(?:html|script|svg|body|iframe|object|embed|!doctype|\?xml)\b", re.IGNORECASE)
HEAD = 1024
# Active content in a PDF: scripts (`/S /JavaScript`) and launching programs.
PDF_ACTIVE = re.compile(rb"/JavaScript\b|/Launch\b")
# Decompression bombs: an image that claims more pixels than this is refused before decoding.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Detected:
    kind: str  # "pdf", "jpeg", "png", "webp"
    content_type: str
    extension: str

    def safe_name(self, stem: str = "") -> str:
        """A generated file name with the detected extension (no user input in it)."""
        return f"{stem or uuid.uuid4().hex}.{self.extension}"


TYPES = {
    "pdf": Detected("pdf", "application/pdf", "pdf"),
    "jpeg": Detected("jpeg", "image/jpeg", "jpg"),
    "png": Detected("png", "image/png", "png"),
    "webp": Detected("webp", "image/webp", "webp"),
}


class Refused(ValueError):
    """The file is not one of the accepted types (`reason` says why, in English, for the log)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _read(upload) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _pdf(data: bytes) -> Detected:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not re.match(rb"%PDF-\d\.\d", data[:16]):
        raise Refused("no PDF header")
    if b"%%EOF" not in data[-2048:]:
        raise Refused("no end of PDF")
    if PDF_ACTIVE.search(data):
        raise Refused("scripts or actions inside the PDF")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if len(reader.pages) < 1:
            raise Refused("a PDF without pages")
        reader.pages[0].mediabox  # noqa: B018  (the first page's dictionary must be readable)
    except Refused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        raise Refused(f"not a readable PDF ({type(error).__name__})") from error
    return TYPES["pdf"]


def _image(data: bytes, allowed: set[str]) -> Detected:
    formats = [name.upper() for name in allowed]
    try:
        with Image.open(io.BytesIO(data), formats=formats) as image:
            kind = image.format.lower()
            if image.width * image.height > MAX_PIXELS:
                raise Refused("too many pixels")
            image.verify()
        with Image.open(io.BytesIO(data), formats=formats) as image:
            image.load()  # decode every pixel: a truncated or forged image fails here
    except Refused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise Refused(f"not a readable image ({type(error).__name__})") from error
    return TYPES[kind]


def detect(upload, *, allowed: set[str]) -> Detected:
    """The real type of `upload` (a file object or bytes) among `allowed` ("pdf", "jpeg", "png",
    "webp"), or `Refused`."""
    data = _read(upload)
    if not data:
        raise Refused("empty file")
    if MARKUP.search(data[:HEAD]):
        raise Refused("markup at the start")
    if data.startswith(b"%PDF-"):
        if "pdf" not in allowed:
            raise Refused("a PDF where an image is expected")
        return _pdf(data)
    images = allowed & {"jpeg", "png", "webp"}
    if not images:
        raise Refused("not a PDF")
    return _image(data, images)
