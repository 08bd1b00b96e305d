"""Find the structure of a text: headings, passages and boilerplate, as character ranges.

Nothing here edits the text. The result tiles it: every character belongs to exactly one
block (whitespace between blocks goes to the block before it), so a reader can rebuild the
whole text from the blocks and a check can prove nothing was dropped.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kb.text.cues import is_call_to_action
from kb.text.ranges import holder, visible_range

HEADING = "heading"
PARAGRAPH = "paragraph"
QUOTE = "quote"
LIST_ITEM = "list_item"
BOILERPLATE = "boilerplate"
FOOTNOTE = "footnote"

_WIKI_HEADING = re.compile(r"^(={1,6})\s*(?P<title>[^=].*?)\s*\1\s*$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
# The heading patterns backtrack quadratically on long lines that almost match ("=a" and
# 200,000 spaces took minutes); no heading is that long, so longer lines are never tried.
MAX_HEADING_LINE = 300
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•·–]|\d{1,3}[.)])\s+\S")
_MD_QUOTE = re.compile(r"^\s*>")
_TOC_TITLE = re.compile(r"^(?:table of contents|contents|in this article|on this page)\s*:?$", re.I)
_END_MATTER = re.compile(
    r"^(?:see also|references|external links|further reading|notes|bibliography|sources|"
    r"citations|related articles|related posts|you may also like)$",
    re.I,
)
# A sentence end glued to what follows: "…network of aid.Early Sponsorship…".
_GLUE = re.compile(r"(?<=[^\s.][.!?])[\"”’)]?(?=[A-Z¿¡\"“-])|(?<=[^\s.][.!?][\"”’)])(?=[A-Z¿¡-])")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“¿¡(]?[A-Z0-9])")
_ABBREVIATIONS = {"vs", "mr", "mrs", "ms", "dr", "st", "no", "jr", "sr", "gen", "col", "lt",
                  "u.s", "u.k", "e.g", "i.e", "etc", "inc", "ltd", "co", "corp", "maj", "prof"}


@dataclass
class Block:
    kind: str
    start: int  # the content, without surrounding whitespace
    end: int
    level: int = 0
    title: str = ""
    note: str = ""
    glued: bool = False

    def __post_init__(self):
        assert 0 <= self.start < self.end, (self.start, self.end)


@dataclass
class SectionSpec:
    title: str
    level: int
    heading_start: int
    heading_end: int
    start: int
    end: int
    parent: int | None  # index into the section list
    anchor: str = ""


@dataclass
class Structure:
    blocks: list[Block]
    sections: list[SectionSpec]
    # Each block's full range, trailing whitespace included: these tile the text.
    ranges: list[tuple[int, int]] = field(default_factory=list)
    toc_entries: list[str] = field(default_factory=list)
    # Pages of a paged document (PDF): (start, end) ranges tiling the text, page 1 first.
    pages: list[tuple[int, int]] = field(default_factory=list)

    @property
    def boilerplate_count(self) -> int:
        return sum(1 for block in self.blocks if block.kind == BOILERPLATE)

    def placed_blocks(self):
        """(block, full range, section index or None) for each block, in order: what a stored
        passage is made of. A block's section is the innermost one holding it, that is the
        last section starting at or before it."""
        starts = [section.start for section in self.sections]
        for block, span in zip(self.blocks, self.ranges):
            yield block, span, holder(starts, block.start)


def detect_format(text: str) -> str:
    head = text[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or (
        head.startswith("<") and re.search(r"<(?:body|p|div|h[1-6]|article)\b", head)
    ):
        return "html"
    lines = [line for line in text.splitlines() if len(line) <= MAX_HEADING_LINE]
    wiki = sum(1 for line in lines if _WIKI_HEADING.match(line))
    markdown = sum(1 for line in lines if _MD_HEADING.match(line))
    if wiki >= 1 and wiki >= markdown:
        return "wikitext"
    if markdown >= 1 or re.search(r"\[[^\]\n]+\]\([^)\s]+\)", text):
        return "markdown"
    return "plain"


def normalise_title(title: str) -> str:
    title = unicodedata.normalize("NFKC", title).replace("*", "").strip().lower()
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", title)).strip()


def _lines(text: str):
    """Yield (start, end) of each line's stripped content; blank lines yield nothing."""
    pos = 0
    length = len(text)
    while pos < length:
        newline = text.find("\n", pos)
        line_end = length if newline == -1 else newline
        start, end = visible_range(text, pos, line_end)
        if end > start:
            yield start, end
        pos = line_end + 1


