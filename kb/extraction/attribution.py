"""Who a sentence says said it, and whether it hedges.

Attribution: "according to X", "X said / stated / reported ... ", "said X", "a report by X",
"citing X". An attribution is anonymous when its head is a source, official or report and no
one is named ("an Israeli security source", "a report", "officials"). Hedging: wording that
reports without vouching ("reportedly", "it has been alleged", "may", "suggests").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_SPEECH_VERBS = (
    r"said|says|stated|states|told|tells|claimed|claims|reported|reports|announced|asserted|asserts|"
    r"admitted|admits|confirmed|confirms|warned|warns|wrote|writes|argued|argues|alleged|alleges|"
    r"insisted|acknowledged|acknowledges|denied|denies|testified|noted|notes|added|explained|"
    r"maintained|revealed|disclosed|estimated|estimates|declared|declares|announces"
)
_AUX = r"(?:(?:has|have|had|also|later|already|repeatedly|publicly|previously|reportedly|once)\s+)*"
_SAID = re.compile(rf"\b{_AUX}(?P<verb>{_SPEECH_VERBS})\b")
_END = r"(?=\s*[,;:()]|\s*[.!?]?[\"”’]?\s*$|\s+(?:that|who|which|said|says)\b)"
_ACCORDING = re.compile(rf"\b[Aa]ccording to\s+(?P<who>[^,;:()]+?){_END}")
_REPORT_BY = re.compile(
    rf"\b(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){{0,3}}(?:report|study|investigation|analysis|assessment|statement|"
    rf"documents?|survey|estimate)\s+(?:by|from|of)\s+(?P<who>(?:the\s+)?[A-Z][^,;:()]*?){_END}"
)
_REPORTED_BY = re.compile(
    rf"\b(?:as\s+)?(?:reported|stated|claimed|confirmed|announced)\s+by\s+(?P<who>(?:the\s+)?[A-Z][^,;:()]*?){_END}"
)
_CITING = re.compile(rf"\b[Cc]iting\s+(?P<who>[^,;:()]+?){_END}")
_SAID_WHO = re.compile(
    r"[,\"”’]\s*(?:said|says|wrote|told|added)\s+(?P<who>(?:the\s+)?(?:[A-Z][\w.'’-]*|of|the|for)(?:\s+(?:[A-Z][\w.'’-]*|of|the|for))*)"
)
# Leading adverbials that are not part of a speaker's name.
_LEADING_DATE = re.compile(
    r"^(?:(?:In|On|During|By|As of|As early as|Since|Early|Late|Mid)\s+(?:(?:the\s+)?(?:early|mid|late)[\s-]+)?"
    r"(?:(?:\d{1,2}\s+)?[A-Z][a-z]+\.?\s+)?(?:\d{1,2},?\s+)?\d{4}s?\b,?\s*)"
)
_LEADING_PHRASE = re.compile(
    r"^(?:In|On|During|After|Following|Before|At|Since|When|While|Although|Though|As|Later|Earlier|Meanwhile|"
    r"However|Moreover|Furthermore|Also|Then|Thus|Yet|But|And)\b[^,]*,\s*"
)
_ANONYMOUS_HEADS = re.compile(
    r"\b(?:sources?|officials?|insiders?|reports?|diplomats?|analysts?|experts?|observers?|witness(?:es)?|"
    r"people|persons?|spokesm[ae]n|aides?|documents?|intelligence|someone|media|outlets?|accounts?)\b",
    re.I,
)
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:i|ian|ean|an|ese|ish|ic)$")
_FUNCTION_CAPS = {"A", "An", "The", "This", "That", "These", "Those", "Some", "One", "Two", "Several", "I"}
_SUBJECT_NOUNS = {
    "officials", "official", "sources", "source", "spokesman", "spokeswoman", "spokesperson", "ministry",
    "government", "military", "army", "police", "group", "agency", "newspaper", "statement", "study", "report",
    "he", "she", "they", "analysts", "experts", "diplomats", "witnesses", "residents", "authorities", "leaders",
    "commander", "minister", "president", "researchers", "investigators", "prosecutors", "media",
    "analyst", "expert", "diplomat", "witness", "researcher", "journalist", "reporter", "correspondent",
    "observer", "aide", "insider", "observers", "aides", "insiders",
}
_SUBORDINATORS = re.compile(r"^(?:While|Although|Though|As|When|If|Because|Since|Whereas|After|Before|Once)\s+")
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "this", "that", "which", "who", "there", "these",
             "those", "some", "many", "others", "one"}


@dataclass(frozen=True)
class Attribution:
    who: str
    cue: str  # according-to | said | report-by | citing | inherited
    anonymous: bool


def _names_someone(phrase: str, named_entities: set[str] = frozenset()) -> bool:
    """Does the phrase name a person or body? A capitalised word counts unless it is a
    nationality adjective before a common noun ("an Israeli security source")."""
    if any(name in phrase for name in named_entities):
        return True
    tokens = re.findall(r"[\w'’.-]+", phrase)
    for index, token in enumerate(tokens):
        if not token[:1].isupper() or token in _FUNCTION_CAPS:
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if _DEMONYM.match(token) and following[:1].islower():
            continue
        return True
    return False


def _is_anonymous(who: str, named_entities: set[str] = frozenset()) -> bool:
    return bool(_ANONYMOUS_HEADS.search(who)) and not _names_someone(who, named_entities)


def _clean_who(who: str) -> str:
    who = re.sub(r"\s+", " ", who).strip(" ,;:\"“”'‘’")
    return who[:300]


def _subject_before(text: str, position: int, verb_end: int) -> str | None:
    """The noun phrase before a speech verb: the clause start up to the verb, minus leading
    adverbials ("In 2021", "During the war,"); after the last comma when the verb ends the
    sentence ("The attack was planned, officials said.")."""
    head = text[:position]
    if not text[verb_end:].strip(" .!?\"”’'") and "," in head:
        head = head[head.rfind(",") + 1 :]
    clause_start = max(head.rfind(";"), head.rfind(":"), head.rfind("—"))
    head = head[clause_start + 1 :] if clause_start >= 0 else head
    head = head.strip()
    for _ in range(3):
        trimmed = _LEADING_PHRASE.sub("", _LEADING_DATE.sub("", head)).strip()
        if trimmed == head:
            break
        head = trimmed
    # "…, the commander, X said" keeps the appositive; a subordinate clause before it does not.
    if re.search(r"\b(?:that|which|who|what|because|if|when|after|while)\b", head):
        head = re.split(r"\b(?:that|which|who|what|because|if|when|after|while)\b", head)[-1].strip(" ,")
    head = _SUBORDINATORS.sub("", head).strip(" ,[]")
    words = head.split()
    if not words or len(words) > 18:
        return None
    last = words[-1].strip(",;:[]()\"'“”’")
    # The word before the verb must be a name or a speaker noun: "international reports" is no speaker.
    if not any(c.isupper() for c in last) and last.lower() not in _SUBJECT_NOUNS:
        return None
    if words[0].lower() in _PRONOUNS and len(words) == 1:
        return None
    if not any(w[:1].isupper() for w in words) and not _ANONYMOUS_HEADS.search(head):
        return None
    return head


def find_attribution(text: str, named_entities: set[str] = frozenset()) -> Attribution | None:
    """The first attribution in a sentence, or None."""
    found: list[tuple[int, Attribution]] = []
    for m in _ACCORDING.finditer(text):
        who = _clean_who(m.group("who"))
        if who:
            found.append((m.start(), Attribution(who, "according-to", _is_anonymous(who, named_entities))))
    for pattern, cue in ((_REPORT_BY, "report-by"), (_REPORTED_BY, "report-by"), (_CITING, "citing"),
                         (_SAID_WHO, "said")):
        for m in pattern.finditer(text):
            who = _clean_who(m.group("who"))
            if who and len(who.split()) <= 15:
                found.append((m.start(), Attribution(who, cue, _is_anonymous(who, named_entities))))
    for m in _SAID.finditer(text):
        if re.search(r"\b(?:not|never|n't)\s*$", text[: m.start()]):
            continue
        subject = _subject_before(text, m.start(), m.end())
        if subject:
            who = _clean_who(subject)
            found.append((m.start(), Attribution(who, "said", _is_anonymous(who, named_entities))))
            break
    if not found:
        return None
    found.sort(key=lambda item: item[0])
    return found[0][1]


_HEDGES = [
    re.compile(r"\b(?:reportedly|allegedly|purportedly|supposedly|apparently|ostensibly|rumou?red|"
               r"unconfirmed|unverified|possibly|perhaps|presumably|probably|likely|unlikely)\b", re.I),
    re.compile(r"\bit (?:has been|had been|is|was|has|is being) (?:widely )?(?:alleged|claimed|reported|said|"
               r"rumou?red|believed|thought|suggested|suspected|speculated)\b", re.I),
    re.compile(r"\b(?:is|are|was|were|been) (?:widely )?(?:believed|thought|said|reported|alleged|suspected|"
               r"rumou?red|understood|claimed) to\b", re.I),
    re.compile(r"\b[Aa]ccording to (?:a|an|one|some|several|unnamed|anonymous|multiple)\b(?:\s+[\w-]+){0,3}?\s+"
               r"(?:sources?|officials?|insiders?|reports?|people|diplomats?|accounts?)\b"
               r"(?!\s+(?:by|from|of|in|at)\s+(?:the\s+)?[A-Z])"),
    re.compile(r"\b(?:alleged|claimed|suspected)\b", re.I),
    re.compile(r"\b(?:may|might)\b(?!\s+(?:have\s+)?(?:not\s+)?be\s+(?:no|little)\b)"),
    re.compile(r"\bcould\b(?!\s+not\b)", re.I),
    re.compile(r"\b(?:suggests?|suggested|suggesting)\b", re.I),
    re.compile(r"\b(?:appears?|appeared|seems?|seemed) to\b", re.I),
    re.compile(r"\b(?:remains?|is|was) (?:unclear|uncertain|disputed|a subject of (?:intense )?debate)\b", re.I),
]


def hedges(text: str) -> list[str]:
    """Hedging cues in a sentence, in order, each once."""
    cues: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _HEDGES:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            cues.append((m.start(), m.group().lower()))
    return list(dict.fromkeys(cue for _, cue in sorted(cues)))
