"""Scoring candidate claims against a curator's gold claims (fixtures/gold/, see its README).

Pure functions over spans and strings: the caller runs the extractor (nothing stored) and hands
the proposals here. The measures, each defined so that a reviewer can recount it by hand:

- **coverage**: a gold claim is covered when one candidate's span overlaps at least half of the
  gold quote's span (`COVER_SHARE`). The covering candidate with the largest overlap is "its"
  candidate for the date, attribution and hedging measures.
- **real**: a candidate is junk when it overlaps a `not_claims` span substantially (the overlap
  is at least half of the shorter of the two spans), or when it overlaps no gold claim
  substantially. Every other candidate is real. (Borderline sentences, in neither list, count
  as junk here: the measure is strict.)
- **atomicity**: gold claims per real candidate, averaged over the candidates that cover at
  least one gold claim. 1.0 is atomic; a whole sentence holding three gold claims counts 3.
- **dates**: over covered gold claims with a date, the candidate's EDTF is right when it equals
  the gold's, or when the candidate's day range lies within the gold's range (an open end ".."
  reaches as far as time goes; a gold date's "?" or "~" qualifier is ignored). A candidate with
  no date, a wider range, or a range reaching outside the gold's is wrong.
- **attribution**: over covered gold claims with an attribution, right when the candidate's
  speaker and the gold's share their content words one way or the other: after casefolding,
  dropping punctuation, possessives, articles and courtesy titles, one word set contains the
  other ("Ned Price" and "State Department spokesman Ned Price" match, "he" and "Ned Price"
  do not). Candidates giving a speaker to a gold claim stated in the document's own voice
  are counted separately (`spurious_attribution`).
- **hedging**: over covered gold claims marked hedged, right when the candidate is hedged
  (stance "hedged": a hedging cue or an anonymous attribution). Hedges on unhedged gold
  claims are counted separately (`spurious_hedge`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from kb.text.dates import parse_event_date

COVER_SHARE = 0.5


@dataclass(frozen=True)
class GoldClaim:
    start: int
    end: int
    quote: str
    statement: str
    edtf: str | None
    date_words: str
    attribution: str | None
    hedged: bool


@dataclass(frozen=True)
class NotClaim:
    start: int
    end: int
    quote: str
    reason: str


@dataclass
class GoldDocument:
    slug: str
    text: str
    metadata: dict
    claims: list[GoldClaim]
    not_claims: list[NotClaim]


def load_gold(directory: Path) -> list[GoldDocument]:
    """Every `<slug>.gold.yaml` in `directory` with its text and metadata, by slug."""
    import yaml

    documents = []
    for path in sorted(directory.glob("*.gold.yaml")):
        slug = path.name.removesuffix(".gold.yaml")
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        meta_path = directory / f"{slug}.meta.yaml"
        metadata = yaml.safe_load(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        text = (directory / f"{slug}.txt").read_text(encoding="utf-8")
        claims = [
            GoldClaim(
                c["start"], c["end"], c["quote"], c.get("statement") or "",
                (c.get("date") or {}).get("edtf"), (c.get("date") or {}).get("words") or "",
                c.get("attribution"), bool(c.get("hedged")),
            )
            for c in data.get("claims") or []
        ]
        not_claims = [NotClaim(n["start"], n["end"], n["quote"], n.get("reason", ""))
                      for n in data.get("not_claims") or []]
        documents.append(GoldDocument(slug, text, metadata or {}, claims, not_claims))
    return documents


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def covers(candidate: tuple[int, int], gold: tuple[int, int]) -> bool:
    return overlap(candidate, gold) >= COVER_SHARE * (gold[1] - gold[0]) > 0


def substantial(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and overlap(a, b) >= COVER_SHARE * shorter


# ---------------------------------------------------------------- dates


def _bounds(edtf: str):
    try:
        event = parse_event_date(edtf.replace("?", "").replace("~", ""))
    except ValidationError:
        return None
    return event.earliest, event.latest


def date_right(candidate: str, gold: str) -> bool:
    """The candidate's EDTF equals the gold's or its range lies within the gold's."""
    if not candidate:
        return False
    clean = gold.replace("?", "").replace("~", "")
    if candidate == clean:
        return True
    cand, want = _bounds(candidate), _bounds(clean)
    if cand is None or want is None:
        return False
    (c_lo, c_hi), (g_lo, g_hi) = cand, want
    low_ok = g_lo is None or (c_lo is not None and c_lo >= g_lo)
    high_ok = g_hi is None or (c_hi is not None and c_hi <= g_hi)
    return low_ok and high_ok


# ---------------------------------------------------------------- speakers

_DROP = {"the", "a", "an", "mr", "ms", "mrs", "dr", "prof", "of", "s"}


def speaker_words(value: str | None) -> frozenset[str]:
    value = (value or "").casefold().replace("’", "'").replace("u.s.", "us")
    value = re.sub(r"'s\b", "", value)
    return frozenset(w for w in re.findall(r"[^\W_]+(?:-[^\W_]+)*", value) if w not in _DROP)


def speaker_right(candidate: str | None, gold: str) -> bool:
    have, want = speaker_words(candidate), speaker_words(gold)
    return bool(have and want) and (have <= want or want <= have)


# ---------------------------------------------------------------- scoring


