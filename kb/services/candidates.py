"""Candidate claims stored for the review queue."""
from __future__ import annotations

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from kb.extraction.candidates import Proposal, extract
from kb.extraction.segment import blocks_from_source
from kb.models import CandidateDetail, Citation, Claim, Entity, NonClaim, Passage
from kb.selectors.candidates import curated_source_slugs, extraction_context
from kb.services.generation import kb_changed
from kb.text.ranges import context


def candidates_propose(*, source) -> list:
    """Store candidate claims for a stored source, each with one citation; return them.

    Nothing is proposed for sources the curated fixtures cover (their claims are written by
    hand and `claim_coverage --strict` holds them to every sentence), nor for sentences that
    already carry a citation or a not-a-claim mark (a new version keeps its re-anchored claims).
    Running it twice proposes nothing new."""
    if source.slug in curated_source_slugs():
        return []
    skip = list(Citation.objects.filter(source=source).exclude(anchoring="orphaned").values_list("start", "end"))
    skip += list(NonClaim.objects.filter(source=source).values_list("start", "end"))
    found = extraction_context(reliability=source.reliability, published=source.published_edtf,
                               slug=source.slug, source_id=source.pk, skip_ranges=skip)
    proposals = extract(source.text, blocks_from_source(source), found)
    with transaction.atomic():
        kb_changed()  # editors' pages are never cached, but the review counts and matches move
        return _store(source, proposals)


def _store(source, proposals: list[Proposal]) -> list:
    """Candidate claims with one citation and their details each, in a few bulk queries
    (history rows included). Each row passes field validation first; the database holds
    the range and date-order constraints."""
    if not proposals:
        return []
    passages = dict(Passage.objects.filter(source=source).values_list("anchor", "pk"))
    entity_ids = dict(Entity.objects.filter(
        slug__in={slug for p in proposals for slug in p.entities}).values_list("slug", "pk"))
    claims = []
    for proposal in proposals:
        date = proposal.date
        claim = Claim(
            statement=proposal.statement, kind=proposal.kind, status=Claim.Status.CANDIDATE,
            origin=Claim.Origin.IMPORT, date_edtf=proposal.date_edtf,
            date_earliest=date.earliest if date else None, date_latest=date.latest if date else None,
            date_precision=date.precision if date else "", date_wording=proposal.date_wording,
            credibility=proposal.credibility, rationale=proposal.rationale,
            suggested_match_id=proposal.match_claim_id, is_synthetic=source.is_synthetic,
        )
        claim.full_clean(exclude=["suggested_match"], validate_unique=False, validate_constraints=False)
        claims.append(claim)
    claims = bulk_create_with_history(claims, Claim, batch_size=500)
    citations = []
    for claim, proposal in zip(claims, proposals):
        prefix, suffix = context(source.text, proposal.start, proposal.end)
        citation = Citation(
            claim=claim, source=source, passage_id=passages.get(proposal.passage), order=1,
            start=proposal.start, end=proposal.end, quote=proposal.quote,
            prefix=prefix, suffix=suffix,
            attribution=proposal.attribution[:300], stance=proposal.stance,
        )
        citation.full_clean(exclude=["claim", "source", "passage"], validate_unique=False,
                            validate_constraints=False)
        citations.append(citation)
    bulk_create_with_history(citations, Citation, batch_size=500)
    CandidateDetail.objects.bulk_create([
        CandidateDetail(
            claim=claim, new_names=proposal.new_names, hedges=proposal.hedges,
            anonymous_attribution=proposal.anonymous, date_basis=proposal.date_basis,
            match_score=proposal.match_score, match_relation=proposal.match_relation,
            match_reason=proposal.match_reason[:500], reasons=proposal.reasons,
        )
        for claim, proposal in zip(claims, proposals)
    ], batch_size=500)
    through = Claim.entities.through
    through.objects.bulk_create([
        through(claim_id=claim.pk, entity_id=entity_ids[slug])
        for claim, proposal in zip(claims, proposals) for slug in proposal.entities if slug in entity_ids
    ], batch_size=1000)
    return claims