def _is_sentence_end(text: str, dot: int) -> bool:
    """Whether the stop at `dot` ends a sentence rather than an abbreviation."""
    word_start, limit = dot, max(dot - 12, 0)  # abbreviations are short: never walk further
    while word_start > limit and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    return not (word in _ABBREVIATIONS or len(word) == 1)


def _looks_like_heading(text: str, start: int, end: int) -> bool:
    line = text[start:end].strip()
    if not line or len(line) > 120 or line[-1] in ".,;:" or line.endswith("..."):
        return False
    if len(line.split()) > 14 or not (line[0].isupper() or line[0].isdigit() or line[0] in "¿¡\"“"):
        return False
    for match in _SENTENCE_BREAK.finditer(line):
        dot = start + match.start() - 1
        while dot > start and text[dot] not in ".!?":
            dot -= 1
        if _is_sentence_end(text, dot):
            return False
    return True


def _split_glued(text: str, start: int, end: int) -> tuple[int, Block | None]:
    """Find a heading or list item glued onto the end of a paragraph line.

    Returns the paragraph's new end and the glued block, if any.
    """
    line = text[start:end]
    for match in _GLUE.finditer(line):
        cut = start + match.end()
        if cut >= end or end - cut > 200 or not _is_sentence_end(text, start + match.start() - 1):
            continue  # a glued heading or list item is short: never slice a long rest
        rest = text[cut:end]
        if rest.startswith("- ") and len(rest) <= 200:
            return cut, Block(LIST_ITEM, cut, end, glued=True)
        if rest[0] != "-" and _looks_like_heading(text, cut, end) and len(rest.split()) >= 1:
            return cut, Block(HEADING, cut, end, title=rest.strip(), glued=True)
    return end, None


def _split_calls_to_action(text: str, block: Block) -> list[Block]:
    """Set apart a paragraph's closing calls to comment or follow, which are not content."""
    starts = [block.start] + [
        block.start + match.end() for match in _SENTENCE_BREAK.finditer(text[block.start : block.end])
    ]
    sentences = [(s, e) for s, e in zip(starts, starts[1:] + [block.end])]
    cut = None
    for index in range(len(sentences) - 1, -1, -1):
        sentence = text[sentences[index][0] : sentences[index][1]].strip()
        if is_call_to_action(sentence):
            cut = index
        elif sentence.endswith("?") and cut is not None:
            continue
        else:
            break
    if cut is None:
        return [block]
    cut_at = sentences[cut][0]
    pieces = []
    if cut_at > block.start:
        pieces.append(Block(block.kind, block.start, visible_range(text, block.start, cut_at)[1]))
    pieces.append(Block(BOILERPLATE, cut_at, block.end, note="call to action"))
    return pieces


