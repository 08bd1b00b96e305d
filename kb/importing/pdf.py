"""PDF to text, in reading order, with its pages, headings, footnotes and running heads.

pdfminer.six reads the text: its layout analysis (LAParams) groups characters into lines and
boxes and orders the boxes for reading, so a two-column page reads down the first column and
then the second, and it gives each character's font size, from which headings (larger than
the body) and footnotes (smaller, at the foot of the page, starting with a mark) are told.

The stored text is what the PDF prints: lines of a box joined by a newline, boxes by a blank
line, pages one after the other. Words hyphenated at a line end are NOT joined: whether
"co-\\nordinate" was "coordinate" or "co-ordinate" cannot be known from the page, and a quote
must read as the PDF a reader opens does.

Each page is a range over the text (`Structure.pages`), starting at its first box, so every
citation knows its page. Lines that repeat at the top or foot of many pages (running heads,
"Page 3 of 12") are set apart as boilerplate, as are lone page numbers.

Refused, with a reason: a PDF that needs a password, a damaged one, one with no text layer
(scanned), one with more pages than CLAIMBOOK_MAX_PDF_PAGES, and one whose compressed
streams inflate past CLAIMBOOK_MAX_INFLATED_BYTES (a zip bomb dressed as a PDF): the
streams are measured, inflating in bounded chunks, before pdfminer decodes any of them.
"""
from __future__ import annotations

import io
import logging
import re
import zlib
from collections import Counter
from dataclasses import dataclass

from kb.importing import structure as st
from kb.importing.decode import ImportRefused
from kb.importing.document import Extracted, TextBuilder

MAGIC = b"%PDF-"
# A heading's font is at least this much larger than the body's.
HEADING_RATIO = 1.15
# A footnote's font is at most this much of the body's.
FOOTNOTE_RATIO = 0.92
# A line repeated at the top or foot of at least this share of pages is a running head.
RUNNING_SHARE = 0.4
# A page with fewer visible characters than this, on average, is an image (scanned).
MIN_CHARS_PER_PAGE = 10
INFLATE_CHUNK = 1024 * 1024

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_FOOTNOTE_MARK = re.compile(r"^\s*(?:\d{1,3}|[*†‡§¶])[\s.)]*\S")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+|p\.\s*|-\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*-)?$", re.I)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_TITLE_LIKE_FILE = re.compile(r"\.(?:docx?|pdf|indd|qxd|rtf|txt)$|^microsoft word", re.I)

# pdfminer reports every oddity of a real-world PDF through logging; they are not ours to show.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def is_pdf(data: bytes) -> bool:
    # From the bytes, never the name: a text that merely mentions "%PDF-" stays text.
    return data[:1024].lstrip(b"\x00\t\n\r ").startswith(MAGIC)


@dataclass
class _Box:
    page: int
    text: str  # lines joined by "\n"
    x0: float
    y0: float
    x1: float
    y1: float
    size: float  # the average font size of its characters
    chars: int
    kind: str = st.PARAGRAPH
    note: str = ""
    level: int = 0


def check_inflation(data: bytes, limit: int) -> None:
    """Refuse a PDF whose compressed streams (images aside: no text is read from them)
    inflate past `limit` bytes in all. Inflates chunk by chunk, keeping nothing."""
    total = 0
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end == -1:
            break
        header = data[max(0, match.start() - 2048) : match.start()]
        header = header[header.rfind(b" obj") + 1 :] if b" obj" in header else header
        if b"/Image" in header:
            continue
        inflater = zlib.decompressobj()
        pending = data[start:end]
        try:
            while pending:
                total += len(inflater.decompress(pending, INFLATE_CHUNK))
                if total > limit:
                    raise ImportRefused(
                        "too_large",
                        f"the PDF's compressed contents inflate past {limit:,} bytes "
                        "(CLAIMBOOK_MAX_INFLATED_BYTES): a compression bomb, or a document too "
                        "large to read; nothing was imported",
                    )
                pending = inflater.unconsumed_tail
        except zlib.error:
            continue  # not zlib data (or not all of it): pdfminer decides what it is


def _open(data: bytes):
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdfpage import PDFPage
    from pdfminer.psparser import PSException

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        pages = list(PDFPage.create_pages(document))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ImportRefused(
            "encrypted", "the PDF is encrypted and needs a password to open; save an unprotected "
            "copy and import that",
        ) from None
    except (PSException, ValueError, TypeError, KeyError, AttributeError, IndexError, EOFError,
            AssertionError, RecursionError, zlib.error, OSError):
        raise ImportRefused("damaged", "the PDF is damaged and cannot be read") from None
    return document, pages


