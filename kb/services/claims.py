"""Writes to claims, their citations and relations: atomic, validated, recorded with their author."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from kb.models import Annotation, Citation, Claim, Relation
from kb.selectors.claim_rules import CLAIM_RULE_FIELDS, Problem, Witness, claim_problems, relation_problems, witnesses_of
from kb.selectors.selection import TextSelection
from kb.selectors.duplicates import possible_duplicates
from kb.selectors.history import claim_as_of
from kb.services.counts import contested_recount, link_counts_kept
from kb.services.common import EditConflict, check_version, merge_fields, recorded, save_recorded, version_token
from kb.text.dates import parse_event_date

CLAIM_FIELDS = ("statement", "kind", "date_edtf", "date_wording", "credibility", "rationale")


def locked_claim(claim: Claim | int) -> Claim:
    return Claim.objects.select_for_update().get(pk=getattr(claim, "pk", claim))


def locked_claims(*claims: Claim | int) -> dict[int, Claim]:
    """Several claims locked in a fixed order (by id), so that two writes cannot deadlock."""
    ids = {getattr(claim, "pk", claim) for claim in claims}
    return {c.pk: c for c in Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def ensure_open(claim: Claim) -> None:
    """A retracted claim is closed: nothing about it changes until an editor reopens it."""
    if claim.status == Claim.Status.RETRACTED:
        raise ValidationError(
            "Claim %(id)s is retracted: reopen it, with a reason, before changing it.",
            code="claim_closed", params={"id": claim.pk},
        )


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


def apply_claim_fields(claim: Claim, fields: ClaimFields) -> None:
    """Set the editor's fields on `claim`; every problem at once (a ValidationError by field)."""
    errors: dict[str, ValidationError] = {}
    old_credibility, old_rationale = claim.credibility, claim.rationale.strip()
    rationale = fields.rationale.strip()
    if fields.credibility is not None and fields.credibility != old_credibility:
        if not rationale or (claim.pk and rationale == old_rationale):
            errors["rationale"] = ValidationError("Changing the credibility needs a new rationale.", code="rationale_required")
    edtf_value = fields.date_edtf.strip()
    date = None
    if edtf_value:
        try:
            date = parse_event_date(edtf_value)
        except ValidationError as exc:
            errors["date_edtf"] = exc
    if errors:
        raise ValidationError(errors)
    claim.statement = fields.statement.strip()
    claim.kind = fields.kind
    claim.credibility = fields.credibility
    claim.rationale = rationale
    claim.date_wording = fields.date_wording.strip()
    if date is not None:
        claim.date_edtf, claim.date_earliest, claim.date_latest, claim.date_precision = (
            date.edtf, date.earliest, date.latest, date.precision,
        )
    else:
        claim.date_edtf, claim.date_earliest, claim.date_latest, claim.date_precision = "", None, None, ""


def refuse_claim_problems(problems: list[Problem]) -> None:
    """Refuse a claim that breaks a claim rule: each message, with the rule's code, on the field it is about."""
    if problems:
        errors: dict[str, list[ValidationError]] = {}
        for problem in problems:
            field = CLAIM_RULE_FIELDS.get(problem.code, NON_FIELD_ERRORS)
            errors.setdefault(field, []).append(ValidationError(problem.for_editor, code=problem.code))
        raise ValidationError(errors)


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
    return save_recorded(citation, by)


# Claims


class PossibleDuplicate(ValidationError):
    """Other claims already cite these words or state nearly the same (`found`: Duplicates)."""

    def __init__(self, found):
        super().__init__(
            "Other claims already cite these words or say nearly the same. Add your words as a citation "
            "of one of them, or create the new claim anyway.", code="possible_duplicate",
        )
        self.found = found


@transaction.atomic
def claim_create_from_selection(
    *, by, selection: TextSelection, fields: ClaimFields, attribution: str = "", stance: str = Citation.Stance.STATES,
    refuse_duplicates: bool = False,
) -> Claim:
    """A published claim with its first citation. With `refuse_duplicates`, a claim that every
    other check accepts is still refused (nothing saved) with PossibleDuplicate when other claims
    cite some of these words or state nearly the same: the editor decides first."""
    if not selection.source.is_current:
        raise ValidationError("Claims cite the current version of a source.", code="old_version")
    claim = Claim(status=Claim.Status.PUBLISHED, origin=Claim.Origin.EDITOR)
    apply_claim_fields(claim, fields)
    source = selection.source
    refuse_claim_problems(
        claim_problems(claim, [Witness(source.pk, source.slug, attribution.strip())], texts=[source.text])
    )
    if refuse_duplicates:
        found = possible_duplicates(selection, claim.statement, claim.date_edtf)
        if found:
            raise PossibleDuplicate(found)
    with link_counts_kept() as counted:
        save_recorded(claim, by, "created from a text selection")
        counted.add(claim.pk)
    _citation_for(claim, selection, attribution=attribution, stance=stance, by=by)
    return claim


