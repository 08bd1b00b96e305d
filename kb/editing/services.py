"""Every write an editor makes: atomic, validated with full_clean, recorded with its author.

Each changed row gets a history record (django-simple-history) carrying the author and,
where there is one, the reason. Edits made against an older version of a claim or an
annotation are refused with StaleEdit, never silently applied.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q

from kb.dates import parse_event_date
from kb.editing.models import Annotation, AnnotationReference, ReviewDecision
from kb.editing.selection import TextSelection
from kb.models import Citation, Claim, Relation

MAX_BODY_CHARS = 20_000
CLAIM_FIELDS = ("statement", "kind", "date_edtf", "date_wording", "credibility", "rationale")


class StaleEdit(ValidationError):
    """Someone else saved a newer version; `current` is that version."""

    def __init__(self, current):
        super().__init__(
            "Someone else changed this while you were editing. Their version is shown; "
            "nothing of yours was saved.",
            code="stale",
        )
        self.current = current


def version_token(obj) -> str:
    return obj.updated_at.isoformat()


def _recorded(obj, by, reason: str = ""):
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    return obj


def _save(obj, by, reason: str = ""):
    obj.full_clean()
    _recorded(obj, by, reason).save()
    return obj


def _locked_claim(claim: Claim | int) -> Claim:
    return Claim.objects.select_for_update().get(pk=getattr(claim, "pk", claim))


def _check_version(current, version: str | None) -> None:
    if version is not None and version != version_token(current):
        raise StaleEdit(current)


@dataclass(frozen=True)
class ClaimFields:
    statement: str
    kind: str = Claim.Kind.EVENT
    date_edtf: str = ""
    date_wording: str = ""
    credibility: int | None = None
    rationale: str = ""

    @classmethod
    def of(cls, claim: Claim) -> "ClaimFields":
        return cls(**{name: getattr(claim, name) for name in CLAIM_FIELDS})


def _apply_fields(claim: Claim, fields: ClaimFields) -> None:
    old_credibility, old_rationale = claim.credibility, claim.rationale.strip()
    rationale = fields.rationale.strip()
    if fields.credibility is not None and fields.credibility != old_credibility:
        if not rationale or (claim.pk and rationale == old_rationale):
            raise ValidationError(
                {"rationale": ValidationError("Changing the credibility needs a new rationale.", code="rationale_required")}
            )
    claim.statement = fields.statement.strip()
    claim.kind = fields.kind
    claim.credibility = fields.credibility
    claim.rationale = rationale
    claim.date_wording = fields.date_wording.strip()
    edtf_value = fields.date_edtf.strip()
    if edtf_value:
        try:
            date = parse_event_date(edtf_value)
        except ValidationError as exc:
            raise ValidationError({"date_edtf": exc}) from None
        claim.date_edtf, claim.date_earliest, claim.date_latest, claim.date_precision = (
            date.edtf, date.earliest, date.latest, date.precision,
        )
    else:
        claim.date_edtf, claim.date_earliest, claim.date_latest, claim.date_precision = "", None, None, ""


def _citation_for(claim: Claim, selection: TextSelection, *, attribution: str, stance: str, by) -> Citation:
    if Citation.objects.filter(claim=claim, source=selection.source, start=selection.start, end=selection.end).exists():
        raise ValidationError("This claim already cites exactly these words.", code="duplicate_citation")
    order = (Citation.objects.filter(claim=claim).aggregate(m=Max("order"))["m"] or 0) + 1
    citation = Citation(
        claim=claim, source=selection.source, passage=selection.passage, order=order,
        start=selection.start, end=selection.end, quote=selection.quote,
        prefix=selection.prefix, suffix=selection.suffix,
        attribution=attribution.strip(), stance=stance,
    )
    return _save(citation, by)


# Claims


@transaction.atomic
def claim_create_from_selection(
    *, by, selection: TextSelection, fields: ClaimFields, attribution: str = "", stance: str = Citation.Stance.STATES
) -> Claim:
    if not selection.source.is_current:
        raise ValidationError("Claims cite the current version of a source.", code="old_version")
    claim = Claim(status=Claim.Status.PUBLISHED, origin=Claim.Origin.EDITOR)
    _apply_fields(claim, fields)
    _save(claim, by, "created from a text selection")
    _citation_for(claim, selection, attribution=attribution, stance=stance, by=by)
    return claim


@transaction.atomic
def claim_update(*, claim: Claim, by, version: str, fields: ClaimFields, note: str = "") -> Claim:
    current = _locked_claim(claim)
    _check_version(current, version)
    if current.status == Claim.Status.MERGED:
        raise ValidationError("A merged claim is edited through the claim it went into.", code="claim_merged")
    if ClaimFields.of(current) == fields:
        return current
    _apply_fields(current, fields)
    return _save(current, by, note.strip())


@transaction.atomic
def claim_retract(*, claim: Claim, by, reason: str, version: str | None = None) -> Claim:
    current = _locked_claim(claim)
    _check_version(current, version)
    if not reason.strip():
        raise ValidationError({"reason": ValidationError("Say why the claim is retracted.", code="reason_required")})
    if current.status not in (Claim.Status.PUBLISHED, Claim.Status.CANDIDATE):
        raise ValidationError("Only a published or candidate claim can be retracted.", code="not_retractable")
    current.status = Claim.Status.RETRACTED
    current.status_reason = reason.strip()
    return _save(current, by, "retracted")


@transaction.atomic
def claim_merge(*, claim: Claim, into: Claim, by, reason: str = "") -> Claim:
    """Move every citation (and annotation, relation, entity, tag) of `claim` to `into`.

    The merged claim keeps its row and permalink, which redirects to `into`.
    """
    if getattr(claim, "pk", claim) == getattr(into, "pk", into):
        raise ValidationError("A claim cannot be merged into itself.", code="merge_into_self")
    # Lock both rows in a fixed order so that two merges cannot deadlock.
    locked = {c.pk: c for c in Claim.objects.select_for_update().filter(pk__in=[claim.pk, into.pk]).order_by("pk")}
    old, target = locked[claim.pk], locked[into.pk]
    if old.status == Claim.Status.MERGED:
        raise ValidationError("This claim was already merged.", code="already_merged")
    if target.status in (Claim.Status.MERGED, Claim.Status.REJECTED, Claim.Status.RETRACTED):
        raise ValidationError(
            "Merge into a published or candidate claim, not a %(status)s one.",
            code="bad_merge_target", params={"status": target.get_status_display()},
        )
    order = target.citations.aggregate(m=Max("order"))["m"] or 0
    for citation in old.citations.order_by("order", "id"):
        order += 1
        citation.claim, citation.order = target, order
        _save(citation, by, f"moved from claim {old.pk} by a merge")
    for annotation in Annotation.objects.filter(claim=old):
        annotation.claim = target
        _save(annotation, by, f"moved from claim {old.pk} by a merge")
    _move_relations(old, target, by)
    target.entities.add(*old.entities.all())
    target.tags.add(*old.tags.all())
    for earlier in Claim.objects.filter(merged_into=old):
        earlier.merged_into = target
        _save(earlier, by, f"claim {old.pk} was merged into {target.pk}")
    old.status, old.merged_into = Claim.Status.MERGED, target
    old.status_reason = reason.strip() or f"duplicate of claim {target.pk}"
    old.suggested_match = None
    _save(old, by, f"merged into claim {target.pk}")
    return target


def _move_relations(old: Claim, target: Claim, by) -> None:
    existing = set(
        Relation.objects.filter(Q(from_claim=target) | Q(to_claim=target)).values_list("from_claim_id", "to_claim_id", "type")
    )
    for relation in Relation.objects.filter(Q(from_claim=old) | Q(to_claim=old)):
        ends = [target.pk if e == old.pk else e for e in (relation.from_claim_id, relation.to_claim_id)]
        if ends[0] == ends[1] or (ends[0], ends[1], relation.type) in existing:
            continue  # it would point at itself or repeat a relation: it stays on the merged claim
        relation.from_claim_id, relation.to_claim_id = ends
        existing.add((ends[0], ends[1], relation.type))
        _save(relation, by, f"moved from claim {old.pk} by a merge")


# Citations and relations


@transaction.atomic
def citation_add(*, claim: Claim, by, selection: TextSelection, attribution: str = "", stance: str = Citation.Stance.STATES) -> Citation:
    current = _locked_claim(claim)
    if current.status == Claim.Status.MERGED:
        raise ValidationError("Cite the claim this one was merged into.", code="claim_merged")
    if not selection.source.is_current:
        raise ValidationError("Citations point at the current version of a source.", code="old_version")
    return _citation_for(current, selection, attribution=attribution, stance=stance, by=by)


@transaction.atomic
def relation_add(*, from_claim: Claim, to_claim: Claim, type: str, by, note: str = "") -> Relation:
    if from_claim.pk == to_claim.pk:
        raise ValidationError("A claim cannot be related to itself.", code="relation_to_itself")
    if Relation.objects.filter(from_claim=from_claim, to_claim=to_claim, type=type).exists():
        raise ValidationError("These claims are already related this way.", code="duplicate_relation")
    return _save(Relation(from_claim=from_claim, to_claim=to_claim, type=type, note=note.strip()), by)


@transaction.atomic
def relation_remove(*, relation: Relation, by, reason: str = "") -> None:
    # The row goes; its history (with this deletion, its author and reason) stays.
    _recorded(relation, by, reason.strip() or "removed").delete()


# Review of import candidates


def _locked_candidate(claim: Claim) -> Claim:
    current = _locked_claim(claim)
    if current.status != Claim.Status.CANDIDATE:
        raise ValidationError(
            "This candidate was already decided (it is now %(status)s).",
            code="not_candidate", params={"status": current.get_status_display()},
        )
    return current


@transaction.atomic
def review_accept(*, claim: Claim, by, fields: ClaimFields | None = None, version: str | None = None) -> Claim:
    current = _locked_candidate(claim)
    _check_version(current, version)
    if fields is not None:
        _apply_fields(current, fields)
    current.status = Claim.Status.PUBLISHED
    _save(current, by, "accepted in review")
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
    _save(current, by, "rejected in review")
    ReviewDecision.objects.create(
        claim=current, decision=ReviewDecision.Decision.REJECTED, reason=reason.strip(), editor=by
    )
    return current


# Annotations


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ValidationError("Write the note.", code="required")})
    if len(body) > MAX_BODY_CHARS:
        raise ValidationError(
            {"body": ValidationError("Keep a note under %(max)d characters.", code="too_long", params={"max": MAX_BODY_CHARS})}
        )
    return body


@dataclass(frozen=True)
class ReferenceFields:
    url: str
    title: str
    publisher: str = ""
    accessed: object = None


def _reference(annotation: Annotation, fields: ReferenceFields, by) -> AnnotationReference:
    url = fields.url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ValidationError({"url": ValidationError("Only http and https addresses are allowed.", code="url_scheme")})
    reference = AnnotationReference(
        annotation=annotation, url=url, title=fields.title.strip(),
        publisher=fields.publisher.strip(), accessed=fields.accessed,
    )
    return _save(reference, by)


@transaction.atomic
def annotation_create(
    *, by, kind: str, body: str, claim: Claim | None = None, citation: Citation | None = None,
    selection: TextSelection | None = None, references: Iterable[ReferenceFields] = (),
) -> Annotation:
    if sum(target is not None for target in (claim, citation, selection)) != 1:
        raise ValidationError("An annotation has exactly one target.", code="one_target")
    annotation = Annotation(kind=kind, body=_clean_body(body), author=by, claim=claim, citation=citation)
    if selection is not None:
        annotation.source = selection.source
        annotation.start, annotation.end = selection.start, selection.end
        annotation.quote, annotation.prefix, annotation.suffix = selection.quote, selection.prefix, selection.suffix
    _save(annotation, by)
    for fields in references:
        _reference(annotation, fields, by)
    return annotation


def _own_locked(annotation: Annotation, by) -> Annotation:
    current = Annotation.objects.select_for_update().get(pk=annotation.pk)
    if current.author_id != by.pk:
        raise PermissionDenied("Only its author edits an annotation.")
    return current


@transaction.atomic
def annotation_update(*, annotation: Annotation, by, kind: str, body: str, version: str) -> Annotation:
    current = _own_locked(annotation, by)
    _check_version(current, version)
    body = _clean_body(body)
    if (current.kind, current.body) == (kind, body):
        return current
    current.kind, current.body = kind, body
    return _save(current, by, "edited")


@transaction.atomic
def annotation_reference_add(*, annotation: Annotation, by, fields: ReferenceFields) -> AnnotationReference:
    current = _own_locked(annotation, by)
    return _reference(current, fields, by)


@transaction.atomic
def annotation_set_hidden(*, annotation: Annotation, by, hidden: bool, reason: str = "") -> Annotation:
    if not by.has_perm("kb.hide_annotation"):
        raise PermissionDenied("Only an admin hides annotations.")
    current = Annotation.objects.select_for_update().get(pk=annotation.pk)
    if hidden and not reason.strip():
        raise ValidationError({"reason": ValidationError("Say why it is hidden.", code="reason_required")})
    if current.is_hidden == hidden:
        return current
    current.is_hidden = hidden
    current.hidden_reason = reason.strip() if hidden else ""
    return _save(current, by, ("hidden: " + reason.strip()) if hidden else "shown again")