def _raw_blocks(text: str, fmt: str) -> list[Block]:
    lines = list(_lines(text))
    plain = fmt in ("plain", "markdown")
    blocks: list[Block] = []
    for index, (start, end) in enumerate(lines):
        line = text[start:end]
        short = end - start <= MAX_HEADING_LINE
        if fmt == "wikitext" and short and (match := _WIKI_HEADING.match(line)):
            blocks.append(Block(HEADING, start, end, level=len(match.group(1)), title=match.group("title")))
            continue
        if fmt == "markdown" and short and (match := _MD_HEADING.match(line)):
            blocks.append(Block(HEADING, start, end, level=len(match.group(1)), title=match.group("title")))
            continue
        if _LIST_ITEM.match(line):
            blocks.append(Block(LIST_ITEM, start, end))
            continue
        if fmt == "markdown" and _MD_QUOTE.match(line):
            blocks.append(Block(QUOTE, start, end))
            continue
        blocks.append(Block(PARAGRAPH, start, end))
    blocks = _join_wrapped_lines(text, blocks)
    if plain:
        blocks = _find_plain_headings(text, blocks)
    return blocks


def _join_wrapped_lines(text: str, blocks: list[Block]) -> list[Block]:
    """Hard-wrapped text: consecutive paragraph lines separated by single newlines are one paragraph."""
    paragraphs = [b for b in blocks if b.kind in (PARAGRAPH, QUOTE)]
    if len(paragraphs) < 4:
        return blocks
    lengths = sorted(b.end - b.start for b in paragraphs)
    if lengths[len(lengths) // 2] > 100 or "\n\n" not in text:
        return blocks
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and block.kind == previous.kind
            and block.kind in (PARAGRAPH, QUOTE)
            and "\n\n" not in text[previous.end : block.start]
        ):
            previous.end = block.end
            continue
        joined.append(block)
    return joined


def _find_plain_headings(text: str, blocks: list[Block]) -> list[Block]:
    """Headings in plain text: short title-like lines before prose, and headings glued to paragraphs."""
    found: list[Block] = []
    for index, block in enumerate(blocks):
        if block.kind != PARAGRAPH:
            found.append(block)
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        before_prose = following is not None and (
            following.kind in (PARAGRAPH, LIST_ITEM, QUOTE)
            and (following.end - following.start > 120 or _TOC_TITLE.match(text[block.start : block.end]))
        )
        if "\n" not in text[block.start : block.end] and before_prose and _looks_like_heading(
            text, block.start, block.end
        ):
            found.append(Block(HEADING, block.start, block.end, title=text[block.start : block.end]))
            continue
        end, glued = _split_glued(text, block.start, block.end)
        found.append(Block(PARAGRAPH, block.start, end))
        if glued is not None:
            found.append(glued)
    return found


def _mark_toc(text: str, blocks: list[Block]) -> list[str]:
    """A 'Table of Contents' line and the list under it are boilerplate; return its entries."""
    for index, block in enumerate(blocks):
        if block.kind not in (HEADING, PARAGRAPH) or not _TOC_TITLE.match(text[block.start : block.end]):
            continue
        entries = []
        cursor = index + 1
        while cursor < len(blocks) and blocks[cursor].kind == LIST_ITEM:
            item = blocks[cursor]
            entries.append(re.sub(r"^\s*(?:[-*+•·–]|\d{1,3}[.)])\s+", "", text[item.start : item.end]))
            item.kind, item.note = BOILERPLATE, "table of contents"
            cursor += 1
        if entries:
            block.kind, block.note, block.title, block.level = BOILERPLATE, "table of contents", "", 0
            return entries
    return []


def _assign_levels(text: str, blocks: list[Block], fmt: str, toc: list[str]) -> None:
    headings = [b for b in blocks if b.kind == HEADING]
    if not headings:
        return
    if fmt in ("wikitext", "markdown") and all(b.level for b in headings):
        return
    toc_titles = {normalise_title(entry) for entry in toc}
    first_content = next(b for b in blocks if b.kind != BOILERPLATE)
    for block in headings:
        if block is first_content and not block.glued:
            block.level = 1
        elif toc_titles:
            block.level = 2 if normalise_title(block.title) in toc_titles else 3
        else:
            block.level = 2


