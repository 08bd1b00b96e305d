"""Claims that a new claim may duplicate, shown to the editor before it is created: claims that
cite some of the same words, and the published claim that states nearly the same thing.

Both are found in the database and bounded: overlapping citations through the (source, start)
index of one source, the close statement through the candidates' shortlist
(kb.selectors.candidates.statement_shortlist: full-text and trigram top-k on PostgreSQL, two
key words on SQLite), compared by kb.extraction.matching."""
from __future__ import annotations

from dataclasses import dataclass

from kb.models import Citation, Claim
from kb.selectors.candidates import statement_shortlist
from kb.selectors.selection import TextSelection

SHOWN = 10


@dataclass(frozen=True)
class Duplicate:
    claim: Claim
    why: str  # "cites these words" | "cites some of these words" | "says nearly the same"

    @property
    def can_cite(self) -> bool:
        """The words can become a new citation of this claim (it does not cite exactly them)."""
        return self.why != "cites these words"


def claims_citing(selection: TextSelection, limit: int = SHOWN) -> list[Duplicate]:
    """Published or candidate claims with a citation overlapping the selected range."""
    overlapping = (Citation.objects.filter(source=selection.source, start__lt=selection.end, end__gt=selection.start)
                   .exclude(anchoring=Citation.Anchoring.ORPHANED))
    exact = set(overlapping.filter(start=selection.start, end=selection.end).values_list("claim_id", flat=True)[:limit])
    claims = (Claim.objects.filter(pk__in=overlapping.values("claim_id"))
              .filter(status__in=[Claim.Status.PUBLISHED, Claim.Status.CANDIDATE])
              .only("id", "statement", "status", "date_edtf", "date_earliest", "date_latest", "date_wording", "credibility").order_by("id")[:limit])
    return [Duplicate(c, "cites these words" if c.pk in exact else "cites some of these words") for c in claims]


def claim_stating(statement: str, date_edtf: str = "") -> Duplicate | None:
    """The published claim that states the same fact as `statement`, if there is one."""
    match = statement_shortlist(statement).best(statement, date_edtf)
    if match is None or match.relation != "restates":
        return None
    claim = Claim.objects.filter(pk=match.claim_id).only(
        "id", "statement", "status", "date_edtf", "date_earliest", "date_latest", "date_wording", "credibility").first()
    return Duplicate(claim, "says nearly the same") if claim else None


def possible_duplicates(selection: TextSelection, statement: str, date_edtf: str = "") -> list[Duplicate]:
    """Claims citing these words, then the claim stating nearly the same (once each)."""
    found = claims_citing(selection)
    close = claim_stating(statement, date_edtf)
    if close and close.claim.pk not in {d.claim.pk for d in found}:
        found.append(close)
    return found
