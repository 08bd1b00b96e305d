"""Candidate claims from an imported document, for the review queue.

Every sentence (or stand-alone clause) of a content passage that may assert something
checkable becomes a proposal: its date (EDTF and wording), attribution, hedging, the
entities it names, new names, a suggested credibility with reasons, and, when it states
the same fact as a published claim, that claim as a suggested match (a new citation for it).

`preview_candidates` returns proposals without writing anything (the admin preview);
`propose_candidates` stores them for a source, atomically, as candidate claims with one
citation each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rapidfuzz import utils

from kb.text.dates import EventDate
from kb.text.independence import SourceGroups
from kb.extraction import attribution as attr
from kb.extraction import atoms, boilerplate, checkable, credibility, matching
from kb.extraction.dates import (
    ANAPHORIC, DateMention, Reference, envelope, event_date, find_dates, latest_reference,
)
from kb.extraction.entities import EntityIndex
from kb.extraction.segment import (
    CONTENT_KINDS, Block, Segment, clean_statement, segments,
)

MATCH_MIN_WORDS = 6  # both texts; shorter quotes ("its primary patron") match too much

_FIGURE = re.compile(
    r"[$€£]\s?\d|\b\d[\d,.]*\s*(?:%|percent|per cent|million|billion|thousand|km|kilomet|mm|miles?|kg|tons?|"
    r"tonnes?)\b|\b\d{1,3}(?:,\d{3})+\b|\b\d+\b"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|"
    r"thousands?|dozens?|millions?|billions?)\b",
    re.I,
)


@dataclass
class Proposal:
    """One candidate claim, not yet stored."""

    start: int
    end: int
    quote: str
    statement: str
    passage: str  # anchor of the passage that holds it
    section: str
    kind: str = "event"
    date_edtf: str = ""
    date_wording: str = ""
    date_basis: str = ""  # explicit | relative | section | introduction
    attribution: str = ""
    anonymous: bool = False
    hedges: list[str] = field(default_factory=list)
    stance: str = "states"
    entities: list[str] = field(default_factory=list)
    new_names: list[str] = field(default_factory=list)
    credibility: int = 6
    reasons: list[str] = field(default_factory=list)
    match_claim_id: int | None = None
    match_score: float | None = None
    match_statement: str = ""
    match_relation: str = ""  # restates | updates | contradicts | stale
    match_reason: str = ""
    has_figure: bool = False

    @property
    def date(self) -> EventDate | None:
        return event_date(self.date_edtf) if self.date_edtf else None

    @property
    def rationale(self) -> str:
        lines = ["Suggested by the import extractor: " + "; ".join(self.reasons) + "."]
        if self.date_edtf:
            basis = {"relative": "resolved from context", "section": "from the section title",
                     "introduction": "from the sentence introducing the quotation",
                     "passage": "carried from an earlier sentence of the passage",
                     "publication": "no date of its own: the time of writing"}.get(self.date_basis, "")
            lines.append(f"Date {self.date_edtf} from “{self.date_wording}”" + (f" ({basis})" if basis else "") + ".")
        if self.new_names:
            lines.append("New names (no entity yet): " + ", ".join(self.new_names) + ".")
        if self.match_claim_id and self.match_relation == "restates":
            lines.append(f"Same fact as claim {self.match_claim_id} (similarity {self.match_score:.0f}): "
                         "proposed as a new citation for it.")
        elif self.match_claim_id:
            verb = {"updates": "proposed as an update of", "contradicts": "proposed as contradicting",
                    "stale": "may be out of date: compare with"}[self.match_relation]
            lines.append(f"Claim {self.match_claim_id}, {self.match_reason}: {verb} it.")
        return "\n".join(lines)


# ---------------------------------------------------------------- matching published claims


class ClaimMatcher:
    """Published claims from a bounded shortlist (the database found them: trigram top-k on
    PostgreSQL, claims sharing the document's entities on SQLite), re-ranked here.

    An inverted index of informative words keeps, for each candidate, only the texts sharing
    enough of its words; `kb.extraction.matching` then compares the statements."""

    COMMON_SHARE = 0.2
    MIN_SHARED = 3

    def __init__(self, rows: list[tuple[int, str, int | None]], sources: dict[int, str] | None = None,
                 dates: dict[int, str] | None = None, derived_pairs: set[tuple[int, int]] | None = None):
        # rows: (claim id, text, source id of the quote or None for a statement)
        self.dates = dates or {}
        self.rows = [matching.Existing(cid, text, self.dates.get(cid, ""))
                     for cid, text, _ in rows if len(text.split()) >= MATCH_MIN_WORDS]
        self.choices = [utils.default_process(row.text) for row in self.rows]
        self.sources = sources or {}  # source id -> title, for reasons
        self.derived_pairs = derived_pairs
        self.claim_sources: dict[int, set[int]] = {}
        for cid, _, sid in rows:
            if sid is not None:
                self.claim_sources.setdefault(cid, set()).add(sid)
        self.statements = {cid: text for cid, text, sid in rows if sid is None}
        self.postings: dict[str, list[int]] = {}
        for index, choice in enumerate(self.choices):
            for word in set(choice.split()):
                if not word.isdigit():
                    self.postings.setdefault(word, []).append(index)
        self.common = max(int(len(self.choices) * self.COMMON_SHARE), 50)

    def _shortlist(self, words: list[str]) -> list[int]:
        informative = [w for w in set(words) if len(w) > 2 and not w.isdigit()
                       and len(self.postings.get(w, ())) <= self.common]
        if not informative:
            return []
        counts: dict[int, int] = {}
        for word in informative:
            for index in self.postings.get(word, ()):
                counts[index] = counts.get(index, 0) + 1
        needed = min(self.MIN_SHARED, len(informative))
        return [index for index, n in counts.items() if n >= needed]

    def best(self, text: str, date_edtf: str = "", *, present_tense: bool = False) -> matching.Match | None:
        """How the candidate relates to the closest published claim, or None."""
        words = utils.default_process(text).split()
        if len(words) < MATCH_MIN_WORDS or not self.choices:
            return None
        found = matching.best_match(text, date_edtf, [self.rows[i] for i in self._shortlist(words)],
                                    present_tense=present_tense)
        if found is None:
            # someone named in a role: any shortlisted claim saying that person died
            holder = matching.role_holder(text)
            if holder is not None:
                surname = utils.default_process(holder[0]).split()[-1]
                found = matching.stale_role(text, date_edtf, [self.rows[i] for i in self.postings.get(surname, ())])
        return found


# ---------------------------------------------------------------- extraction


@dataclass
class Context:
    """Everything the extractor knows about the document beyond its text."""

    reliability: str = "F"
    published: EventDate | None = None
    slug: str = ""
    source_id: int | None = None
    entity_index: EntityIndex | None = None
    matcher: ClaimMatcher | None = None
    # Builds a matcher for these proposals from the database (a bounded shortlist); used when
    # `matcher` is not given, after extraction, so the query sees every candidate at once.
    shortlist: object = None
    derived_pairs: set[tuple[int, int]] = field(default_factory=set)
    skip_ranges: list[tuple[int, int]] = field(default_factory=list)


def _section_date(title: str) -> list[DateMention]:
    return [m for m in find_dates(title) if m.kind == "explicit"] if title else []


_YEAR_ALONE = re.compile(r"(?<![$€£\d.,])\b(?:1[5-9]\d\d|20\d\d)s?\b(?![\d,.]\d|\s*(?:%|percent|people|km|million|billion))")


def _has_figure(text: str, mentions: list[DateMention]) -> bool:
    """A quantity the claim asserts: an amount, a count, a share. A year (or a date) is no figure."""
    masked = list(text)
    for mention in mentions:
        masked[mention.start : mention.end] = " " * (mention.end - mention.start)
    return bool(_FIGURE.search(_YEAR_ALONE.sub(" ", "".join(masked))))


def _kind(*, has_figure: bool, attribution: attr.Attribution | None, quoted: bool, date_edtf: str,
          entity_count: int) -> str:
    if has_figure:
        return "quantity"
    if quoted or (attribution and attribution.cue == "said"):
        return "statement"
    if date_edtf and "/.." not in date_edtf:
        return "event"
    if entity_count >= 2:
        return "relationship"
    return "assessment"


def _corroboration(proposal: Proposal, context: Context) -> tuple[list[str], list[str]]:
    """Titles of the independent sources that state the matched claim (one per group of sources
    that copy one another), and of sources this one copies or is copied by that repeat it."""
    matcher = context.matcher
    if not proposal.match_claim_id or matcher is None:
        return [], []
    others = matcher.claim_sources.get(proposal.match_claim_id, set()) - {context.source_id}
    pairs = matcher.derived_pairs if matcher.derived_pairs is not None else context.derived_pairs
    groups = SourceGroups(pairs)
    copies = groups.same_group(context.source_id, sorted(others)) if context.source_id else []

    def title(sid):
        return matcher.sources.get(sid, f"source {sid}")

    independent = []
    for group in groups.partition((sid, None) for sid in sorted(set(others) - set(copies))):
        extra = len(group) - 1
        independent.append(title(groups.original(group)) + (
            f" (and {extra} cop{'y' if extra == 1 else 'ies'} of it)" if extra else ""))
    return independent, [title(sid) for sid in copies]


def _overlaps(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in ranges)


_ATTRIBUTABLE = re.compile(
    r"\b(?:attributable to|statement (?:by|from)|remarks (?:by|of)|readout (?:by|from))\s+"
    r"(?P<who>(?:the\s+)?[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|of|the|for))*)\s*:\s*$"
)


@dataclass
class _Document:
    """What the extractor carries from one passage to the next: the date of the latest dateline
    (a news page's posts each open with one) and the current speaker (a transcript's label, or
    "The below is attributable to X:")."""

    dateline: Reference | None = None
    speaker: str = ""
    asker: bool = False  # the current transcript speaker is the one asking: nothing they say is a claim
    transcript: bool = False
    person: str = ""  # the last person named as a speaker, for "he noted"
    quoted: str = ""  # the speaker of the last sentence holding a quotation


def extract(text: str, blocks: list[Block], context: Context) -> list[Proposal]:
    """Proposals for every checkable sentence of `text`, in text order."""
    index = context.entity_index or EntityIndex([])
    published_ref = Reference.from_event(context.published, "publication date", max_days=62) \
        if context.published else None
    if published_ref is not None:
        published_ref = replace(published_ref, now=True)
    proposals: list[Proposal] = []
    by_block: dict[str, list[Segment]] = {}
    for segment in segments(text, blocks):
        by_block.setdefault(segment.block.anchor, []).append(segment)
    # A paragraph ending with a colon introduces the quote block after it: the quotation
    # inherits its speaker and date ("In 2021 … al-Hadi said:").
    intro: tuple[attr.Attribution | None, list[DateMention], Reference | None] | None = None
    seen: set[str] = set()
    state = _Document()
    for block in blocks:
        if block.kind not in CONTENT_KINDS:
            intro = None
            continue
        quoted = intro if block.kind == "quote" else None
        section_mentions = _section_date(block.section_title)
        reference = latest_reference(section_mentions, None) or state.dateline or published_ref
        if quoted and quoted[2] is not None:
            reference = quoted[2]
        block_segments = by_block.get(block.anchor, [])
        next_intro = None
        previous: DateMention | None = None  # the last date mentioned in this passage
        for number, segment in enumerate(block_segments):
            if segment.label:
                state.transcript = True
                state.speaker = segment.label
                state.asker = segment.label.upper().rstrip(".") in boilerplate.ASKER_LABELS
            if segment.lead_date or segment.furniture == "dateline":
                dated = find_dates(segment.lead_date or segment.text, published_ref)
                dateline = Reference.from_event(dated[0].event, dated[0].wording, max_days=1) if dated else None
                # a post's own date, to the day; a date after the document's (a page's clock) is not one
                if dateline and dateline.day and (published_ref is None or dateline.as_date() <= published_ref.as_date()):
                    state.dateline = replace(dateline, now=True)
                    reference = state.dateline or reference
            if segment.lead_date:
                previous = None  # a new report starts here: earlier dates of the passage are not its
            if segment.furniture:
                if segment.furniture in ("dateline", "title") and not state.transcript:
                    state.speaker = ""
                continue
            if state.asker or boilerplate.sentence_reason(segment.text):
                continue
            now = state.dateline or published_ref
            mentions = find_dates(segment.text, reference, now)
            reference = latest_reference(mentions, reference)
            last_before, previous = previous, (mentions[-1] if mentions else previous)
            found = attr.find_attribution(segment.text)
            ends_with_colon = segment.text.rstrip().endswith(":")
            if number == len(block_segments) - 1 and ends_with_colon:
                next_intro = (found, mentions, reference)
            if ends_with_colon:  # it introduces what follows; it says nothing itself
                attributable = _ATTRIBUTABLE.search(segment.text)
                if attributable:
                    state.speaker = attr._clean_who(attributable.group("who"))
                continue
            if found is not None and found.cue == "pronoun":  # "“…,” he noted": the last person named
                found = attr.Attribution(state.person, "pronoun", False) if state.person else None
            opens_quote = segment.text.lstrip()[:1] in "\"“"
            if found is None and opens_quote and state.quoted:  # a quotation running on from the last one
                found = attr.Attribution(state.quoted, "inherited", False)
            if found is not None and not found.anonymous and found.cue in ("said", "according-to") \
                    and any(w[:1].isupper() for w in found.who.split()[1:] or found.who.split()):
                state.person = found.who
            state.quoted = found.who if (found is not None and re.search("[\"“”]", segment.text)) else ""
            if state.speaker and found is None:
                found = attr.Attribution(state.speaker, "speaker", False)
            if _overlaps(context.skip_ranges, segment.start, segment.end):
                continue
            key = clean_statement(segment.text).casefold()
            if key in seen:  # a sentence repeated in one document is one claim
                continue
            seen.add(key)
            matches = index.find(segment.text)
            reason = checkable.rejection(segment.text, entity_count=len(matches))
            if reason is None:
                parts = atoms.split(segment.text)
                if len(parts) == 1:
                    proposals.append(_proposal(segment, block, mentions, found, matches, index, section_mentions,
                                               quoted, context, last_before, now))
                    continue
                first_part: Proposal | None = None
                for part in parts:
                    piece = Segment(segment.start + part.start, segment.start + part.end, block,
                                    segment.text[part.start:part.end], label=segment.label)
                    own = [m for m in mentions if part.start <= m.start < part.end]
                    before = [m for m in mentions if m.start < part.start]
                    proposal = _proposal(
                        piece, block, own or before[-1:], attr.find_attribution(piece.text) or found,
                        index.find(piece.text), index, section_mentions, quoted, context, last_before, now,
                        statement=atoms.statement(segment.text, part),
                    )
                    if first_part is None:
                        first_part = proposal
                    elif not own and not before and first_part.date_edtf and proposal.date_basis != "passage":
                        # a part the sentence does not date otherwise happened when its first part did
                        # ("Al-Moayad was recorded … in 2003, while promising to funnel $2 million")
                        proposal.date_edtf, proposal.date_wording = first_part.date_edtf, first_part.date_wording
                        proposal.date_basis = first_part.date_basis
                    proposals.append(proposal)
            elif reason == "meta":
                for start, end in checkable.salvage(segment.text, entity_counter=lambda t: len(index.find(t))):
                    clause = Segment(segment.start + start, segment.start + end, block, segment.text[start:end])
                    proposals.append(_proposal(
                        clause, block, find_dates(clause.text, reference), attr.find_attribution(clause.text),
                        index.find(clause.text), index, section_mentions, quoted, context, last_before, now,
                    ))
        intro = next_intro or (quoted if block.kind == "quote" else None)
    return grade(_first_of_each(proposals), context)


def _first_of_each(proposals: list[Proposal]) -> list[Proposal]:
    """A sentence repeated in one document is one claim: keep its first occurrence."""
    seen: set[str] = set()
    kept = []
    for proposal in proposals:
        key = proposal.statement.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(proposal)
    return kept


_PAST = re.compile(r"\b(?:was|were|had|did)\b|\b(?!(?:need|indeed|embed|seed|speed|feed|bleed|red|bed|hundred)\b)[a-z]{3,}ed\b")
_PRESENT = re.compile(r"\b(?:is|are|has|have|remains?|continues?|says|holds?|controls?|operates?)\b|\b(?:is|are) \w+ing\b")


def past_tense(text: str) -> bool:
    """Does the main verb look past ("fired", "were shot down") rather than present ("controls")?
    Word lists, no parser: a present-tense auxiliary anywhere wins."""
    return bool(_PAST.search(text)) and not _PRESENT.search(text)


def _proposal(segment, block, mentions, found, matches, index, section_mentions, intro, context,
              previous: DateMention | None = None, now: Reference | None = None, statement: str = "") -> Proposal:
    quoted = intro is not None
    if found is None and quoted:
        found = intro[0] and attr.Attribution(intro[0].who, "inherited", intro[0].anonymous)
    date = envelope(mentions)
    if date and all(m.kind == "speech" for m in mentions) and past_tense(segment.text):
        # "In a 2019 interview, she said the dam was sabotaged": the sabotage came before the
        # interview, not in its year
        date = (f"../{date[0].split('/')[-1]}", f"by the time of “{date[1]}”")
    basis = ""
    # Only in the main clause's first words: "Iran then committed", not "…, who were then trained".
    anaphor = ANAPHORIC.search(" ".join(segment.text.split()[:5]))
    if date:
        basis = "explicit" if any(m.kind in ("explicit", "speech") for m in mentions) else "relative"
    elif anaphor and previous is not None:
        date, basis = (previous.edtf, f"{anaphor.group()} (after “{previous.wording}”)"), "relative"
    elif quoted and envelope(intro[1]):
        date, basis = envelope(intro[1]), "introduction"
    elif previous is not None and past_tense(segment.text):
        # a past event told after a dated sentence of the same passage: "On Sunday, Hamas fired
        # rockets … Israeli officials reported many were shot down."
        date, basis = (previous.edtf, f"“{previous.wording}”, earlier in the passage"), "passage"
    elif section_mentions:
        date, basis = envelope(section_mentions), "section"
    elif now is not None:
        # no date of its own: what it says holds at the time of writing
        date, basis = (now.edtf, ""), "publication"
    date_edtf, date_wording = date if date else ("", "")
    hedges = attr.hedges(segment.text)
    figure = _has_figure(segment.text, mentions)
    proposal = Proposal(
        start=segment.start, end=segment.end, quote=segment.text,
        statement=clean_statement(statement or segment.text),
        passage=block.anchor, section=block.section_title,
        date_edtf=date_edtf, date_wording=date_wording[:300], date_basis=basis,
        attribution=found.who if found else "", anonymous=bool(found and found.anonymous),
        hedges=hedges, stance="hedged" if hedges or (found and found.anonymous) else "states",
        entities=list(dict.fromkeys(m.slug for m in matches)),
        new_names=index.new_names(segment.text, matches),
    )
    proposal.kind = _kind(has_figure=figure, attribution=found, quoted=quoted, date_edtf=date_edtf,
                          entity_count=len(proposal.entities))
    proposal.has_figure = figure
    return proposal


def grade(proposals: list[Proposal], context: Context) -> list[Proposal]:
    """Match each proposal against published claims, then suggest its credibility."""
    matcher = context.matcher
    if matcher is None and context.shortlist is not None and proposals:
        matcher = context.matcher = context.shortlist(proposals)
    for proposal in proposals:
        if matcher is not None:
            found = matcher.best(proposal.statement, proposal.date_edtf,
                                 present_tense=proposal.date_basis == "publication")
            if found:
                proposal.match_claim_id, proposal.match_score = found.claim_id, found.score
                proposal.match_relation, proposal.match_reason = found.relation, found.reason
                proposal.match_statement = matcher.statements.get(found.claim_id, "")
        corroborated, repeated = _corroboration(proposal, context) if proposal.match_relation == "restates" \
            else ([], [])
        suggestion = credibility.suggest(
            reliability=context.reliability, hedges=proposal.hedges, attribution=proposal.attribution,
            anonymous=proposal.anonymous, has_figure=proposal.has_figure, corroborated_by=corroborated,
            repeated_by_copies=repeated, conflict=proposal.match_relation in ("contradicts", "stale"),
        )
        proposal.credibility, proposal.reasons = suggestion.credibility, suggestion.reasons
    return proposals
