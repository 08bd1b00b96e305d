"""One annotation, and who is calling."""
from __future__ import annotations

import json

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router

from kb.api import formats, present
from kb.api.auth import READ, write
from kb.api.schemas import AnnotationOut, AnnotationUpdateIn, HideIn, Id, Me, ProblemOut
from kb.models import Annotation, Citation
from kb.roles import ROLES
from kb.selectors.claims import visible_claims
from kb.services import annotations as annotation_services

router = Router(tags=["annotations"], auth=READ)
ERRORS = {400: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}
WRITE_ERRORS = {**ERRORS, 401: ProblemOut, 403: ProblemOut, 409: ProblemOut}


LD_JSON = "application/ld+json"
WEB_ANNOTATION = {"description": "A W3C Web Annotation", "content": {LD_JSON: {"schema": {"type": "object"}}}}


def _jsonld(data: dict) -> HttpResponse:
    response = HttpResponse(
        json.dumps(formats.standalone(data), ensure_ascii=False),
        content_type=f'{LD_JSON}; profile="http://www.w3.org/ns/anno.jsonld"',
    )
    response["Vary"] = "Accept"
    return response


@router.get("/citations/{pk}/", response=ERRORS, summary="A citation as a W3C Web Annotation",
            openapi_extra={"responses": {200: WEB_ANNOTATION}})
def citation_detail(request, pk: Id):
    """The claim's statement describing the cited words: a TextualBody, and a SpecificResource
    target with the source version's IRI, a TextPositionSelector and a TextQuoteSelector."""
    citation = get_object_or_404(
        Citation.objects.with_page().select_related("claim", "source")
        .defer("source__text", "source__original").filter(claim__in=visible_claims(request.auth)),
        pk=pk,
    )
    base = request.build_absolute_uri("/").rstrip("/")
    return _jsonld(formats.citation_annotation(base, citation.claim, citation))


def _readable_annotation(user, pk: int) -> Annotation:
    """The annotation as the caller may read it: hidden ones only for those who may hide them,
    and only on claims the caller may read; anything else is not found."""
    annotations = Annotation.objects.with_related()
    if not user.has_perm("kb.hide_annotation"):
        annotations = annotations.visible()
    readable = visible_claims(user)
    annotations = annotations.filter(
        Q(claim__isnull=True, citation__isnull=True) | Q(claim__in=readable) | Q(citation__claim__in=readable)
    )
    return get_object_or_404(annotations, pk=pk)


def _fresh(request, annotation: Annotation):
    return present.annotation(request, Annotation.objects.with_related().get(pk=annotation.pk))


@router.get("/annotations/{pk}/", response={200: AnnotationOut, **ERRORS}, summary="One annotation",
            openapi_extra={"responses": {200: {"content": {LD_JSON: {"schema": {"type": "object"}}}}}})
def annotation_detail(request, pk: Id):
    """Hidden annotations, and annotations on claims the caller may not read, are not found.
    With `Accept: application/ld+json`, the annotation as a W3C Web Annotation."""
    annotation = _readable_annotation(request.auth, pk)
    if request.get_preferred_type(["application/json", LD_JSON]) == LD_JSON:
        return _jsonld(formats.editor_annotation(request.build_absolute_uri("/").rstrip("/"), annotation))
    return present.annotation(request, annotation)


@router.patch("/annotations/{pk}/", auth=write("kb.change_annotation"),
              response={200: AnnotationOut, **WRITE_ERRORS}, summary="Edit your annotation")
def annotation_edit(request, pk: Id, payload: AnnotationUpdateIn):
    """Only its author edits an annotation (403 for anyone else). Send the `version` you read:
    if it was saved since, nothing changes and the answer is 409 with the `current_version`."""
    annotation = _readable_annotation(request.auth, pk)
    annotation = annotation_services.annotation_update(
        annotation=annotation, by=request.auth, version=payload.version,
        kind=payload.kind or annotation.kind, body=annotation.body if payload.body is None else payload.body,
    )
    return _fresh(request, annotation)


@router.post("/annotations/{pk}/hide", auth=write("kb.hide_annotation"),
             response={200: AnnotationOut, **WRITE_ERRORS}, summary="Hide an annotation (admins)")
def annotation_hide(request, pk: Id, payload: HideIn):
    """Hidden annotations leave every page and export for everyone but admins; the reason is kept
    in its history. Hiding a hidden annotation changes nothing."""
    annotation = _readable_annotation(request.auth, pk)
    return _fresh(request, annotation_services.annotation_set_hidden(
        annotation=annotation, by=request.auth, hidden=True, reason=payload.reason,
    ))


@router.post("/annotations/{pk}/unhide", auth=write("kb.hide_annotation"),
             response={200: AnnotationOut, **WRITE_ERRORS}, summary="Show a hidden annotation again (admins)")
def annotation_unhide(request, pk: Id):
    annotation = _readable_annotation(request.auth, pk)
    return _fresh(request, annotation_services.annotation_set_hidden(annotation=annotation, by=request.auth, hidden=False))


@router.get("/me", response={200: Me, 429: ProblemOut}, tags=["account"], summary="Who is calling")
def me(request):
    user = request.auth
    token = getattr(request, "api_token", None)
    return {
        "username": user.get_username() if user.is_authenticated else None,
        "authenticated": user.is_authenticated,
        "roles": sorted(g for g in user.groups.values_list("name", flat=True) if g in ROLES) if user.is_authenticated else [],
        "token_scope": token.scope if token else None,
    }
