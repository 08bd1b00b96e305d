"""Sentences and clauses of a document that may assert something checkable.

A document's structure comes either from stored passages (a Source) or from the importer's
parse (`kb.importing.structure.Structure`, for the preview before anything is stored); both
become the same `Block` list, so the extractor never needs to know which it was given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kb.extraction.boilerplate import CREDIT, SPEAKER_LABEL, furniture_lines, leading_furniture
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
    label: str = ""  # a transcript speaker label opening it ("MR MILLER"), left out of the range
    lead_date: str = ""  # a dateline's date words cut from its start ("March 28")
    furniture: str = ""  # why it is not content (dateline, byline, title, ...): never a candidate


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


# Sentences glued at a footnote marker: "… in 2016.[5] The …", "… in the world.10 Hamas …".
_FOOTNOTE_BREAK = re.compile(r"(?<=[.!?])(?:\[\d{1,3}\])+\s+(?=[\"“(]?[A-Z])|(?<=[a-z]{2}[.!?])\d{1,3}\s+(?=[A-Z])")
_TRAILING_MARKERS = re.compile(r"(?:\s*\[(?:\d{1,3}|[a-z]|citation needed|note \d+)\])+$|(?<=[a-z][.!?])\d{1,3}$|(?<=[a-z][.!?][\"”’])\d{1,3}$")


def _footnote_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces, at = [], start
    for match in _FOOTNOTE_BREAK.finditer(text, start, end):
        pieces.append((at, match.start()))
        at = match.end()
    pieces.append((at, end))
    return pieces


def _minus(start: int, end: int, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """text[start:end] without the given ranges, as the pieces left."""
    pieces = [(start, end)]
    for r_start, r_end in ranges:
        next_pieces = []
        for s, e in pieces:
            if r_end <= s or e <= r_start:
                next_pieces.append((s, e))
                continue
            if s < r_start:
                next_pieces.append((s, r_start))
            if r_end < e:
                next_pieces.append((r_end, e))
        pieces = next_pieces
    return pieces


def segments(text: str, blocks: list[Block]) -> list[Segment]:
    """Every sentence (or stand-alone clause) of the content blocks, in text order, and the
    furniture lines among them (marked, so the extractor can read datelines and reset speakers)."""
    found = []
    for block in blocks:
        if block.kind not in CONTENT_KINDS:
            continue
        furniture = furniture_lines(text, block.start, block.end)
        ranges = [(s, e) for s, e, _ in furniture]
        items = [Segment(s, e, block, text[s:e], furniture=reason) for s, e, reason in furniture]
        for s_start, s_end in sentences(text, block.start, block.end):
            for p_start, p_end in _minus(s_start, s_end, ranges):
                for f_start, f_end in _footnote_pieces(text, p_start, p_end):
                    for start, end in _clauses(text, *visible_range(text, f_start, f_end)):
                        piece, credited = _content(text, block, start, end)
                        if credited and items and not items[-1].furniture and items[-1].start < start:
                            # "… on the eastern pier. (AFP) June 9, 2020 The union …": a caption before the credit
                            items[-1] = replace(items[-1], furniture="caption")
                        items.extend(piece)
        found.extend(sorted(items, key=lambda item: item.start))
    return found


def _content(text: str, block: Block, start: int, end: int) -> list[Segment]:
    start, end = _strip_markers(text, start, end)
    label = ""
    match = SPEAKER_LABEL.match(text[start:end])
    if match:
        label = match.group("label")
        start += match.end()
    if CREDIT.fullmatch(text[start:end].strip()):  # "(AFP)" standing alone after a caption
        return [Segment(start, end, block, text[start:end], furniture="credit")], True
    cut, lead_date, credited = leading_furniture(text[start:end])
    start += cut
    marker = _TRAILING_MARKERS.search(text, start, end)
    if marker and marker.start() > start:
        end = marker.start()
    start, end = visible_range(text, start, end)
    if end <= start:
        return ([Segment(start, start, block, "", label=label, lead_date=lead_date, furniture="label")]
                if label or lead_date else []), credited
    return [Segment(start, end, block, text[start:end], label=label, lead_date=lead_date)], credited


_BULLET = re.compile(r"(?:[-*+•·–]\s+|\d{1,3}[.)]\s+|>\s*)+")


def _strip_markers(text: str, start: int, end: int) -> tuple[int, int]:
    """Leave list bullets and an unpaired bold marker out of the range; keep the words."""
    match = _BULLET.match(text, start, end)
    if match:
        start = match.end()
    bold = text.count("**", start, end)
    if bold == 2 and end - start > 4 and text.startswith("**", start) and text.startswith("**", end - 2):
        start, end = start + 2, end - 2  # a sentence in bold: the words, not the marks
    elif bold % 2 == 1:
        if text.startswith("**", start):
            start += 2
        elif text.startswith("**", end - 2):
            end -= 2
    return visible_range(text, start, end)


_MARKERS_INSIDE = re.compile(r"\[(?:\d{1,3}|[a-z]|citation needed)\]")


def clean_statement(value: str) -> str:
    """A sentence as a claim statement: Markdown bold markers and footnote markers ("[1]") out,
    whitespace collapsed."""
    value = _MARKERS_INSIDE.sub("", value.replace("**", ""))
    return re.sub(r"\s+", " ", value).strip()
