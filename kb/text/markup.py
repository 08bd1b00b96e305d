"""Wiki and Markdown markup taken out of a snippet of a source's text, for display only.

A source's text is stored as imported, markup and all (`===Gaza war===`, `'''bold'''`,
`[[Hamas|the group]]`, `**bold**`, list bullets), and is never edited: quotes are exact ranges
of it. Where a page shows a little text around a quote (kb.text.ranges.shown_context), that
snippet is shown as a reader would read the source: the link's words, not its brackets. The
snippet is cut from the middle of the text, so a construct may be cut in two at either end;
the half left over is read too (`Hamas|the group]] said` shows as `the group said`).
"""
from __future__ import annotations

import re

_REF = re.compile(r"<ref\b[^>]*/>|<ref\b[^>]*>.*?</ref>", re.S | re.I)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*\b[^<>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
_WIKI_LINK = re.compile(r"\[\[(?:[^\[\]|]*\|)?([^\[\]]*)\]\]")  # [[target|words]] or [[words]]
_EXTERNAL_LINK = re.compile(r"\[(?:https?:)?//\S+\s+([^\]]*)\]|\[(?:https?:)?//[^\]\s]*\]")  # [http://x words]
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")  # [words](url)
_EMPHASIS = re.compile(r"'{2,}|\*{2,}|(?<!\w)__|__(?!\w)|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`")
_HEADING = re.compile(r"^[ \t]*(=+)[ \t]*(.*?)[ \t]*\1[ \t]*$", re.M)  # ===Gaza war===
_LINE_MARKS = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|[*#:;•]+[ \t]*|[-+][ \t]+|>[ \t]?)", re.M)  # heads, bullets
_LEFTOVER = re.compile(r"\[\[|\]\]|\{\{|\}\}|={2,}")


def _open_end(text: str, opener: str, closer: str) -> int | None:
    """Where a construct opened in `text` is still open at its end (cut off), or None."""
    position = text.rfind(opener)
    return position if position >= 0 and text.find(closer, position) < 0 else None


def _closed_start(text: str, opener: str, closer: str) -> int | None:
    """Where a construct closes in `text` that opened before its start (cut off), or None."""
    position = text.find(closer)
    return position if position >= 0 and not 0 <= text.find(opener) < position else None


def _cut_ends(text: str) -> str:
    """Read the halves of constructs that the snippet's ends cut through."""
    end = _closed_start(text, "[[", "]]")
    if end is not None:  # "Hamas|the group]] said": the link's words
        inner = text[:end]
        text = inner[inner.rfind("|") + 1:] + text[end + 2:]
    for opener, closer in (("{{", "}}"), ("<ref", "</ref>"), ("<!--", "-->")):
        end = _closed_start(text, opener, closer)
        if end is not None:  # the inside of a template, a reference or a comment: not text
            text = text[end + len(closer):]
    start = _open_end(text, "[[", "]]")
    if start is not None:  # "said [[Hamas|the gr": the words typed so far
        inner = text[start + 2:]
        text = text[:start] + inner[inner.find("|") + 1:]
    for opener, closer in (("{{", "}}"), ("<ref", "</ref>"), ("<!--", "-->")):
        start = _open_end(text, opener, closer)
        if start is not None:
            text = text[:start]
    return text


def plain(text: str) -> str:
    """`text` without wiki or Markdown markup, as it reads; whitespace runs made one space."""
    text = _cut_ends(text)
    text = _COMMENT.sub("", _REF.sub("", text))
    for _ in range(3):  # templates nest ({{cite|{{date}}}}): innermost first
        text, found = _TEMPLATE.subn("", text)
        if not found:
            break
    text = _WIKI_LINK.sub(r"\1", text)
    text = _EXTERNAL_LINK.sub(lambda m: m[1] or "", text)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _HEADING.sub(r"\2", text)
    text = _LINE_MARKS.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _LEFTOVER.sub("", text)
    return re.sub(r"\s+", " ", text)