def _document_metadata(document) -> dict:
    from pdfminer.pdftypes import resolve1

    found: dict = {}
    for info in document.info or []:
        info = resolve1(info)
        if not isinstance(info, dict):
            continue
        for key, field_name in (("Title", "title"), ("Author", "author")):
            value = _pdf_string(resolve1(info.get(key)))
            if value and field_name not in found and not _TITLE_LIKE_FILE.search(value):
                found[field_name] = value[:300]
    return found


def _pdf_string(value) -> str:
    if isinstance(value, bytes):
        if value.startswith((b"\xfe\xff", b"\xff\xfe")):
            text = value.decode("utf-16", errors="replace")
        else:
            text = value.decode("latin-1")
        return _SPACES.sub(" ", text).strip().replace("\ufffd", "")
    return str(value).strip() if isinstance(value, str) else ""


def _boxes(pages, *, max_pages: int | None) -> list[list[_Box]]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.psparser import PSException

    manager = PDFResourceManager(caching=True)
    # boxes_flow=None: no hierarchical grouping of boxes (the costly part of the layout
    # analysis); _reading_order puts the boxes in order, columns included.
    device = PDFPageAggregator(manager, laparams=LAParams(boxes_flow=None))
    interpreter = PDFPageInterpreter(manager, device)
    found: list[list[_Box]] = []
    for number, page in enumerate(pages[:max_pages] if max_pages else pages, start=1):
        try:
            interpreter.process_page(page)
        except (PSException, ValueError, TypeError, KeyError, AttributeError, IndexError,
                AssertionError, RecursionError, zlib.error, OSError):
            raise ImportRefused("damaged", f"the PDF is damaged: page {number} cannot be read") from None
        layout = device.get_result()
        boxes = []
        for item in layout:
            if isinstance(item, LTTextBox):
                boxes.extend(_split_by_size(number, item, LTTextLine, LTChar))
        found.append(_reading_order(boxes, (layout.x0 + layout.x1) / 2))
    return found


def _split_by_size(number: int, item, line_type, char_type) -> list[_Box]:
    """A box of lines as _Boxes, cut where the font size changes (pdfminer puts a heading and
    the paragraph under it in one box when they sit close)."""
    pieces: list[_Box] = []
    lines: list = []

    def close():
        text = "\n".join(text for text, _size, _count, _line in lines if text)
        count = sum(c for _t, _s, c, _l in lines)
        if text.strip():
            pieces.append(_Box(number, text, min(l.x0 for *_, l in lines), min(l.y0 for *_, l in lines),
                               max(l.x1 for *_, l in lines), max(l.y1 for *_, l in lines),
                               sum(s * c for _t, s, c, _l in lines) / count if count else 0.0, count))
        lines.clear()

    for line in item:
        if not isinstance(line, line_type):
            continue
        sizes = [char.size for char in line if isinstance(char, char_type)]
        size = sum(sizes) / len(sizes) if sizes else 0.0
        if lines and size and lines[-1][1] and abs(size - lines[-1][1]) > 0.12 * lines[-1][1]:
            close()
        lines.append((line.get_text().strip(), size, len(sizes), line))
    if lines:
        close()
    return pieces


def _reading_order(boxes: list[_Box], middle: float) -> list[_Box]:
    """Boxes in reading order: top to bottom, and where boxes stand in columns (none of them
    crossing the middle of the page), each column top to bottom before the next."""
    ordered: list[_Box] = []
    region: list[_Box] = []
    for box in sorted(boxes, key=lambda b: (-b.y1, b.x0)):
        if box.x0 < middle < box.x1:
            ordered.extend(_columns(region))
            region = []
            ordered.append(box)
        else:
            region.append(box)
    ordered.extend(_columns(region))
    return ordered


def _columns(boxes: list[_Box]) -> list[_Box]:
    columns: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: b.x0):
        if columns and box.x0 < max(b.x1 for b in columns[-1]):
            columns[-1].append(box)
        else:
            columns.append([box])
    return [box for column in columns for box in sorted(column, key=lambda b: -b.y1)]


def _normalised(line: str) -> str:
    return _SPACES.sub(" ", _DIGITS.sub("#", line)).strip().lower()


def _mark_running_heads(pages: list[list[_Box]]) -> None:
    """Boxes at a page's top or foot whose text repeats (numbers aside) on many pages, and lone
    page numbers there, are running heads and footers: boilerplate."""
    edges: list[list[_Box]] = []
    for boxes in pages:
        ordered = sorted(boxes, key=lambda b: -b.y1)
        edges.append(ordered[:2] + ordered[-2:] if len(ordered) > 4 else ordered)
    seen = Counter()
    for boxes in edges:
        seen.update({_normalised(box.text) for box in boxes})
    threshold = max(2, RUNNING_SHARE * len(pages))
    for boxes in edges:
        for box in boxes:
            if _PAGE_NUMBER.match(box.text.strip()):
                box.kind, box.note = st.BOILERPLATE, "page number"
            elif len(pages) > 1 and seen[_normalised(box.text)] >= threshold and len(box.text) <= 200:
                box.kind, box.note = st.BOILERPLATE, "running header or footer"


