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
    r"maintained|revealed|disclosed|estimated|estimates|declared|declares|announces|"
    r"emphasi[sz]ed|emphasi[sz]es|stressed|stresses|underlined|underscored|explains|indicated|indicates|indicate|"
    r"suggested|suggests|claim|say|report|showed|shows|considered|observed|observes|recalled|recalls|"
    r"cautioned|predicted|concluded|concludes|found|finds|went on to say|continued|pointed out|points out"
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
    r"[,\"”’]\s*(?:said|says|wrote|told|added|noted|stressed|emphasi[sz]ed|explained|continued)\s+"
    r"(?P<who>(?:the\s+)?(?:[A-Z][\w.'’-]*|of|the|for|and)(?:\s+(?:[A-Z][\w.'’-]*|of|the|for|and))*)"
)
# Quote then speaker with a pronoun: "“…,” he noted." The extractor resolves the pronoun to the
# last person named as a speaker.
_PRONOUN_SPEAKER = re.compile(
    r"[,\"”’]\s*(?P<who>he|she|they)\s+(?:said|says|noted|notes|added|adds|stressed|emphasi[sz]ed|explained|"
    r"continued|went on to say|told)\b"
)
# "In the minister's assessment", "Based on the indictment against X,", "confessions revealed".
_IN_ASSESSMENT = re.compile(
    r"\b[Ii]n (?P<who>(?:the\s+)?[\w .'’-]{2,60}?)['’]s? (?:assessment|view|opinion|estimation|analysis|account|words)\b"
)
_BASED_ON = re.compile(rf"\b(?:[Bb]ased on|[Aa]s (?:stated|reported|described) (?:in|by))\s+(?P<who>[^,;:()]+?){_END}")
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
    "governments", "lawmakers", "legislators", "release", "reports", "post", "blog", "article", "indictment",
    "documents", "confessions", "confession", "author", "authors", "records", "data", "estimates", "survey",
    "court", "judge", "department", "office", "council", "committee", "organization", "foundation", "militia",
    "paper", "magazine", "channel", "network", "outlet", "website", "spokesperson", "secretary", "ambassador",
    "envoy", "scholar", "historian", "professor", "scientist", "economist", "negotiators", "officers",
}
_SUBORDINATORS = re.compile(r"^(?:While|Although|Though|As|When|If|Because|Since|Whereas|After|Before|Once)\s+")
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "this", "that", "which", "who", "there", "these",
             "those", "some", "many", "others", "one"}


_ALWAYS_SPEECH = {
    "said", "says", "say", "stated", "states", "told", "tells", "wrote", "writes", "added", "noted", "notes",
    "claimed", "claims", "claim", "argued", "argues", "asserted", "asserts", "insisted", "explained", "explains",
    "emphasized", "emphasised", "emphasizes", "emphasises", "stressed", "stresses", "alleged", "alleges",
    "maintained", "indicate", "indicates", "indicated", "suggest", "suggests", "suggested", "went on to say",
    "continued", "pointed out", "points out", "observed", "observes", "cautioned", "testified", "acknowledged",
    "acknowledges", "admitted", "admits", "denied", "denies", "warned", "warns", "reported", "reports",
}
_SPEECH_FOLLOWS = re.compile(r"\s*(?:that\b|,|:|[\"“]|[.!?]?[\"”’]?\s*$|\s+(?:in|on) (?:a|an|its|his|her|their) "
                             r"(?:statement|report|interview|release))")