def _merged_edit(current: Claim, version: str, fields: ClaimFields) -> ClaimFields:
    """An edit made on an older version, merged field by field with what was saved since;
    EditConflict (nothing saved) when both changed a field."""
    base = claim_as_of(current, version, CLAIM_FIELDS)
    merged, conflicts = merge_fields(base, fields.__dict__, ClaimFields.of(current).__dict__)
    if conflicts:
        raise EditConflict(current, merged=merged, mine=fields.__dict__, conflicts=conflicts)
    return ClaimFields(**merged)


@transaction.atomic
def claim_update(*, claim: Claim, by, version: str, fields: ClaimFields, note: str = "", merge: bool = False) -> Claim:
    """Save an editor's fields. With `merge`, an edit made on an older version is merged with
    what was saved since (the fields the editor did not touch keep the newer values); fields
    both changed raise EditConflict. Without it, any stale edit raises StaleEdit."""
    current = locked_claim(claim)
    if merge and version is not None and version != version_token(current):
        fields = _merged_edit(current, version, fields)
        note = note.strip() or "merged with a change saved meanwhile"
    else:
        check_version(current, version)
    if current.status == Claim.Status.MERGED:
        raise ValidationError("A merged claim is edited through the claim it went into.", code="claim_merged")
    ensure_open(current)
    if ClaimFields.of(current) == fields:
        return current
    apply_claim_fields(current, fields)
    refuse_claim_problems(claim_problems(current, witnesses_of([current.pk]).get(current.pk, [])))
    return save_recorded(current, by, note.strip())


@transaction.atomic
def claim_retract(*, claim: Claim, by, reason: str, version: str | None = None) -> Claim:
    current = locked_claim(claim)
    check_version(current, version)
    if not reason.strip():
        raise ValidationError({"reason": ValidationError("Say why the claim is retracted.", code="reason_required")})
    if current.status not in (Claim.Status.PUBLISHED, Claim.Status.CANDIDATE):
        raise ValidationError("Only a published or candidate claim can be retracted.", code="not_retractable")
    current.status = Claim.Status.RETRACTED
    current.status_reason = reason.strip()
    with link_counts_kept(current.pk):
        return save_recorded(current, by, "retracted")


@transaction.atomic
def claim_reopen(*, claim: Claim, by, reason: str, version: str | None = None) -> Claim:
    """Open a retracted claim again, in the status it had before (published or candidate);
    the reason goes into its history."""
    current = locked_claim(claim)
    check_version(current, version)
    if not reason.strip():
        raise ValidationError({"reason": ValidationError("Say why the claim is reopened.", code="reason_required")})
    if current.status != Claim.Status.RETRACTED:
        raise ValidationError("Only a retracted claim can be reopened.", code="not_retracted")
    before = (
        current.history.exclude(status=Claim.Status.RETRACTED)
        .order_by("-history_date", "-history_id").values_list("status", flat=True).first()
    )
    current.status = before if before == Claim.Status.CANDIDATE else Claim.Status.PUBLISHED
    current.status_reason = ""
    with link_counts_kept(current.pk):
        return save_recorded(current, by, f"reopened: {reason.strip()}")


@transaction.atomic
def claim_merge(*, claim: Claim, into: Claim, by, reason: str = "") -> Claim:
    """Move every citation (and annotation, relation, entity, tag) of `claim` to `into`.

    The merged claim keeps its row and permalink, which redirects to `into`.
    """
    if getattr(claim, "pk", claim) == getattr(into, "pk", into):
        raise ValidationError("A claim cannot be merged into itself.", code="merge_into_self")
    locked = locked_claims(claim, into)
    old, target = locked[claim.pk], locked[into.pk]
    if old.status == Claim.Status.MERGED:
        raise ValidationError("This claim was already merged.", code="already_merged")
    ensure_open(old)
    ensure_open(target)
    if target.status in (Claim.Status.MERGED, Claim.Status.REJECTED, Claim.Status.RETRACTED):
        raise ValidationError(
            "Merge into a published or candidate claim, not a %(status)s one.",
            code="bad_merge_target", params={"status": target.get_status_display()},
        )
    with link_counts_kept(old.pk, target.pk):
        _merge_into(old, target, by, reason)
    # Relations moved from the one to the other: only these two claims' flags can change.
    contested_recount([old.pk, target.pk])
    return target


