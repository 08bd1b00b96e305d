"""Editors' decisions on import candidates: accept, merge into an existing claim, reject."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from kb.models import Claim, ReviewDecision
from kb.selectors.claim_rules import claim_problems, witnesses_of
from kb.services.claims import ClaimFields, apply_claim_fields, claim_merge, locked_claim, refuse_claim_problems
from kb.services.common import check_version, save_recorded
from kb.services.counts import link_counts_kept


def _locked_candidate(claim: Claim) -> Claim:
    current = locked_claim(claim)
    if current.status != Claim.Status.CANDIDATE:
        raise ValidationError(
            "This candidate was already decided (it is now %(status)s).",
            code="not_candidate", params={"status": current.get_status_display()},
        )
    return current


@transaction.atomic
def review_accept(*, claim: Claim, by, fields: ClaimFields | None = None, version: str | None = None) -> Claim:
    current = _locked_candidate(claim)
    check_version(current, version)
    if fields is not None:
        apply_claim_fields(current, fields)
    # Publishing is an editor's decision: the claim keeps the same rules as one they write.
    refuse_claim_problems(claim_problems(current, witnesses_of([current.pk]).get(current.pk, [])))
    current.status = Claim.Status.PUBLISHED
    with link_counts_kept(current.pk):
        save_recorded(current, by, "accepted in review")
    ReviewDecision.objects.create(claim=current, decision=ReviewDecision.Decision.ACCEPTED, editor=by)
    return current


@transaction.atomic
def review_merge(*, claim: Claim, into: Claim, by, reason: str = "") -> Claim:
    current = _locked_candidate(claim)
    target = claim_merge(claim=current, into=into, by=by, reason=reason or "accepted in review as a new citation")
    ReviewDecision.objects.create(
        claim=current, decision=ReviewDecision.Decision.MERGED, target=target, reason=reason.strip(), editor=by
    )
    return target


@transaction.atomic
def review_reject(*, claim: Claim, by, reason: str) -> Claim:
    if not reason.strip():
        raise ValidationError({"reason": ValidationError("Say why the candidate is rejected.", code="reason_required")})
    current = _locked_candidate(claim)
    current.status, current.status_reason = Claim.Status.REJECTED, reason.strip()
    with link_counts_kept(current.pk):  # a candidate is not counted: kept for safety all the same
        save_recorded(current, by, "rejected in review")
    ReviewDecision.objects.create(
        claim=current, decision=ReviewDecision.Decision.REJECTED, reason=reason.strip(), editor=by
    )
    return current
