"""Does a sentence assert something checkable? If not, why not.

Not candidates: questions (unless the question is quoted speech being reported), calls to
action, meta-text (the document talking about itself or framing a question), empty rhetoric
(an evaluation with nothing named, counted or dated), fragments, and refusals to say more.
"""
from __future__ import annotations

import re

from kb.text.cues import is_call_to_action

_CLOSERS = "\"'”’»)]"
_QUOTED_SPEECH = re.compile(r"(?::|\b(?:said|says|asked|asks|told|wrote|replied|answered|saying|asking)\b,?)\s*[\"'“‘«]")

_META = re.compile(
    r"\b(?:this|the present|our) (?:article|post|blog post|blog|page|guide|piece|essay|video|newsletter)\b"
    r"|\b(?:in this|below,? we|we will|we'll|let's|let us) (?:explore|discuss|examine|look at|delve|dive|unpack|"
    r"take a (?:closer )?look|consider)\b"
    r"|\bas (?:mentioned|discussed|noted|explained|shown) (?:above|earlier|below|previously)\b"
    r"|\bthe (?:broader |central |key |larger |recurring )?question (?:of |\")?[\"“]"
    r"|\b(?:is|are|remains?|becomes?) (?:\w+ )?(?:essential|crucial|key|vital|important|critical|paramount|central|"
    r"necessary|fundamental) (?:for|to|in) (?:understanding|comprehending|grasping|appreciating|making sense)\b"
    r"|^(?:understanding|comprehending|grasping|exploring|examining|delving into)\b"
    r"|\brequires? (?:delving|understanding|examining|looking|a (?:closer|careful|nuanced) look)\b"
    r"|^(?:in (?:conclusion|summary|short|sum)|to (?:conclude|sum up|summari[sz]e))\b",
    re.I,
)
# A word (lower case) that every kind of meta-text above holds; without one, _META is not run.
_META_WORDS = (
    "article", "post", "blog", "page", "guide", "piece", "essay", "video", "newsletter", "explore", "discuss",
    "examine", "look at", "delv", "dive", "unpack", "take a", "consider", "above", "earlier", "below", "previously",
    "question", "understanding", "comprehending", "grasping", "appreciating", "making sense", "exploring",
    "examin", "require", "conclu", "summ", "in short", "in sum", "sum up",
)


def is_meta(text: str) -> bool:
    low = text.lower()
    return any(word in low for word in _META_WORDS) and bool(_META.search(text))


# An evaluation and nothing else: "This distinction is critical."
_EMPTY_EVALUATION = re.compile(
    r"^(?:this|that|these|those|it|such|which)\b[\w\s'’-]{0,40}\b(?:is|are|was|were|remains?|seems?|becomes?)\s+"
    r"(?:\w+\s+)?(?:critical|crucial|important|essential|vital|key|clear|paramount|significant|undeniable|"
    r"complex|obvious|notable|remarkable|interesting|worth noting|striking|telling|unclear)\W*$",
    re.I,
)
_REFUSAL = re.compile(
    r"^I (?:\w+ )?(?:won't|will not|don't want to|do not want to|cannot|can't|am not going to) "
    r"(?:go into|discuss|talk about|comment|elaborate|get into|speak to|preview)\b|\bI am not (?:divulging|revealing|disclosing) any\b",
    re.I,
)
# A speaker's courtesies and hopes: "I appreciate you being here.", "We are hopeful to have good news."
_COURTESY = re.compile(
    r"^(?:(?:good )?(?:morning|afternoon|evening)\b|thank you\b|thanks\b|welcome\b|"
    r"(?:I|we)\s+(?:\w+ )?(?:appreciate|thank|welcome|look forward|am here for|are here for|am happy to|am glad to|"
    r"am pleased to|are pleased to|(?:am|are) hopeful|hope (?:to|that|we))\b)",
    re.I,
)
_ADDRESSED = re.compile(r"\byou(?:r|rs)?\b|^(?:\[(?:\.\.\.|…)\]\s*)?(?:next|now|so|okay|ok|all right|alright),", re.I)
_ADDRESSED_START = re.compile(r"(?:\[(?:\.\.\.|…)\]\s*)?(?:next|now|so|okay|ok|all right|alright),", re.I)


def _addressed(text: str) -> bool:
    """The audience addressed ("you") or a speaker's turn ("Next, …"), as _ADDRESSED finds."""
    return bool(_ADDRESSED_START.match(text)) or ("you" in text.lower() and bool(_ADDRESSED.search(text)))
