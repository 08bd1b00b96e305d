"""What a reader of a binary format (PDF, Word, e-mail) hands to the pipeline: the text it
extracted, the blocks it recognised as ranges over that text, and what it learnt about the
document (pages, metadata, attachments).

The reader writes the text once, through `TextBuilder`, so every block's range is known as
it is written and nothing has to be found again in the text afterwards.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.importing import structure as st


@dataclass
class Extracted:
    text: str
    blocks: list[st.Block]
    format: str
    pages: list[tuple[int, int]] = field(default_factory=list)
    # Fields of SourceMetadataForm the document states about itself (title, author, published
    # as EDTF, publisher, url); the admin's own metadata always wins over them.
    metadata: dict = field(default_factory=dict)
    # Files carried inside the document (an e-mail's attachments): (name, bytes).
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    # What the reader wants the admin to know ("3 footnotes", "attachment skipped: …").
    notes: list[str] = field(default_factory=list)
    # Only the first part was read (a preview of a long PDF): not the text an import stores.
    sampled: bool = False


# Control characters a reader may hand on (a PDF's broken glyphs): no stored text holds them.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


class TextBuilder:
    """Append blocks of text, separated by blank lines; each becomes a Block over its range."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.blocks: list[st.Block] = []

    def _write(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)

    def add(self, content: str, kind: str = st.PARAGRAPH, *, level: int = 0, title: str = "",
            note: str = "", separator: str = "\n\n") -> st.Block | None:
        """Add `content` (stripped of surrounding whitespace) as one block; None when empty."""
        content = _CONTROLS.sub("", content.replace("\r\n", "\n").replace("\r", "\n")).strip()
        if not content:
            return None
        if self.length:
            self._write(separator)
        start = self.length
        self._write(content)
        block = st.Block(kind, start, self.length, level=level, title=title, note=note)
        self.blocks.append(block)
        return block

    @property
    def text(self) -> str:
        return "".join(self.parts)
