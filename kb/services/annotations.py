"""Editors' annotations: notes on a claim, a citation or a selection, with their references."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kb.models import Annotation, AnnotationReference, Citation, Claim
from kb.selectors.selection import TextSelection
from kb.services.claims import ensure_open, locked_claim
from kb.services.common import check_version, save_recorded
from kb.text.web_urls import check_web_url

MAX_BODY_CHARS = 20_000


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


def _ensure_claim_open(*, claim_id: int | None = None, citation_id: int | None = None) -> None:
    """Notes on a retracted claim (or on one of its citations) wait until it is reopened.
    Hiding a note is moderation and is never blocked."""
    if claim_id is None and citation_id is not None:
        claim_id = Citation.objects.filter(pk=citation_id).values_list("claim_id", flat=True).first()
    if claim_id is not None:
        ensure_open(locked_claim(claim_id))


def _reference(annotation: Annotation, fields: ReferenceFields, by) -> AnnotationReference:
    url = fields.url.strip()
    try:
        check_web_url(url)
    except ValidationError as exc:
        raise ValidationError({"url": exc}) from None
    reference = AnnotationReference(
        annotation=annotation, url=url, title=fields.title.strip(),
        publisher=fields.publisher.strip(), accessed=fields.accessed,
    )
    return save_recorded(reference, by)


@transaction.atomic
def annotation_create(
    *, by, kind: str, body: str, claim: Claim | None = None, citation: Citation | None = None,
    selection: TextSelection | None = None, references: Iterable[ReferenceFields] = (),
) -> Annotation:
    if sum(target is not None for target in (claim, citation, selection)) != 1:
        raise ValidationError("An annotation has exactly one target.", code="one_target")
    _ensure_claim_open(claim_id=getattr(claim, "pk", None), citation_id=getattr(citation, "pk", None))
    annotation = Annotation(kind=kind, body=_clean_body(body), author=by, claim=claim, citation=citation)
    if selection is not None:
        annotation.source = selection.source
        annotation.start, annotation.end = selection.start, selection.end
        annotation.quote, annotation.prefix, annotation.suffix = selection.quote, selection.prefix, selection.suffix
    save_recorded(annotation, by)
    for fields in references:
        _reference(annotation, fields, by)
    return annotation


def _own_locked(annotation: Annotation, by) -> Annotation:
    current = Annotation.objects.select_for_update().get(pk=annotation.pk)
    if current.author_id != by.pk:
        raise PermissionDenied("Only its author edits an annotation.")
    _ensure_claim_open(claim_id=current.claim_id, citation_id=current.citation_id)
    return current


@transaction.atomic
def annotation_update(*, annotation: Annotation, by, kind: str, body: str, version: str) -> Annotation:
    current = _own_locked(annotation, by)
    check_version(current, version)
    body = _clean_body(body)
    if (current.kind, current.body) == (kind, body):
        return current
    current.kind, current.body = kind, body
    return save_recorded(current, by, "edited")


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
    return save_recorded(current, by, ("hidden: " + reason.strip()) if hidden else "shown again")