_ADJUNCT = re.compile(
    r"(?:(?:in|on|at|during|late|earlier|later|last|this|through|via|to reporters|to the press)\b[^,;\"“”]{0,60})"
    r"|,\s*according to [^;\"“”]{1,80}"
)


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
    tail = text[verb_end:].strip(" .!?\"”’'[]…")
    at_end = (not tail or _ADJUNCT.fullmatch(tail)) and "," in head
    if at_end:
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
    if "," in head:  # "In total, since the founding of X, recognized as Y, sources indicate": the last chunk
        last_chunk = head[head.rfind(",") + 1 :].strip()
        chunk_words = last_chunk.split()
        if 0 < len(chunk_words) <= 5 and chunk_words[-1].lower() in _SUBJECT_NOUNS \
                and chunk_words[0][:1].islower() and chunk_words[0].lower() not in ("a", "an", "the"):
            head = last_chunk
    words = head.split()
    if not words or len(words) > 18:
        return None
    if at_end and words[0].lower() in ("the", "a", "an") and len(words) <= 5:  # "…, the engineer said."
        return head
    last = words[-1].strip(",;:[]()\"'“”’")
    # The word before the verb must be a name or a speaker noun: "international reports" is no speaker.
    if not any(c.isupper() for c in last) and last.lower() not in _SUBJECT_NOUNS:
        return None
    if words[0].lower() in _PRONOUNS and len(words) == 1:
        return None
    if not any(w[:1].isupper() for w in words) and not _ANONYMOUS_HEADS.search(head) \
            and not (last.lower() in _SUBJECT_NOUNS and words[0].lower() in ("the", "a", "an") and len(words) <= 4):
        return None
    return head


# Each pattern with its cue and the words (lower case) it needs: a substring test first.
_WHO_VERBS = ("said", "says", "wrote", "told", "added", "adds", "noted", "notes", "stressed", "emphasi", "explained",
              "continued", "went on")
_WHO_PATTERNS = (
    (_REPORT_BY, "report-by", ("report", "study", "investigation", "analysis", "assessment", "statement", "document",
                               "survey", "estimate")),
    (_REPORTED_BY, "report-by", ("reported", "stated", "claimed", "confirmed", "announced")),
    (_CITING, "citing", ("citing",)),
    (_SAID_WHO, "said", _WHO_VERBS),
    (_PRONOUN_SPEAKER, "pronoun", _WHO_VERBS),
    (_IN_ASSESSMENT, "assessment", ("assessment", "view", "opinion", "estimation", "analysis", "account", "words")),
    (_BASED_ON, "based-on", ("based on", "as stated", "as reported", "as described")),
)


def find_attribution(text: str, named_entities: set[str] = frozenset()) -> Attribution | None:
    """The first attribution in a sentence, or None."""
    found: list[tuple[int, Attribution]] = []
    low = text.lower()
    for m in (_ACCORDING.finditer(text) if "according to" in low else ()):
        who = _clean_who(m.group("who"))
        if who:
            found.append((m.start(), Attribution(who, "according-to", _is_anonymous(who, named_entities))))
    for pattern, cue, needs in _WHO_PATTERNS:
        if not any(word in low for word in needs):
            continue
        for m in pattern.finditer(text):
            who = _clean_who(m.group("who"))
            if who and len(who.split()) <= 15:
                found.append((m.start(), Attribution(who, cue, _is_anonymous(who, named_entities))))
    for m in _SAID.finditer(text):
        if re.search(r"\b(?:not|never|n't)\s*$", text[: m.start()]):
            continue
        # "announced sanctions", "declared war": an act, not a statement; "announced that …" is one
        if m.group("verb") not in _ALWAYS_SPEECH and not _SPEECH_FOLLOWS.match(text, m.end()):
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


