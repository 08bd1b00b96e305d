"""Sentences and clauses of a document that may assert something checkable.

A document's structure comes either from stored passages (a Source) or from the importer's
parse (`kb.importing.structure.Structure`, for the preview before anything is stored); both
become the same `Block` list, so the extractor never needs to know which it was given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kb.text.ranges import visible_range
from kb.text.sentences import CONTENT_KINDS, sentences


@dataclass(frozen=True)
class Block:
    anchor: str
    kind: str
    start: int
    end: int
    section_title: str = ""


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    block: Block
    text: str


def blocks_from_source(source) -> list[Block]:
    rows = source.passages.select_related("section").order_by("order").only(
        "anchor", "kind", "start", "end", "section__title"
    )
    return [Block(p.anchor, p.kind, p.start, p.end, p.section.title if p.section else "") for p in rows]


def blocks_from_structure(structure) -> list[Block]:
    """The passages `source_import` would store for this parse, with the same anchors."""
    blocks = []
    for index, (block, (start, end), held_by) in enumerate(structure.placed_blocks(), start=1):
        title = "" if held_by is None else structure.sections[held_by].title
        blocks.append(Block(f"p-{index}", block.kind, start, end, title))
    return blocks


# A clause boundary strong enough to stand alone: a semicolon between two clauses.
_CLAUSE_BREAK = re.compile(r";\s+")
_MIN_CLAUSE_WORDS = 5


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a sentence at semicolons when each side is a clause of its own."""
    pieces, at = [], start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        pieces.append((at, match.start() + 1))
        at = match.end()
    pieces.append((at, end))
    if len(pieces) == 1 or any(len(text[s:e].split()) < _MIN_CLAUSE_WORDS for s, e in pieces):
        return [(start, end)]
    return [visible_range(text, s, e) for s, e in pieces]


def segments(text: str, blocks: list[Block]) -> list[Segment]:
    """Every sentence (or stand-alone clause) of the content blocks, in text order."""
    found = []
    for block in blocks:
        if block.kind not in CONTENT_KINDS:
            continue
        for s_start, s_end in sentences(text, block.start, block.end):
            for start, end in _clauses(text, s_start, s_end):
                start, end = _strip_markers(text, start, end)
                if end > start:
                    found.append(Segment(start, end, block, text[start:end]))
    return found


_BULLET = re.compile(r"(?:[-*+•·–]\s+|\d{1,3}[.)]\s+|>\s*)+")


def _strip_markers(text: str, start: int, end: int) -> tuple[int, int]:
    """Leave list bullets and an unpaired bold marker out of the range; keep the words."""
    match = _BULLET.match(text, start, end)
    if match:
        start = match.end()
    if text.count("**", start, end) % 2 == 1:
        if text.startswith("**", start):
            start += 2
        elif text.startswith("**", end - 2):
            end -= 2
    return visible_range(text, start, end)


def clean_statement(value: str) -> str:
    """A sentence as a claim statement: Markdown bold markers out, whitespace collapsed."""
    value = value.replace("**", "")
    return re.sub(r"\s+", " ", value).strip()
