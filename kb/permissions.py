"""Server-side permission checks for every editing view, made before the request body is read."""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def sees_unreviewed(user) -> bool:
    """Candidate (and rejected) claims are the editors' working material: nobody else sees them,
    in pages, exports, counts or the API, until an editor accepts them."""
    return user.has_perm("kb.change_claim")


def editing_rights(user) -> dict:
    """What this user may do, for showing the claim page's and the reader's controls; each view
    checks again on the server when it is used. No query beyond the user's permissions, which
    Django fetches once per request."""
    if not getattr(user, "is_authenticated", False):
        return {"edit": False, "cite": False, "relate": False, "new_claim": False, "annotate": False,
                "hide": False, "user_id": None}
    return {
        "edit": user.has_perm("kb.change_claim"),
        "cite": user.has_perm("kb.add_citation"),
        "relate": user.has_perm("kb.add_relation"),
        "new_claim": user.has_perm("kb.add_claim"),
        "annotate": user.has_perm("kb.add_annotation"),
        "hide": user.has_perm("kb.hide_annotation"),
        "user_id": user.pk,
    }


def check_permission(user, perm: str) -> None:
    """The one check behind every write, for pages and the API alike."""
    if not user.has_perm(perm):
        raise PermissionDenied(f"Needs the {perm} permission.")


def permission_needed(perm: str):
    """Anonymous visitors are sent to log in; signed-in users without `perm` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check_permission(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
