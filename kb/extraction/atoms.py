"""Compound sentences cut into atomic claims, each quoting its own contiguous part.

Word rules, no parser. A sentence is cut:
- before a coordinated predicate: "It supports X and rejects Y", "Israel declared war and
  mobilized 350,000 reservists", "… was recorded …, and was eventually arrested …";
- before a coordinated clause with its own subject and verb: "Two people were wounded and a home
  was damaged", "…, but we are not there yet", "…, as well as nearly 6,000 rockets were fired";
- after a leading subordinate clause: "After Israel withdrew from Gaza in 2005, Hamas seized …";
- before a sentence-final non-restrictive clause: "…, which it has controlled since 2007",
  "…, principally because …", "…, while also allowing …";
- at a dash that opens a clause: "… hostage—more than 100 of whom were released in November".
Every part keeps at least MIN_WORDS words, or the sentence stays whole. A part that starts with
its verb gets the sentence's subject in its statement ("It rejects a two-state solution."); its
quote stays the exact words of the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MIN_WORDS = 3

_AUX = {"is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "may", "might",
        "should", "did", "does", "do", "remains", "remain"}
_IRREGULAR = {"took", "led", "made", "gave", "sent", "held", "met", "won", "lost", "began", "became", "fled",
              "fought", "left", "paid", "sold", "told", "brought", "built", "came", "went", "kept", "saw",
              "spent", "struck", "hit", "ran", "rose", "fell", "grew", "drew", "threw", "wrote", "spoke", "said",
              "found", "sought", "bought", "caught", "taught", "thought", "stood", "sat", "laid", "put", "cut",
              "shot", "set", "let", "chose", "drove", "broke", "froze", "stole", "hid", "bit", "lit", "burst",
              "withdrew", "overthrew", "arose", "rode", "fled", "dealt", "meant", "felt", "heard", "sank"}
_OBJECT_START = {"the", "a", "an", "its", "his", "her", "their", "our", "to", "in", "on", "by", "from", "with",
                 "that", "de", "itself", "himself", "herself", "themselves", "for", "into", "at", "as", "of",
                 "up", "out", "down", "over", "war", "some", "more", "nearly", "about", "around", "several",
                 "no", "all", "both", "each", "any", "this", "these", "those", "it", "them", "him"}
_DETERMINERS = {"the", "a", "an", "some", "many", "most", "several", "two", "three", "four", "five", "its",
                "his", "her", "their", "our", "nearly", "more", "about", "around", "over", "at", "this", "these",
                "those", "we", "they", "he", "she", "it", "i", "there"}
_SUBORDINATE_START = re.compile(
    r"^(?:After|Although|Though|Even as|Even though|While|Whereas|Because|Once|Before|When|Since|Until)\b")
_FINAL_CLAUSE = re.compile(
    r",\s+(?=(?:which|who|principally because|partly because|mainly because|because|while also|while|"
    r"whereas|although|though)\s)")
_DASH_CLAUSE = re.compile(r"\s*[—–]\s*(?=\S)")
_WORD = re.compile(r"[A-Za-z][\w’'-]*|\d[\d,.]*")


@dataclass(frozen=True)
class Atom:
    start: int  # offsets within the sentence
    end: int
    subject: str = ""  # the sentence's subject, when the part starts with its verb


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_verb(word: str, following: str) -> bool:
    w = word.lower()
    if w in _AUX or w in _IRREGULAR:
        return True
    nxt = following.lower()
    if w.endswith("ed") and len(w) > 4:
        return nxt in _OBJECT_START or nxt[:1].isdigit() or nxt in _AUX
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:  # "rejects a", not "photos of"
        return (nxt in _OBJECT_START and nxt not in ("of", "as", "for", "and")) or nxt[:1].isdigit()
    return False


def _has_finite_verb(text: str) -> bool:
    """An auxiliary, a common irregular past or a lower-case word in -ed ("United" is a name)."""
    for index, word in enumerate(_words(text)):
        if word.lower() in _AUX or word in _IRREGULAR or (
            word[:1].islower() and word.endswith("ed") and len(word) > 4 and index > 0
        ):
            return True
    return False


def _predicate_after(text: str, at: int) -> bool:
    """Does text[at:] open with a verb (a coordinated predicate)?"""
    words = _words(text[at:])
    if len(words) < 2 or not words[0][:1].islower():
        return False
    first, following = words[0], words[1]
    if first.lower() in ("also", "then", "later", "eventually", "subsequently") and len(words) > 2:
        first, following = words[1], words[2]
    return _is_verb(first, following)


def _clause_after(text: str, at: int) -> bool:
    """Does text[at:] open a clause with its own subject ("a civilian home was damaged")?"""
    words = _words(text[at:])[:7]
    if len(words) < 3:
        return False
    if not (words[0].lower() in _DETERMINERS or words[0][:1].isupper() or words[0][:1].isdigit()):
        return False
    return any(w.lower() in _AUX or w in _IRREGULAR or (w[:1].islower() and w.endswith("ed") and len(w) > 4)
               for w in words[1:])


def _enough(text: str, start: int, end: int) -> bool:
    return len(_words(text[start:end])) >= MIN_WORDS


def _subject(text: str) -> str:
    """The words before the first verb of a clause, if short: the subject a predicate part shares."""
    words = list(_WORD.finditer(text))
    for index, match in enumerate(words[:10]):
        following = words[index + 1].group() if index + 1 < len(words) else ""
        if index and match.group()[:1].islower() and _is_verb(match.group(), following):
            subject = text[: match.start()].strip(" ,")
            subject = re.sub(r"^(?:In|On|During|By|From|For|With|After|Since)\b[^,]*,\s*", "", subject)
            return subject if 0 < len(subject.split()) <= 8 else ""
    return ""


def split(sentence: str) -> list[Atom]:
    """The atomic parts of a sentence, in order (the whole sentence when it does not split)."""
    cuts: list[tuple[int, int, bool]] = []  # (end of the left part, start of the right part, predicate?)
    subordinate = _SUBORDINATE_START.match(sentence)
    if subordinate:
        comma = sentence.find(", ")
        if comma > 0 and _has_finite_verb(sentence[:comma]) and _enough(sentence, 0, comma):
            cuts.append((comma, comma + 2, False))
    for match in re.finditer(r"(?:,\s+|\s+)(?:and|but|as well as)\s+", sentence):
        left_end, right_start = match.start(), match.end()
        if _predicate_after(sentence, right_start):
            cuts.append((left_end, right_start, True))
        elif match.group().startswith(",") or "as well as" in match.group() or "but" in match.group():
            if _clause_after(sentence, right_start):
                cuts.append((left_end, right_start, False))
        elif _clause_after(sentence, right_start) and _has_finite_verb(sentence[:left_end]):
            words = _words(sentence[right_start:])
            if words and words[0].lower() in _DETERMINERS:
                cuts.append((left_end, right_start, False))
    for match in _FINAL_CLAUSE.finditer(sentence):
        if "," not in sentence[match.end():] or match.group().startswith(", which"):
            cuts.append((match.start(), match.end(), False))
    for match in _DASH_CLAUSE.finditer(sentence):
        if _clause_after(sentence, match.end()) or _predicate_after(sentence, match.end()):
            cuts.append((match.start(), match.end(), False))
    if not cuts:
        return [Atom(0, len(sentence))]
    cuts.sort()
    atoms: list[Atom] = []
    start, subject = 0, ""
    pending_predicate = False
    for left_end, right_start, predicate in cuts:
        if left_end <= start or not _enough(sentence, start, left_end) or not _enough(sentence, right_start, len(sentence)):
            continue
        atoms.append(Atom(start, left_end, subject if pending_predicate else ""))
        if predicate and not subject:
            subject = _subject(sentence[start:left_end])
        pending_predicate = predicate
        start = right_start
    if not atoms:
        return [Atom(0, len(sentence))]
    atoms.append(Atom(start, len(sentence), subject if pending_predicate else ""))
    return [_trim(sentence, atom) for atom in atoms]


def _trim(sentence: str, atom: Atom) -> Atom:
    start, end = atom.start, atom.end
    while end > start and sentence[end - 1] in " ,;:—–":
        end -= 1
    while start < end and sentence[start] in " ,;:—–":
        start += 1
    return Atom(start, end, atom.subject)


def statement(sentence: str, atom: Atom) -> str:
    """A part as a claim statement: the shared subject restored, a capital, a full stop."""
    text = " ".join(sentence[atom.start : atom.end].split())
    for lead in ("which ", "who ", "while also ", "while ", "whereas ", "although ", "though "):
        if text.lower().startswith(lead):
            break
    if atom.subject:
        text = f"{atom.subject} {text}"
    text = text[:1].upper() + text[1:]
    if text[-1:] not in ".!?\"”’":
        text += "."
    return text