def _body_size(pages: list[list[_Box]]) -> float:
    sizes = Counter()
    for boxes in pages:
        for box in boxes:
            if box.kind != st.BOILERPLATE:
                sizes[round(box.size, 1)] += box.chars
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _classify(pages: list[list[_Box]]) -> None:
    body = _body_size(pages)
    if not body:
        return
    heading_sizes = sorted({
        round(box.size, 1) for boxes in pages for box in boxes
        if box.kind == st.PARAGRAPH and box.size >= body * HEADING_RATIO and _heading_text(box.text)
    }, reverse=True)
    levels = {size: min(index + 1, 6) for index, size in enumerate(heading_sizes)}
    for boxes in pages:
        body_boxes = [b for b in boxes if b.kind == st.PARAGRAPH and b.size > body * FOOTNOTE_RATIO]
        lowest_body = min((b.y0 for b in body_boxes), default=None)
        in_notes = False
        for box in sorted(boxes, key=lambda b: -b.y1):
            if box.kind != st.PARAGRAPH:
                continue
            if round(box.size, 1) in levels and _heading_text(box.text):
                box.kind, box.level = st.HEADING, levels[round(box.size, 1)]
                continue
            small = box.size and box.size <= body * FOOTNOTE_RATIO
            below_body = lowest_body is None or box.y1 <= lowest_body + 1
            if small and below_body and (in_notes or _FOOTNOTE_MARK.match(box.text)):
                box.kind, box.note, in_notes = st.FOOTNOTE, "footnote", True
            elif st._LIST_ITEM.match(box.text):
                box.kind = st.LIST_ITEM


def _heading_text(text: str) -> bool:
    flat = " ".join(text.split())
    return 0 < len(flat) <= 200 and text.count("\n") <= 2 and flat[-1] not in ".,;:"


def read_pdf(data: bytes, *, max_pages: int, max_inflated: int, sample_pages: int | None = None) -> Extracted:
    """The text, blocks and pages of a PDF; `sample_pages` reads only the first pages (a
    preview), noting it. ImportRefused when the PDF cannot be imported."""
    check_inflation(data, max_inflated)
    document, pages = _open(data)
    if not pages:
        raise ImportRefused("damaged", "the PDF has no pages")
    if len(pages) > max_pages:
        raise ImportRefused(
            "too_many_pages", f"the PDF has {len(pages):,} pages, over the limit of {max_pages:,} "
            "(CLAIMBOOK_MAX_PDF_PAGES); split it into parts and import each",
        )
    boxes = _boxes(pages, max_pages=sample_pages)
    visible = sum(box.chars for page in boxes for box in page)
    if visible < MIN_CHARS_PER_PAGE * len(boxes):
        raise ImportRefused(
            "no_text_layer", "the PDF has no text layer (its pages are images, as in a scan): run "
            "it through OCR (for example ocrmypdf) and import the result",
        )
    _mark_running_heads(boxes)
    _classify(boxes)
    builder = TextBuilder()
    starts: list[int | None] = []
    for page in boxes:
        first = None
        for box in page:
            title = " ".join(box.text.split()) if box.kind == st.HEADING else ""
            block = builder.add(box.text, box.kind, level=box.level, title=title, note=box.note)
            if block is not None and first is None:
                first = block.start
        starts.append(first)
    text = builder.text
    page_ranges = _page_ranges(starts, len(text))
    notes = [f"{len(page_ranges)} pages"]
    sampled = bool(sample_pages and len(pages) > sample_pages)
    if sampled:
        notes = [f"preview of the first {sample_pages} of {len(pages)} pages; the import reads them all"]
    footnotes = sum(1 for b in builder.blocks if b.kind == st.FOOTNOTE)
    if footnotes:
        notes.append(f"{footnotes} footnote{'s' if footnotes != 1 else ''}")
    return Extracted(text=text, blocks=builder.blocks, format="pdf", pages=page_ranges,
                     metadata=_document_metadata(document), notes=notes, sampled=sampled)


def _page_ranges(starts: list[int | None], length: int) -> list[tuple[int, int]]:
    """Each page from its first box to the next page's first box; page 1 from 0; a page with
    no text is an empty range where the next page begins."""
    resolved: list[int] = [0] * len(starts)
    following = length
    for index in range(len(starts) - 1, -1, -1):
        if starts[index] is not None:
            following = starts[index]
        resolved[index] = following
    resolved[0] = 0
    # Leading blank pages sit at 0 too; keep the starts non-decreasing.
    for index in range(1, len(resolved)):
        resolved[index] = max(resolved[index], resolved[index - 1])
    ends = resolved[1:] + [length]
    return list(zip(resolved, ends))
