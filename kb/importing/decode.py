"""Strict decoding of imported bytes into text.

Accepted: UTF-8 (with or without BOM) and UTF-16 with a BOM; other single-byte encodings
only where charset-normalizer is confident. Anything else is refused with a reason, never
stored with replacement characters.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

# File signatures of common binary formats, judged from the bytes, never the file name.
_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"MZ": "a Windows executable",
    b"\xd0\xcf\x11\xe0": "an old Office document",
    b"SQLite format 3": "a SQLite database",
}
_FALLBACK_ENCODINGS = {"cp1252", "latin_1", "iso8859_15", "iso8859_2", "cp1250", "mac_roman"}


class ImportRefused(Exception):
    """A document that cannot be imported; `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _control_share(data: bytes) -> float:
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(len(sample), 1)


def _refuse_binary(data: bytes) -> None:
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise ImportRefused("binary", f"the file is binary ({what}), not text")
    if _control_share(data) > 0.05:
        raise ImportRefused("binary", "the file is binary: it is full of control bytes, not text")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_text(text: str) -> str:
    if "\x00" in text:
        offset = text.index("\x00")
        raise ImportRefused("nul", f"the text contains a NUL character (at character {offset})")
    if "\ufffd" in text:
        raise ImportRefused(
            "replacement_char",
            "the text already contains U+FFFD replacement characters: it was damaged before import",
        )
    text = normalise_newlines(text)
    if not text.strip():
        raise ImportRefused("empty", "the file holds only whitespace")
    return text


def decode(data: bytes) -> Decoded:
    if not data or not data.strip():
        raise ImportRefused("empty", "the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_check_text(_strict(data[3:], "utf-8")), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_check_text(_strict(data, "utf-16")), "utf-16")
    _refuse_binary(data)
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise ImportRefused("nul", f"the file contains NUL bytes (first at byte {offset})")
    try:
        return Decoded(_check_text(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    guess = from_bytes(data[: 512 * 1024]).best()
    if guess is not None and guess.encoding in _FALLBACK_ENCODINGS and guess.chaos < 0.1:
        try:
            return Decoded(_check_text(data.decode(guess.encoding)), guess.encoding)
        except UnicodeDecodeError:
            pass
    raise ImportRefused(
        "encoding",
        f"the text is not valid UTF-8 (byte 0x{data[utf8_error.start]:02X} at offset "
        f"{utf8_error.start}) and its encoding could not be determined with confidence; "
        "save it as UTF-8 or UTF-16 with a BOM",
    )


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            "encoding",
            f"the text is not valid {encoding.upper()} (at byte {exc.start}: {exc.reason})",
        ) from exc
