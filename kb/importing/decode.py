"""Strict decoding of imported bytes into text.

Accepted without guessing: UTF-8 (with or without BOM), UTF-16 and UTF-32 with a BOM.
Anything else is a legacy encoding to be recognised: the candidates (the common Windows
and ISO code pages, plus what charset-normalizer proposes) are each decoded strictly and
judged on how plausible the text they give is (letters of one script per word, no
control characters, no symbols inside words). The most plausible one is taken when it is
plausible enough; otherwise the file is refused with a reason. Nothing is ever decoded
with replacement characters.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
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
    b"RIFF": "a media file",
    b"OggS": "an audio file",
    b"ID3": "an MP3 file",
    b"\x00\x00\x01\x00": "an icon",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"\x28\xb5\x2f\xfd": "a zstd archive",
}
# Legacy encodings tried, in order of preference when two are equally plausible.
LEGACY_ENCODINGS = (
    "cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1257", "cp1254", "cp1251", "koi8_r",
    "cp1253", "iso8859_7",
)
# What charset-normalizer proposes beyond these starts a little behind them.
_PROPOSED_PRIOR = 0.05
# The most implausibility per non-ASCII character a decoding may show and still be taken.
MAX_IMPLAUSIBILITY = 0.25
SAMPLE_BYTES = 256 * 1024  # enough to judge; the whole file is then decoded strictly


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
    if _looks_like_bomless_utf16(data):
        raise ImportRefused(
            "encoding",
            "the text looks like UTF-16 without a byte-order mark; save it as UTF-8, "
            "or as UTF-16 with a BOM",
        )
    if _control_share(data) > 0.05:
        raise ImportRefused("binary", "the file is binary: it is full of control bytes, not text")


def _looks_like_bomless_utf16(data: bytes) -> bool:
    """ASCII-range UTF-16 text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.4


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


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM begins with UTF-16's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> Decoded:
    if not data or not data.strip():
        raise ImportRefused("empty", "the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(_check_text(_strict(data, encoding)), encoding)
    _refuse_binary(data)
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise ImportRefused("nul", f"the file contains NUL bytes (first at byte {offset})")
    try:
        return Decoded(_check_text(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    encoding = guess_legacy_encoding(data)
    if encoding is not None:
        return Decoded(_check_text(_strict(data, encoding)), encoding)
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


# ---- recognising a legacy encoding -------------------------------------------------------

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD = re.compile(r"[^\W\d_]{5,}")
_INSIDE_WORD_OK = set("’·\xad–—")  # "Iran–Hamas", "Müller’s"
# Symbols that touch letters in real text ("Claimbook®", "20°C"); others do not ("£ód").
_TOUCH_LETTERS_OK = set("®™©°€")
# Symbols that real prose almost never uses but mis-decoded bytes often give.
_RARE_SYMBOLS = set("¤¦¨¯´¸¬ˆ˜‡")
# The letters of the languages each legacy encoding serves. A letter outside them counts
# against a decoding: it is how "naďve" (cp1250) loses to "naïve" (cp1252), or Turkish
# read as Baltic loses to Turkish.
_WESTERN = "àâäáãåæçèéêëìíîïñòóôõöøùúûüÿœßšžÀÂÄÁÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜŸŒŠŽ"
_CENTRAL = (
    "ąćęłńóśźżáčďéěíňřšťúůýžäľĺôŕöőüűăâîşţșțđßĄĆĘŁŃÓŚŹŻÁČĎÉĚÍŇŘŠŤÚŮÝŽÄĽĹÔŔÖŐÜŰĂÂÎŞŢȘȚĐ"
)
_BALTIC = "ąčęėįšųūžāēģīķļņõäöüĄČĘĖĮŠŲŪŽĀĒĢĪĶĻŅÕÄÖÜ"
_TURKISH = _WESTERN + "çğıİöşüâîûÇĞÖŞÜÂÎÛ"
_CYRILLIC = (
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    "іїєґўІЇЄҐЎђјљњћџѓќѕЂЈЉЊЋЏЃЌЅ"
)
_GREEK = "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰςΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΆΈΉΊΌΎΏΪΫ"
_LETTERS = {
    "cp1252": _WESTERN, "iso8859_15": _WESTERN, "mac_roman": _WESTERN, "latin_1": _WESTERN,
    "cp1250": _CENTRAL, "iso8859_2": _CENTRAL, "cp1257": _BALTIC, "cp1254": _TURKISH,
    "cp1251": _CYRILLIC, "koi8_r": _CYRILLIC, "cp1253": _GREEK, "iso8859_7": _GREEK,
}
_ALL_LETTERS = "".join(_LETTERS.values())
# Symbols that prose uses; any other symbol (box drawing, dingbats) means misread bytes.
_COMMON_SYMBOLS = set("€£¥$©®™°±×÷§¶µ¹²³¼½¾‰•†¢º ª")
_LISTED_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK"}


def _script(char: str) -> str:
    if char.isascii():
        return "LATIN"
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def _char_oddness(char: str, before: str, after: str, letters: str) -> float:
    category = unicodedata.category(char)
    if category.startswith("L"):
        odd = 0.0
        script = _script(char)
        if script in _LISTED_SCRIPTS and char not in letters:
            odd += 0.5
        if script in _LISTED_SCRIPTS and any(
            c.isalpha() and _script(c) != script and _script(c) in _LISTED_SCRIPTS
            for c in (before, after)
        ):
            odd += 1  # "Mьller": two alphabets in one word
        if script in _LISTED_SCRIPTS and char.isupper() and before.isalpha() and before.islower():
            odd += 1  # "ŁódĽ": a capital after a small letter
        return odd
    if category in ("Cc", "Co", "Cn", "Cs"):
        return 3.0  # a control or unassigned character: the bytes mean something else
    if char in _RARE_SYMBOLS:
        return 1.0
    # Only alphabets put spaces between words; in Chinese or Japanese everything touches.
    before_letter = before.isalpha() and _script(before) in _LISTED_SCRIPTS
    after_letter = after.isalpha() and _script(after) in _LISTED_SCRIPTS
    if category.startswith("P"):
        inside = before_letter and after_letter and char not in _INSIDE_WORD_OK
        return 1.0 if inside else 0.0
    if category.startswith(("S", "N")):
        if char not in _COMMON_SYMBOLS:
            return 1.0
        touches = before_letter or after_letter
        return 1.0 if touches and char not in _TOUCH_LETTERS_OK else 0.0
    if category == "Mn":
        return 0.0 if before.isalpha() else 0.5
    return 0.0  # spaces and format characters


def implausibility(text: str, encoding: str = "") -> float:
    """Average oddness per non-ASCII character (0 for text a person plausibly wrote)."""
    letters = _LETTERS.get(encoding, _ALL_LETTERS)
    total = count = 0.0
    for match in _NON_ASCII.finditer(text):
        position = match.start()
        before = text[position - 1] if position else " "
        after = text[position + 1] if position + 1 < len(text) else " "
        total += _char_oddness(match.group(), before, after, letters)
        count += 1
    if not count:
        return 0.0
    # Latin words made mostly of accented letters ("Ïðèâåò") are other scripts mis-decoded.
    for word in _WORD.findall(text):
        accented = [c for c in word if not c.isascii() and _script(c) == "LATIN"]
        if len(accented) > 0.6 * len(word):
            total += 0.3 * len(accented)
    return total / count


_ASCII = bytes(range(9, 14)) + bytes(range(32, 127))


def _ascii_compatible(encoding: str) -> bool:
    """Text files in EBCDIC or 7-bit encodings are not expected: ASCII bytes must mean ASCII."""
    try:
        return _ASCII.decode(encoding) == _ASCII.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def guess_legacy_encoding(data: bytes) -> str | None:
    """The most plausible legacy encoding of `data`, or None when none is plausible enough."""
    sample = data[:SAMPLE_BYTES]
    candidates = list(LEGACY_ENCODINGS)
    for match in from_bytes(sample):
        if match.encoding not in candidates and not match.encoding.startswith(("utf", "ascii")):
            candidates.append(match.encoding)
    best: tuple[float, int, str] | None = None
    for order, encoding in enumerate(candidates):
        if not _ascii_compatible(encoding):
            continue
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 4:  # a multi-byte character cut by the sample is fine
                continue
            text = sample[: exc.start].decode(encoding)
        except LookupError:
            continue
        score = implausibility(text, encoding) + (0 if encoding in LEGACY_ENCODINGS else _PROPOSED_PRIOR)
        if best is None or (score, order) < best[:2]:
            best = (score, order, encoding)
    if best is None or best[0] > MAX_IMPLAUSIBILITY:
        return None
    return best[2]