_FRAGMENT_END = re.compile(r"(?:\.\.\.|…)[\"'”’]?$")
_HAS_DIGIT = re.compile(r"\d")


def _is_question(text: str) -> bool:
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    if not stripped.endswith("?"):
        return False
    # "He said to them: 'Why are you sitting idly by?'" reports a question; it is not one.
    return not (text.rstrip()[-1:] in _CLOSERS and _QUOTED_SPEECH.search(text))


def has_named_or_counted(text: str, entity_count: int = 0) -> bool:
    if entity_count or _HAS_DIGIT.search(text):
        return True
    words = text.split()
    return any(w[:1].isupper() and w not in {"I", "I'm", "I've"} for w in words[1:])


def rejection(text: str, *, entity_count: int = 0) -> str | None:
    """Why `text` is not a candidate claim ("question", "call-to-action", "meta", "rhetoric",
    "fragment"), or None when it may assert something checkable."""
    words = text.split()
    if _is_question(text):
        return "question"
    if is_call_to_action(text):
        return "call-to-action"
    if is_meta(text):
        return "meta"
    plain = text.replace("’", "'")
    if _REFUSAL.search(plain) or _COURTESY.search(plain):
        return "rhetoric"
    if _addressed(plain) and not entity_count and not _HAS_DIGIT.search(text) \
            and not re.search(r"[\"“”‘]|:\s*'", text):  # "you" inside a quotation is the quoted speaker's
        return "rhetoric"  # a speaker talking to the audience: "we should have some graphics for you"
    if len(words) < 4:
        return "fragment"
    if _FRAGMENT_END.search(text) and len(words) < 8:
        return "fragment"
    if _EMPTY_EVALUATION.match(text) and not has_named_or_counted(text, entity_count):
        return "rhetoric"
    if len(words) < 6 and not has_named_or_counted(text, entity_count):
        return "rhetoric"
    return None


# Frames that wrap a claim in commentary: "X is crucial for understanding how <claim>".
_FRAME = re.compile(
    r"\b(?:essential|crucial|key|vital|important|critical|paramount|central|necessary|fundamental) "
    r"(?:for|to|in) (?:understanding|comprehending|grasping|appreciating|explaining) (?:how|why|that|whether) ",
    re.I,
)
_CLAUSE_SPLIT = re.compile(r",\s+|;\s+|\s+[–—]\s+")
_LEADING_LINK = re.compile(
    r"(?:and|but|or|while|whereas|thus|directly|clearly|further|also|\s)*"
    r"(?:(?:demonstrating|indicating|showing|suggesting|signal(?:l)?ing|highlighting|underscoring|proving|"
    r"confirming|revealing|meaning)\s+(?:that\s+)?)?",
    re.I,
)
MIN_SALVAGED_WORDS = 6


def salvage(text: str, *, entity_counter=None) -> list[tuple[int, int]]:
    """Clauses of a meta sentence that still assert something: the claim inside a frame
    ("… is crucial for understanding how Hamas has managed to …"), or the comma-separated
    clauses around the meta-text ("…, demonstrating that its leadership was present in Iran").
    Offsets are within `text`; each clause passes `rejection` on its own."""
    count = entity_counter or (lambda _text: 0)
    found: list[tuple[int, int]] = []
    frame = _FRAME.search(text)
    if frame:
        found.append((frame.end(), len(text)))
    else:
        meta = [m.span() for m in _META.finditer(text)]
        pieces, at = [], 0
        for m in _CLAUSE_SPLIT.finditer(text):
            pieces.append((at, m.start()))
            at = m.end()
        pieces.append((at, len(text)))
        run: list[tuple[int, int]] = []
        for piece in pieces + [None]:
            clean = piece is not None and not any(s < piece[1] and piece[0] < e for s, e in meta)
            if clean:
                run.append(piece)
                continue
            if run:
                found.append((run[0][0], run[-1][1]))
            run = []
    kept = []
    for start, end in found:
        lead = _LEADING_LINK.match(text, start, end)
        if lead:
            start = lead.end()
        while end > start and text[end - 1] in " ,;.":
            end -= 1
        clause = text[start:end]
        if len(clause.split()) < MIN_SALVAGED_WORDS:
            continue
        if rejection(clause, entity_count=count(clause)) or not has_named_or_counted(clause, count(clause)):
            continue
        kept.append((start, end))
    return kept
