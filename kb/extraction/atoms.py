"""Compound sentences cut into atomic claims, each quoting its own contiguous part.

Word rules, no parser. A sentence is cut:
- before a coordinated predicate: "It supports X and rejects Y", "Israel declared war and
  mobilized 350,000 reservists", "… was recorded …, and was eventually arrested …";
- before a coordinated clause with its own subject and verb: "Two people were wounded and a home
  was damaged", "…, but we are not there yet", "…, as well as nearly 6,000 rockets were fired";
- after a leading subordinate clause: "After Israel withdrew from Gaza in 2005, Hamas seized …";
- before a sentence-final non-restrictive clause: "…, which it has controlled since 2007",
  "…, principally because …", "…, while also allowing …";
- at a dash that opens a clause: "… hostage—more than 100 of whom were released in November";
- before a final subordinate clause with its own subject and verb, with or without a comma:
  "… was based in Oslo until it was closed in 2002", "… grew in 2014 as support from abroad grew",
  or a participle: "… while serving as a conduit";
- before a relative clause whose verb follows "that": "… an assault that killed 40 people";
- between sentences inside a quotation: 'She said: "The dam is safe. Nobody will move."';
- before a coordinated part with a date of its own: "… banned in May 2001, and as a party in 2005".
Every part keeps at least MIN_WORDS words, or the sentence stays whole. A part that starts with
its verb gets the sentence's subject in its statement ("It rejects a two-state solution."); its
quote stays the exact words of the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kb.text.sentences import sentences

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
# ", as we are with …", ", as detailed in …": a final clause of its own (not "as reported by X").
_AS_CLAUSE = re.compile(
    r",\s+(?=as\s+(?:we|they|he|she|it|I)\s|as\s+(?:detailed|outlined|set out|defined|required|provided|specified)"
    r"\s+(?:in|by|under)\b)")
_SUBORDINATOR = re.compile(
    r"(?:,\s+|\s+)(?=(?P<word>after|before|until|because|once|when|while|whereas|although|though|as)\s+)")
_NOT_AFTER_AS = {"a", "an", "well", "part", "such", "if", "to", "many", "much", "long", "far", "soon", "though",
                 "for", "in", "of", "with", "opposed", "follows", "usual", "expected", "reported", "described",
                 "detailed", "noted", "said", "stated", "of", "at", "on", "its", "his", "her", "their"}
_MODALS = {"will", "would", "can", "could", "may", "might", "should"}
_PARTICIPLE_NEXT = {"in", "by", "at", "on", "from", "under", "with", "for", "to", "as", "into"}
_RELATIVE_THAT = re.compile(r"\s+(?=that\s+[a-z])")
# A "that" after these opens a complement ("said that …", "so that …"), not a relative clause.
_COMPLEMENT_BEFORE = {
    "so", "such", "now", "given", "except", "than", "said", "says", "say", "noted", "notes", "believe", "believed",
    "believes", "argued", "argues", "claimed", "claims", "reported", "reports", "stated", "states", "warned",
    "added", "think", "thought", "know", "knew", "known", "show", "showed", "shows", "shown", "found", "suggest",
    "suggests", "suggested", "indicate", "indicated", "indicates", "mean", "means", "meant", "is", "was", "are",
    "were", "fact", "clear", "likely", "ensure", "ensured", "announced", "confirmed", "insisted", "estimated",
}
_DATED_COORDINATION = re.compile(r",\s+and\s+(?=(?:as|in|on|to|for|again|later|then|by)\b)")
_YEAR = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)\b")
_WORD = re.compile(r"[A-Za-z][\w’'-]*|\d[\d,.]*")


@dataclass(frozen=True)
class Atom:
    start: int  # offsets within the sentence
    end: int
    subject: str = ""  # the subject to restore: the sentence's, or a relative clause's antecedent
    drop: str = ""  # a lead word the statement leaves out ("that", "until")


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


def _finite_in(words: list[str], start: int = 0, stop: int | None = None) -> bool:
    """An auxiliary, a common irregular past, or a lower-case -ed word that is not a participle
    before its complement ("signed in 2020"), among words[start:stop]."""
    for index in range(start, len(words) if stop is None else min(stop, len(words))):
        word = words[index]
        lower = word.lower()
        if lower in _AUX or word in _IRREGULAR:
            return True
        if word[:1].islower() and lower.endswith("ed") and len(word) > 4:
            following = words[index + 1].lower() if index + 1 < len(words) else ""
            if following not in _PARTICIPLE_NEXT:
                return True
    return False


def _subordinate_after(sentence: str, at: int, word: str) -> bool:
    """Does sentence[at:] (starting with the subordinator `word`) open a clause of its own: a
    subject and a finite verb before the next comma, or (after while, after, before, when, since,
    once) a participle ("while serving as …")?"""
    rest = sentence[at + len(word):].lstrip()
    words = _words(rest.split(",")[0])[:7]
    if len(words) < 2:
        return False
    first = words[0]
    if first.lower() == "also" and len(words) > 2:
        first, words = words[1], words[1:]
    if word != "as" and word != "because" and first[:1].islower() and first.endswith("ing") and len(first) > 5:
        return True
    if word == "as" and first.lower() in _NOT_AFTER_AS:
        return False
    if first[:1].islower() and _is_verb(first, words[1]):
        return False
    return _finite_in(words, 1, 6)


def _relative_verb_after(sentence: str, at: int) -> bool:
    """Does "that" at `at` open a relative clause whose verb follows it ("that killed 40 people")?"""
    words = _words(sentence[at:])[1:3]
    if not words or not words[0][:1].islower():
        return False
    word, following = words[0].lower(), (words[1] if len(words) > 1 else "")
    # not a modal: "a plan that would end the war" proposes, it does not state
    return (word in _AUX and word not in _MODALS) or word in _IRREGULAR or (
        word.endswith("ed") and len(word) > 4 and following.lower() not in _PARTICIPLE_NEXT)


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
    # (end of the left part, start of the right part, predicate?, kind of part it opens)
    cuts: list[tuple[int, int, bool, str]] = []
    subordinate = _SUBORDINATE_START.match(sentence)
    if subordinate:
        comma = sentence.find(", ")
        if comma > 0 and _has_finite_verb(sentence[:comma]) and _enough(sentence, 0, comma):
            cuts.append((comma, comma + 2, False, ""))
    for match in re.finditer(r"(?:,\s+|\s+)(?:and|but|as well as)\s+", sentence):
        left_end, right_start = match.start(), match.end()
        if _predicate_after(sentence, right_start):
            cuts.append((left_end, right_start, True, ""))
        elif match.group().startswith(",") or "as well as" in match.group() or "but" in match.group():
            if _clause_after(sentence, right_start):
                cuts.append((left_end, right_start, False, ""))
        elif _clause_after(sentence, right_start) and _has_finite_verb(sentence[:left_end]):
            words = _words(sentence[right_start:])
            if words and words[0].lower() in _DETERMINERS:
                cuts.append((left_end, right_start, False, ""))
    for match in _FINAL_CLAUSE.finditer(sentence):
        if "," not in sentence[match.end():] or match.group().startswith(", which"):
            relative = sentence.startswith(("which", "who"), match.end())
            cuts.append((match.start(), match.end(), False, "relative" if relative else "subordinate"))
    for match in _DASH_CLAUSE.finditer(sentence):
        if _clause_after(sentence, match.end()) or _predicate_after(sentence, match.end()):
            cuts.append((match.start(), match.end(), False, ""))
    for match in _AS_CLAUSE.finditer(sentence):
        if "," not in sentence[match.end():]:
            cuts.append((match.start(), match.end(), False, ""))
    for match in _SUBORDINATOR.finditer(sentence):
        if match.start() > 0 and _subordinate_after(sentence, match.end(), match.group("word")) \
                and _finite_in(_words(sentence[: match.start()])):
            cuts.append((match.start(), match.end(), False, "subordinate"))
    for match in _RELATIVE_THAT.finditer(sentence):
        before = _words(sentence[: match.start()])
        if before and before[-1].lower() not in _COMPLEMENT_BEFORE and _relative_verb_after(sentence, match.end()) \
                and _finite_in(before):
            cuts.append((match.start(), match.end(), False, "relative"))
    for match in _DATED_COORDINATION.finditer(sentence):
        if _YEAR.search(sentence, 0, match.start()) and _YEAR.search(sentence, match.end()):
            cuts.append((match.start(), match.end(), False, "dated"))
    if "“" in sentence or '"' in sentence:  # the sentences of a quotation, each its own claim
        spans = sentences(sentence, 0, len(sentence), quotations=False)
        cuts.extend((left[1], right[0], False, "") for left, right in zip(spans, spans[1:]))
    if not cuts:
        return [Atom(0, len(sentence))]
    cuts = sorted(set(cuts), key=lambda cut: (cut[0], -cut[1]))
    atoms: list[Atom] = []
    start, subject = 0, ""
    opened: tuple[str, str] = ("", "")  # (subject, dropped lead word) of the current part
    for left_end, right_start, predicate, kind in cuts:
        if left_end <= start or not _enough(sentence, start, left_end) or not _enough(sentence, right_start, len(sentence)):
            continue
        atoms.append(Atom(start, left_end, *opened))
        if predicate and not subject:
            # "… an assault that killed 40 people and took 12 hostages": the assault took them
            subject = opened[0] if opened[1] in ("that", "which", "who") and opened[0] else \
                _subject(sentence[start:left_end]) or _subject(sentence[:left_end])
        opened = (subject, "") if predicate else _opening(sentence, kind, left_end, right_start)
        start = right_start
    if not atoms:
        return [Atom(0, len(sentence))]
    atoms.append(Atom(start, len(sentence), *opened))
    return [_trim(sentence, atom) for atom in atoms]


def _opening(sentence: str, kind: str, left_end: int, right_start: int) -> tuple[str, str]:
    """The subject to restore and the lead word to drop in the statement of a part that a cut of
    this kind opens: a relative clause gets its antecedent ("that killed 40 people" -> "The
    assault killed 40 people"), a subordinate clause with its own subject loses its
    conjunction ("until it was closed in 2002" -> "It was closed in 2002"), a dated coordinated
    part gets the frame it shares ("…, and as a party in 2005" -> "The ministry banned the group
    as a party in 2005")."""
    lead = (_words(sentence[right_start:]) or [""])[0]
    if kind == "relative":
        following = (_words(sentence[right_start:])[1:3] + ["", ""])[:2]
        if not _relative_verb_after(sentence, right_start) and not (
                following[0].lower() in _ADVERBS and following[1].lower() in _AUX):
            return "", ""  # "which it has controlled": the antecedent is its object, not its subject
        # after a comma ("…, which …") the nearest phrase; a restrictive "that" may complete a
        # longer one ("an offensive against the capital that displaced …")
        return _antecedent(sentence[:left_end], extend="," not in sentence[left_end:right_start]), lead.lower()
    if kind == "subordinate" and lead.lower() == "as":
        return "", ""  # "as we are with …" leans on the clause before it
    if kind == "subordinate":
        following = (_words(sentence[right_start:])[1:2] or [""])[0]
        if following.lower() == "also" or (following.endswith("ing") and following[:1].islower()):
            return "", ""  # a participle ("while serving as …") has no subject of its own
        return "", lead.lower()
    if kind == "dated":
        frame = re.search(rf"\s{re.escape(lead)}\s", sentence[:left_end])
        return (sentence[: frame.start()].strip(), "") if frame and lead.lower() in ("as", "in", "on", "to", "for", "by") \
            else ("", "")
    return "", ""


_ADVERBS = {"also", "now", "still", "since", "then", "later", "reportedly", "allegedly", "currently"}
_NP_DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "our", "this", "these", "those", "some"}
_PREPOSITIONS = {"of", "in", "on", "at", "to", "from", "by", "with", "against", "for", "into", "out", "over",
                 "under", "about", "through", "during", "after", "before", "since", "as"}


def _determiner_before(text: str, words: list, preposition: int) -> int | None:
    """The index of a determiner at most three plain words before the preposition at
    `preposition` ("an offensive against"), or None."""
    for back in range(preposition - 1, max(preposition - 4, -1), -1):
        word = words[back].group()
        if "," in text[words[back].end() : words[back + 1].start()]:
            return None
        if word.lower() in _NP_DETERMINERS:
            return back
        if word.lower() in _PREPOSITIONS or word.lower() in _AUX or word in _IRREGULAR or (
                word[:1].islower() and word.endswith("ed")):
            return None
    return None


def _trailing_name(text: str, words: list) -> str:
    """The capitalised name that ends `text`, with its article ("the Government of Qatar")."""
    first = len(words) - 1
    while first > 0 and "," not in text[words[first - 1].end() : words[first].start()]:
        previous = words[first - 1].group()
        if previous[:1].isupper() and previous.lower() not in _NP_DETERMINERS:
            first -= 1
        elif previous.lower() in ("of", "for", "and") and first > 1 and words[first - 2].group()[:1].isupper():
            first -= 1
        else:
            break
    if first > 0 and words[first - 1].group().lower() == "the" and \
            "," not in text[words[first - 1].end() : words[first].start()]:
        first -= 1
    return text[words[first].start() :].strip(" ,")


def _antecedent(text: str, extend: bool = True) -> str:
    """The noun phrase that ends `text` ("… led a surprise assault against Israel" -> "a surprise
    assault against Israel"): back to its determiner, through a participle that modifies it
    ("an organisation founded in Egypt in 1928"); "" when no determiner is found near."""
    words = list(_WORD.finditer(text))
    if not extend and words and words[-1].group()[:1].isupper():
        return _trailing_name(text, words)
    for back in range(len(words) - 1, max(len(words) - 12, -1), -1):
        word = words[back].group()
        between = text[words[back].end() : words[back + 1].start()] if back + 1 < len(words) else ""
        if "," in between or ";" in between:
            return ""
        if word.lower() in _NP_DETERMINERS:
            before = words[back - 1] if back > 0 else None
            gap = text[before.end() : words[back].start()] if before else ""
            if extend and before is not None and before.group().lower() in _PREPOSITIONS and "," not in gap:
                # "an offensive against the capital": the phrase the preposition completes
                head = _determiner_before(text, words, back - 1)
                if head is not None:
                    return text[words[head].start() :].strip(" ,")
            if before is None or "," in gap or before.group().lower() in _PREPOSITIONS or \
                    _is_verb(before.group(), word) or before.group().lower() in _AUX:
                return text[words[back].start() :].strip(" ,")
        elif back < len(words) - 1 and word[:1].islower() and (word.lower() in _AUX or word in _IRREGULAR):
            return ""  # reached the verb without a determiner
    return ""


def _trim(sentence: str, atom: Atom) -> Atom:
    start, end = atom.start, atom.end
    while end > start and sentence[end - 1] in " ,;:—–":
        end -= 1
    while start < end and sentence[start] in " ,;:—–":
        start += 1
    return Atom(start, end, atom.subject, atom.drop)


def statement(sentence: str, atom: Atom) -> str:
    """A part as a claim statement: the lead word dropped and the subject restored where the
    part needs them, a capital, a full stop."""
    text = " ".join(sentence[atom.start : atom.end].split())
    if atom.drop and text.lower().startswith(atom.drop + " ") and (atom.subject or atom.drop not in ("that", "which", "who")):
        text = text[len(atom.drop) + 1 :]
    if atom.subject:
        text = f"{atom.subject} {text}"
    text = text[:1].upper() + text[1:]
    if text[-1:] not in ".!?\"”’":
        text += "."
    return text
