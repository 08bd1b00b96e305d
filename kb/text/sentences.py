"""One sentence splitter for the whole app (coverage, extraction, the copy check).

Rule-based and linear: one regular expression finds every place a sentence may end (a full
stop, question or exclamation mark or ellipsis, with the closing quotes, brackets and footnote
markers after it, then white space; or a line break), and a few rules on the word before and
the word after decide whether it does. Offsets are the text's own, never a copy's. It replaced
pysbd, which compiled regular expressions for every text and took most of the mining time.

Not an end: a title before a name ("Mr. Smith", "Gen. Soleimani"), an initial ("George W.
Bush"), an abbreviation before a number ("Jan. 5", "No. 3"), anything before a lower-case word
("i.e. the rest", '"Why?" he asked'), a number opening a line ("1. The first point"). An
initialism or an abbreviation that can also close a sentence ("the U.S.", "Inc.", "etc.",
"p.m.") ends one only when the next word usually opens a sentence ("in the U.S. The weather"
is two sentences, "the U.S. Department" one).
"""
from __future__ import annotations

import re

from kb.text.ranges import visible_range

# Passage kinds whose sentences may assert something (the others are headings and boilerplate).
CONTENT_KINDS = ("paragraph", "quote", "list_item")

_CLOSERS = "\"'”’»)\\]*"
# A possible end: final punctuation, then closers, footnote markers ("2016.[5]", "world.10")
# and white space; a parenthesis closing a credit ("(AFP) September 2 …"); or a line break.
_END = re.compile(
    rf"(?P<punct>\.{{2,}}|[.!?…]+)(?:[{_CLOSERS}]|\[\d{{1,3}}\])*(?P<marker>\d{{1,3}})?(?=\s)"
    r"|(?P<credit>\))(?=\s)|(?P<line>\n)"
)
# A credit opening a passage: "(AFP)", "(Reuters)".
_CREDIT = re.compile(r"\([A-Z][\w.&/-]+(?:\s+[A-Z][\w.&/-]*){0,2}\)")  # not a list mark "(A)"
# Quotations and parentheses hold their sentences: no end inside them (pysbd did the same).
_HELD = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|\([^()\n]*\)")
_LAST_WORD = re.compile(r"[^\s\"'“‘(\[]*$")
_NEXT_WORD = re.compile(r"\s*[\"'“‘(\[]*(\S?)([\w’'-]*)")

# Titles and other words that are never the last of a sentence when a full stop follows them.
_TITLES = frozenset(
    "mr mrs ms messrs dr prof gen col lt sgt capt cpt maj sen rep gov st rev hon pres amb adm brig "
    "cmdr cdr cpl pvt supt insp det mt ft rt gens lieut".split()
)
# Abbreviations placed before a number.
_BEFORE_NUMBER = frozenset(
    "no nos art arts p pp vol vols fig figs sec ch para paras par ref refs op "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Abbreviations that may close a sentence as well as sit inside one.
_AMBIGUOUS = frozenset(
    "etc inc ltd co corp jr sr bros vs approx est dept univ govt intl assn ave blvd "
    "jan feb mar apr jun jul aug sep sept oct nov dec no".split()
)
# Words that usually open a sentence and rarely continue a name: after an ambiguous
# abbreviation or an initial, one of these starts a new sentence.
_OPENERS = frozenset(
    """the this that these those it its he she they we i you his her their our my there here
    in on at by for from with without to of but and or so yet however meanwhile moreover
    nevertheless nonetheless instead still thus therefore a an as after before when while
    since if although though because according also some many most all both each every other
    such no not nor one two three four five last earlier later then now today yesterday
    what who why how where which under over during despite following among several few
    neither either another any more much nothing nobody none everyone everything something
    someone only even never officials sources analysts critics""".split()
)
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _ends_here(text: str, start: int, match: re.Match) -> bool:
    """Whether the possible end `match` (a full stop or other final punctuation) is one."""
    if match.group("line"):
        return True
    if match.group("credit"):
        following = _NEXT_WORD.match(text, match.end()).group(1)
        return following.isupper() and bool(_CREDIT.fullmatch(text[start : match.end()].strip()))
    if match.group("marker") and not text[max(match.start() - 1, 0)].islower():
        return False  # "version 2.10 The": a number, not a footnote marker after a word
    punct = match.group("punct")
    word = _LAST_WORD.search(text, max(start, match.start() - 40), match.start()).group()
    following = _NEXT_WORD.match(text, match.end())
    first, rest = following.group(1), following.group(2)
    if not first:
        return True
    if first.islower():
        return False  # "i.e. the rest", '"Why?" he asked', "… said. and" never ends a sentence
    if punct != ".":
        return not (punct.startswith("..") and text[match.start() - 1] in "[(")  # "[...]" elides
    bare = word.rstrip(".").lower()
    abbreviated = len(word) == 1 and word.isupper() or bare in _AMBIGUOUS or _INITIALISM.fullmatch(word)
    if first.isdigit():
        return not (abbreviated or bare in _BEFORE_NUMBER)  # "Jan. 5", "No. 3", "E.O. 13224"
    if bare in _TITLES:
        return False
    next_word = (first + rest).lower()
    if word.isdigit() and len(word) <= 3 and not text[start : match.start() - len(word)].strip():
        return False  # "1. The first point": a list number at the start
    if abbreviated:
        return next_word in _OPENERS
    return True


def _held(text: str, start: int, end: int, quotations: bool = True) -> list[tuple[int, int]]:
    """Ranges of the quotations and parentheses in text[start:end], in order."""
    part = text[start:end]
    if "“" not in part and '"' not in part and "(" not in part:
        return []
    return [m.span() for m in _HELD.finditer(text, start, end) if quotations or text[m.start()] == "("]


def sentences(text: str, start: int, end: int, *, quotations: bool = True) -> list[tuple[int, int]]:
    """Sentence ranges inside text[start:end], trimmed of surrounding whitespace. With
    `quotations=False` a quotation's own sentences are split too (parentheses still hold theirs):
    the extractor cuts a quoted passage into its claims but keeps the passage one sentence."""
    start, end = visible_range(text, start, end)
    spans, at = [], start
    held, h = _held(text, start, end, quotations), 0
    for match in _END.finditer(text, start, end):
        while h < len(held) and held[h][1] <= match.start():
            h += 1
        if h < len(held) and held[h][0] < match.start() and match.end() < held[h][1] and not match.group("line"):
            continue
        if not _ends_here(text, at, match):
            continue
        s, e = visible_range(text, at, match.end())
        if e > s:
            spans.append((s, e))
        at = match.end()
    s, e = visible_range(text, at, end)
    if e > s:
        spans.append((s, e))
    return spans
