"""Word (.docx) to text: headings by style become sections, list paragraphs and table rows
become passages of their own, footnotes and comments are kept apart at the end.

python-docx reads the document in order (paragraphs and tables as they stand in the body).
A paragraph styled "Title" or "Heading N" is a heading (a title is level 1, and headings
one level below it when there is one); a paragraph with list numbering or a "List" style is
a list item; each table row is one passage, its cells joined by " | ". Footnotes (from the
package's footnotes part) and reviewers' comments are not the body's text: they follow it,
footnotes as `footnote` passages numbered as Word numbers them, comments as boilerplate
naming their author.

Before python-docx reads anything, the package is checked as a zip: it must be one, hold
`word/document.xml` (a renamed zip of something else is refused, saying so), and inflate
within CLAIMBOOK_MAX_INFLATED_BYTES (a compression bomb is measured in bounded chunks).
"""
from __future__ import annotations

import io
import re
import zipfile

from kb.importing import structure as st
from kb.importing.decode import ImportRefused
from kb.importing.document import Extracted, TextBuilder

ZIP_MAGIC = b"PK\x03\x04"
DOCUMENT_PART = "word/document.xml"
CHUNK = 1024 * 1024
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.I)


def is_docx(data: bytes, name: str) -> bool:
    """A zip that holds a Word body, or any zip named .docx (refused later if it is not one)."""
    if not data.startswith(ZIP_MAGIC):
        return False
    if name.lower().endswith((".docx", ".docm", ".dotx")):
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return DOCUMENT_PART in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def check_package(data: bytes, limit: int) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise ImportRefused("damaged", "the Word file is damaged (not a readable zip package)") from None
    with archive:
        names = archive.namelist()
        if DOCUMENT_PART not in names:
            raise ImportRefused(
                "not_docx", "the file is a zip archive but not a Word document (it has no "
                "word/document.xml); if it is a zip of documents, upload it as a .zip",
            )
        total = 0
        for info in archive.infolist():
            if info.flag_bits & 0x1:
                raise ImportRefused("encrypted", "the Word file is encrypted; save an unprotected copy")
            try:
                with archive.open(info) as stream:
                    while chunk := stream.read(CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise ImportRefused(
                                "too_large", f"the Word file inflates past {limit:,} bytes "
                                "(CLAIMBOOK_MAX_INFLATED_BYTES): a compression bomb, or a document too "
                                "large to read; nothing was imported",
                            )
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, RuntimeError):
                raise ImportRefused("damaged", f"the Word file is damaged ({info.filename} cannot be read)") from None


def _style_name(paragraph) -> str:
    try:
        return paragraph.style.name if paragraph.style is not None else ""
    except (KeyError, AttributeError, ValueError):
        return ""


def _is_list(paragraph, style: str) -> bool:
    properties = paragraph._p.pPr
    return (properties is not None and properties.numPr is not None) or "list" in style.lower()


def _row_text(row) -> str:
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) in seen:  # a merged cell is returned once per grid column it spans
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(cell.text.split()))
    return " | ".join(cells)


def _footnotes(document) -> list[tuple[str, str]]:
    """(number, text) of each footnote, from the package's footnotes part (python-docx has no
    reader for it); separators (ids below 1) are not notes."""
    for relationship in document.part.rels.values():
        if relationship.reltype.endswith("/footnotes") and not relationship.is_external:
            from lxml import etree

            root = etree.fromstring(relationship.target_part.blob,
                                    parser=etree.XMLParser(resolve_entities=False, no_network=True))
            notes = []
            for note in root.iter(f"{W}footnote"):
                number = note.get(f"{W}id", "")
                if number.lstrip("-").isdigit() and int(number) >= 1:
                    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in note.iter(f"{W}p")]
                    notes.append((number, " ".join(" ".join(paragraphs).split())))
            return notes
    return []


def read_docx(data: bytes, *, max_inflated: int) -> Extracted:
    check_package(data, max_inflated)
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        body = list(document.iter_inner_content())
    except (PackageNotFoundError, KeyError, ValueError, AttributeError, TypeError):
        raise ImportRefused("not_docx", "the file is not a Word document python-docx can read (.docx; "
                            "an old .doc must be saved as .docx first)") from None
    except Exception as exc:  # lxml's XMLSyntaxError and kin: a damaged part
        if type(exc).__module__.startswith("lxml"):
            raise ImportRefused("damaged", "the Word file is damaged (its XML cannot be read)") from None
        raise
    styles = [_style_name(item) if not isinstance(item, Table) else "" for item in body]
    has_title = any(style.lower() == "title" for style in styles)
    builder = TextBuilder()
    for item, style in zip(body, styles):
        if isinstance(item, Table):
            for row in item.rows:
                builder.add(_row_text(row), st.PARAGRAPH, note="table row")
            continue
        text = item.text
        heading = _HEADING_STYLE.match(style)
        if style.lower() == "title":
            builder.add(text, st.HEADING, level=1, title=" ".join(text.split()))
        elif heading:
            level = min(int(heading.group(1)) + (1 if has_title else 0), 6)
            builder.add(text, st.HEADING, level=level, title=" ".join(text.split()))
        elif _is_list(item, style):
            builder.add(text, st.LIST_ITEM)
        else:
            builder.add(text, st.PARAGRAPH)
    notes = []
    footnotes = _footnotes(document)
    for number, text in footnotes:
        builder.add(f"{number} {text}" if text else "", st.FOOTNOTE, note="footnote")
    if footnotes:
        notes.append(f"{len(footnotes)} footnote{'s' if len(footnotes) != 1 else ''}")
    comments = [(comment.author, comment.text) for comment in document.comments] if _has_comments(document) else []
    for author, text in comments:
        builder.add(text, st.BOILERPLATE, note=f"comment by {author}"[:200] if author else "comment")
    if comments:
        notes.append(f"{len(comments)} comment{'s' if len(comments) != 1 else ''} (kept apart)")
    properties = document.core_properties
    metadata = {key: value.strip()[:300] for key, value in (("title", properties.title), ("author", properties.author))
                if value and value.strip() and value.strip().lower() not in {"python-docx", "author"}}
    return Extracted(text=builder.text, blocks=builder.blocks, format="docx", metadata=metadata, notes=notes)


def _has_comments(document) -> bool:
    return any(r.reltype.endswith("/comments") for r in document.part.rels.values())
