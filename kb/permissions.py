"""Server-side permission checks for every editing view, made before the request body is read."""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def sees_unreviewed(user) -> bool:
    """Candidate (and rejected) claims are the editors' working material: nobody else sees them,
    in pages, exports, counts or the API, until an editor accepts them."""
    return user.has_perm("kb.change_claim")


def permission_needed(perm: str):
    """Anonymous visitors are sent to log in; signed-in users without `perm` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied(f"Needs the {perm} permission.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
