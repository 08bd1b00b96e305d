"""One annotation, and who is calling."""
from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Router

from kb.api import present
from kb.api.auth import READ
from kb.api.schemas import AnnotationOut, Me, ProblemOut
from kb.models import Annotation
from kb.roles import ROLES
from kb.selectors.claims import visible_claims

router = Router(tags=["annotations"], auth=READ)
ERRORS = {400: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}


@router.get("/annotations/{int:pk}/", response={200: AnnotationOut, **ERRORS}, summary="One annotation")
def annotation_detail(request, pk: int):
    """Hidden annotations, and annotations on claims the caller may not read, are not found."""
    user = request.auth
    annotations = Annotation.objects.with_related()
    if not user.has_perm("kb.hide_annotation"):
        annotations = annotations.visible()
    readable = visible_claims(user)
    annotations = annotations.filter(
        Q(claim__isnull=True, citation__isnull=True) | Q(claim__in=readable) | Q(citation__claim__in=readable)
    )
    return present.annotation(request, get_object_or_404(annotations, pk=pk))


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