# Each cue with the words (lower case) it needs: a substring test skips the pattern on most sentences.
_HEDGES = [
    (re.compile(r"\b(?:reportedly|allegedly|purportedly|supposedly|apparently|ostensibly|rumou?red|"
               r"unconfirmed|unverified|possibly|perhaps|presumably|probably|likely|unlikely)\b", re.I),
     ("reported", "alleged", "purported", "suppos", "apparent", "ostensib", "rumo", "unconfirmed", "unverified", "possibl", "perhaps", "presumabl", "probabl", "likely")),
    (re.compile(r"\bit (?:has been|had been|is|was|has|is being) (?:widely )?(?:alleged|claimed|reported|said|"
               r"rumou?red|believed|thought|suggested|suspected|speculated)\b", re.I),
     ("it has", "it had", "it is", "it was")),
    (re.compile(r"\b(?:is|are|was|were|been) (?:widely )?(?:believed|thought|said|reported|alleged|suspected|"
               r"rumou?red|understood|claimed) to\b", re.I),
     (" to",)),
    (re.compile(r"\b[Aa]ccording to (?:a|an|one|some|several|unnamed|anonymous|multiple)\b(?:\s+[\w-]+){0,3}?\s+"
               r"(?:sources?|officials?|insiders?|reports?|people|diplomats?|accounts?)\b"
               r"(?!\s+(?:by|from|of|in|at)\s+(?:the\s+)?[A-Z])"),
     ("according to",)),
    (re.compile(r"\b(?:alleged|claimed|suspected)\b", re.I),
     ("alleged", "claimed", "suspected")),
    (re.compile(r"\b(?:may|might)\b(?!\s+(?:have\s+)?(?:not\s+)?be\s+(?:no|little)\b)"),
     ("may", "might")),
    (re.compile(r"\bcould\b(?!\s+not\b)", re.I),
     ("could",)),
    (re.compile(r"\b(?:suggests?|suggested|suggesting)\b", re.I),
     ("suggest",)),
    (re.compile(r"\b(?:appears?|appeared|seems?|seemed) to\b", re.I),
     ("appear", "seem")),
    (re.compile(r"\b(?:remains?|is|was) (?:unclear|uncertain|disputed|a subject of (?:intense )?debate)\b", re.I),
     ("unclear", "uncertain", "disputed", "debate")),
    (re.compile(r"\b(?:not (?:immediately |yet )?(?:clear|known|confirmed|verified)|could not be (?:independently )?verified)\b", re.I),
     ("clear", "known", "confirmed", "verified")),
    (re.compile(r"\b(?:is|are|was|were|been|being) (?:widely |generally |often )?(?:considered|regarded|"
               r"expected|estimated|thought|believed)\b", re.I),
     ("considered", "regarded", "expected", "estimated", "thought", "believed")),
    (re.compile(r"\bconsidered by some\b|\b(?:has|have|had) been (?:called|described|dubbed|labell?ed|accused)\b", re.I),
     ("considered by some", " been ")),
    (re.compile(r"\b(?:an |some )?estimated\b|\bestimates? (?:suggest|put|indicate)\b", re.I),
     ("estimate",)),
    (re.compile(r"\b(?:sources|reports|documents|media) (?:\w+ )?(?:indicate|indicated|suggest|suggested|say|said|claim)\b", re.I),
     ("sources", "reports", "documents", "media")),
    (re.compile(r"\bsome (?:[A-Z][\w-]+ )?\w+ (?:have|has) (?:said|claimed|alleged|argued|suggested|charged)\b"),
     ("some ",)),
    (re.compile(r"\b(?:and|or|the|a|an|of|with|its|their)\s+(?:reported|alleged|purported|suspected|claimed|presumed)\s+"
               r"(?!by\b|that\b|to\b|on\b|in\b|from\b|this\b|many\b)[a-z]{3,}", re.I),
     ("reported", "alleged", "purported", "suspected", "claimed", "presumed")),
    (re.compile(r"\bciting (?:unnamed |anonymous |unidentified )?(?:sources|officials|people)\b", re.I),
     ("citing ",)),
    (re.compile(r"\b(?:is|are) (?:expected|likely|set) to\b", re.I),
     ("expected", "likely", "set to")),
]

def hedges(text: str) -> list[str]:
    """Hedging cues in a sentence, in order, each once."""
    cues: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    low = text.lower()
    for pattern, needs in _HEDGES:
        if not any(word in low for word in needs):
            continue
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            cues.append((m.start(), m.group().lower()))
    return list(dict.fromkeys(cue for _, cue in sorted(cues)))