@dataclass
class DocumentScore:
    slug: str
    gold: int = 0
    covered: int = 0
    candidates: int = 0
    real: int = 0
    covering: int = 0  # candidates covering at least one gold claim
    covered_by_covering: int = 0  # sum over those candidates of the gold claims each covers
    dated: int = 0
    dated_right: int = 0
    attributed: int = 0
    attributed_right: int = 0
    hedged: int = 0
    hedged_right: int = 0
    spurious_attribution: int = 0
    spurious_hedge: int = 0
    missed: list[GoldClaim] = field(default_factory=list)
    junk: list[tuple[object, str]] = field(default_factory=list)  # (proposal, why)
    wrong_dates: list[tuple[GoldClaim, str]] = field(default_factory=list)
    wrong_speakers: list[tuple[GoldClaim, str]] = field(default_factory=list)
    unhedged: list[GoldClaim] = field(default_factory=list)
    spurious: list[tuple[GoldClaim, str]] = field(default_factory=list)  # (claim, what was wrongly added)

    def add(self, other: "DocumentScore") -> None:
        for name in ("gold", "covered", "candidates", "real", "covering", "covered_by_covering", "dated",
                     "dated_right", "attributed", "attributed_right", "hedged", "hedged_right",
                     "spurious_attribution", "spurious_hedge"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def coverage(self):
        return self._share(self.covered, self.gold)

    @property
    def precision(self):
        return self._share(self.real, self.candidates)

    @property
    def atomicity(self):
        return self._share(self.covered_by_covering, self.covering)

    @property
    def dates(self):
        return self._share(self.dated_right, self.dated)

    @property
    def attribution(self):
        return self._share(self.attributed_right, self.attributed)

    @property
    def hedging(self):
        return self._share(self.hedged_right, self.hedged)


def score_document(document: GoldDocument, proposals: list) -> DocumentScore:
    """Score proposals (objects with start, end, date_edtf, attribution, stance) against gold."""
    score = DocumentScore(document.slug, gold=len(document.claims), candidates=len(proposals))
    spans = [(p.start, p.end) for p in proposals]
    for proposal, span in zip(proposals, spans):
        blocked = next((n for n in document.not_claims if substantial(span, (n.start, n.end))), None)
        if blocked is not None:
            score.junk.append((proposal, f"overlaps a not_claim ({blocked.reason})"))
            continue
        if not any(substantial(span, (c.start, c.end)) for c in document.claims):
            score.junk.append((proposal, "overlaps no gold claim"))
            continue
        score.real += 1
        held = sum(1 for c in document.claims if covers(span, (c.start, c.end)))
        if held:
            score.covering += 1
            score.covered_by_covering += held
    for claim in document.claims:
        gold_span = (claim.start, claim.end)
        best = max(((overlap(s, gold_span), p) for s, p in zip(spans, proposals) if covers(s, gold_span)),
                   key=lambda item: item[0], default=None)
        if best is None:
            score.missed.append(claim)
            continue
        score.covered += 1
        proposal = best[1]
        if claim.edtf:
            score.dated += 1
            if date_right(proposal.date_edtf, claim.edtf):
                score.dated_right += 1
            else:
                score.wrong_dates.append((claim, proposal.date_edtf or "(none)"))
        if claim.attribution:
            score.attributed += 1
            if speaker_right(proposal.attribution, claim.attribution):
                score.attributed_right += 1
            else:
                score.wrong_speakers.append((claim, proposal.attribution or "(none)"))
        elif proposal.attribution:
            score.spurious_attribution += 1
            score.spurious.append((claim, f"speaker {proposal.attribution!r}"))
        hedged = proposal.stance == "hedged"
        if claim.hedged:
            score.hedged += 1
            if hedged:
                score.hedged_right += 1
            else:
                score.unhedged.append(claim)
        elif hedged:
            score.spurious_hedge += 1
            score.spurious.append((claim, f"hedge {', '.join(getattr(proposal, 'hedges', []) or ['anonymous'])!r}"))
    return score


# ---------------------------------------------------------------- matching pairs


@dataclass
class MatchingScore:
    """Over hand-written pairs (fixtures/matching/pairs.yaml): of the same-fact pairs (relation
    other than none), how many got the right relation proposed; of all proposals, how many were
    wrong (a wrong relation, or any relation on a pair that states different facts)."""

    pairs: int = 0
    same_fact: int = 0
    found: int = 0
    proposals: int = 0
    wrong: int = 0
    mistakes: list[tuple[str, str, str]] = field(default_factory=list)  # (candidate, expected, got)

    @property
    def recall(self):
        return self.found / self.same_fact if self.same_fact else None

    @property
    def wrong_share(self):
        return self.wrong / self.proposals if self.proposals else None


def score_matching(pairs: list[dict]) -> MatchingScore:
    from kb.extraction import matching

    score = MatchingScore(pairs=len(pairs))
    for pair in pairs:
        existing = matching.Existing(0, pair["existing"]["statement"], pair["existing"].get("date") or "")
        candidate = pair["candidate"]
        found = matching.best_match(candidate["text"], candidate.get("date") or "", [existing],
                                    present_tense=bool(candidate.get("present")))
        got, want = (found.relation if found else "none"), pair["relation"]
        if want != "none":
            score.same_fact += 1
            score.found += got == want
        if got != "none":
            score.proposals += 1
            score.wrong += got != want
        if got != want:
            score.mistakes.append((candidate["text"], want, got))
    return score