def _mark_end_matter(text: str, blocks: list[Block]) -> None:
    """Lists under 'See also', 'References' and the like point elsewhere: boilerplate."""
    inside = None
    for block in blocks:
        if block.kind == HEADING:
            inside = block.level if _END_MATTER.match(normalise_title(block.title)) else (
                inside if inside is not None and block.level > inside else None
            )
        elif inside is not None and block.kind != BOILERPLATE:
            block.kind, block.note = BOILERPLATE, "related links"


def _mark_trailing_junk(text: str, blocks: list[Block]) -> None:
    """Short link-like lines after the last prose paragraph (link farms, unrelated headlines)."""
    run = []
    for block in reversed(blocks):
        content = text[block.start : block.end].strip()
        if block.kind == HEADING and not block.glued:
            break
        if block.kind == BOILERPLATE:
            run.append(block)
            continue
        if len(content) > 150 or content[-1] in ".:;" or "\n" in content:
            break
        run.append(block)
    if len([b for b in run if b.kind != BOILERPLATE]) >= 2:
        for block in run:
            if block.kind != BOILERPLATE:
                block.kind, block.note, block.level = BOILERPLATE, "link list or unrelated headline", 0


def _mark_quotes(text: str, blocks: list[Block]) -> None:
    """A paragraph introduced by a line ending in a colon is a quoted speech or excerpt."""
    for previous, block in zip(blocks, blocks[1:]):
        if (
            block.kind == PARAGRAPH
            and previous.kind == PARAGRAPH
            and text[previous.end - 1] == ":"
            and block.end - block.start > 150
        ):
            block.kind = QUOTE


def _sections(text: str, blocks: list[Block]) -> list[SectionSpec]:
    sections: list[SectionSpec] = []
    stack: list[int] = []
    for block in blocks:
        if block.kind != HEADING:
            continue
        while stack and sections[stack[-1]].level >= block.level:
            stack.pop()
        sections.append(
            SectionSpec(
                title=block.title.strip(),
                level=block.level,
                heading_start=block.start,
                heading_end=block.end,
                start=block.start,
                end=len(text),
                parent=stack[-1] if stack else None,
            )
        )
        stack.append(len(sections) - 1)
    for index, section in enumerate(sections):
        for later in sections[index + 1 :]:
            if later.level <= section.level:
                section.end = later.start
                break
    used: set[str] = set()
    for section in sections:
        base = "s-" + (re.sub(r"[^\w]+", "-", normalise_title(section.title)).strip("-")[:60] or "section")
        anchor, counter = base, 2
        while anchor in used:
            anchor, counter = f"{base}-{counter}", counter + 1
        used.add(anchor)
        section.anchor = anchor
    return sections


def parse(text: str, fmt: str) -> Structure:
    blocks = _raw_blocks(text, fmt)
    if not blocks:
        raise ValueError("no content")
    toc = _mark_toc(text, blocks)
    split: list[Block] = []
    for block in blocks:
        split.extend(_split_calls_to_action(text, block) if block.kind == PARAGRAPH else [block])
    blocks = split
    _assign_levels(text, blocks, fmt, toc)
    _mark_end_matter(text, blocks)
    _mark_trailing_junk(text, blocks)
    _mark_quotes(text, blocks)
    return assemble(text, blocks, toc=toc)


def assemble(text: str, blocks: list[Block], *, toc: list[str] | None = None,
             pages: list[tuple[int, int]] | None = None) -> Structure:
    """Blocks found by any reader (plain text, PDF, Word, e-mail) as a Structure: sorted, each
    given the full range that tiles the text, and headings gathered into sections."""
    blocks = sorted(blocks, key=lambda b: b.start)
    ranges = []
    for index, block in enumerate(blocks):
        start = 0 if index == 0 else block.start
        end = blocks[index + 1].start if index + 1 < len(blocks) else len(text)
        ranges.append((start, end))
    return Structure(blocks=blocks, sections=_sections(text, blocks), ranges=ranges,
                     toc_entries=toc or [], pages=pages or [])