def _merge_into(old: Claim, target: Claim, by, reason: str) -> None:
    order = target.citations.aggregate(m=Max("order"))["m"] or 0
    for citation in old.citations.order_by("order", "id"):
        order += 1
        citation.claim, citation.order = target, order
        save_recorded(citation, by, f"moved from claim {old.pk} by a merge")
    for annotation in Annotation.objects.filter(claim=old):
        annotation.claim = target
        save_recorded(annotation, by, f"moved from claim {old.pk} by a merge")
    _move_relations(old, target, by)
    target.entities.add(*old.entities.all())
    target.tags.add(*old.tags.all())
    for earlier in Claim.objects.filter(merged_into=old):
        earlier.merged_into = target
        save_recorded(earlier, by, f"claim {old.pk} was merged into {target.pk}")
    old.status, old.merged_into = Claim.Status.MERGED, target
    old.status_reason = reason.strip() or f"duplicate of claim {target.pk}"
    old.suggested_match = None
    save_recorded(old, by, f"merged into claim {target.pk}")


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
        try:
            with transaction.atomic():  # the same relation may have been added to the target meanwhile
                save_recorded(relation, by, f"moved from claim {old.pk} by a merge")
        except IntegrityError:
            continue  # then it stays on the merged claim, like any other repeat


# Citations and relations


@transaction.atomic
def citation_add(*, claim: Claim, by, selection: TextSelection, attribution: str = "", stance: str = Citation.Stance.STATES) -> Citation:
    current = locked_claim(claim)
    if current.status == Claim.Status.MERGED:
        raise ValidationError("Cite the claim this one was merged into.", code="claim_merged")
    ensure_open(current)
    if not selection.source.is_current:
        raise ValidationError("Citations point at the current version of a source.", code="old_version")
    return _citation_for(current, selection, attribution=attribution, stance=stance, by=by)


@transaction.atomic
def relation_add(*, from_claim: Claim, to_claim: Claim, type: str, by, note: str = "") -> Relation:
    if from_claim.pk == to_claim.pk:
        raise ValidationError("A claim cannot be related to itself.", code="relation_to_itself")
    duplicate = ValidationError("These claims are already related this way.", code="duplicate_relation")
    # Wait for a merge of either claim to finish first (merges lock their claims FOR UPDATE);
    # NO KEY UPDATE still lets other writers reference these rows, so nothing deadlocks.
    ends = Claim.objects.select_for_update(no_key=True).filter(pk__in=[from_claim.pk, to_claim.pk]).order_by("pk")
    for end in ends:
        ensure_open(end)
    errors = [ValidationError(p.for_editor, code=p.code) for p in relation_problems(from_claim, to_claim, type)]
    if errors:
        raise errors[0] if len(errors) == 1 else ValidationError(errors)
    try:
        with transaction.atomic():  # a savepoint: another editor may add the same relation meanwhile
            relation = save_recorded(Relation(from_claim=from_claim, to_claim=to_claim, type=type, note=note.strip()), by)
    except IntegrityError:
        raise duplicate from None
    except ValidationError:
        # The other editor's relation committed between our check and our validation.
        if Relation.objects.filter(from_claim=from_claim, to_claim=to_claim, type=type).exists():
            raise duplicate from None
        raise
    if type == Relation.Type.CONTRADICTS:
        contested_recount([from_claim.pk, to_claim.pk])  # both locked above
    return relation


@transaction.atomic
def relation_remove(*, relation: Relation, by, reason: str = "") -> None:
    for end in locked_claims(relation.from_claim_id, relation.to_claim_id).values():
        ensure_open(end)
    # The row goes; its history (with this deletion, its author and reason) stays.
    ends = [relation.from_claim_id, relation.to_claim_id]
    recorded(relation, by, reason.strip() or "removed").delete()
    contested_recount(ends)
