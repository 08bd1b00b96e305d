"""What the editing partials on the claim page and in the reader need, in a fixed number of queries."""
from django import template
from django.db.models import Q

from kb.selectors import annotations as annotation_selectors
from kb.selectors import history
from kb.services import common as edits
from kb.models import Annotation
from kb.models import Relation

register = template.Library()


def _sees_hidden(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("kb.hide_annotation"))


@register.simple_tag
def editing_rights(user) -> dict:
    """What this user may do; the server checks each again when it is done."""
    if not getattr(user, "is_authenticated", False):
        return {"edit": False, "annotate": False, "hide": False, "user_id": None}
    return {
        "edit": user.has_perm("kb.change_claim"),
        "cite": user.has_perm("kb.add_citation"),
        "relate": user.has_perm("kb.add_relation"),
        "new_claim": user.has_perm("kb.add_claim"),
        "annotate": user.has_perm("kb.add_annotation"),
        "hide": user.has_perm("kb.hide_annotation"),
        "user_id": user.pk,
    }


@register.simple_tag
def claim_annotations(claim, user):
    return annotation_selectors.claim_annotations(claim, include_hidden=_sees_hidden(user))


@register.simple_tag
def reader_annotations(source, user):
    return annotation_selectors.source_annotations(source, include_hidden=_sees_hidden(user))


@register.simple_tag
def claim_history(claim, user):
    return history.claim_history(claim, include_hidden=_sees_hidden(user))


@register.simple_tag
def claim_relations(claim):
    """The claim's relations, for the remove buttons (one query)."""
    return list(
        Relation.objects.filter(Q(from_claim=claim) | Q(to_claim=claim)).select_related("from_claim", "to_claim")
        .only("id", "type", "from_claim_id", "to_claim_id", "from_claim__statement", "to_claim__statement")
    )


@register.simple_tag
def version_token(obj) -> str:
    return edits.version_token(obj)


@register.simple_tag
def annotation_kinds():
    return Annotation.Kind.choices
