"""One way for a view to run a form through a service.

`submit` validates the form (and any forms it depends on), calls the write, and then either
redirects with a message, or puts the service's ValidationError on the form: on the field the
error names, else on the form as a whole. A StaleEdit (someone saved a newer version while the
editor was typing) gives the editor's own input back against the current version, with the
change that came in between, so they can decide.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from kb.models import Claim
from kb.selectors import history
from kb.selectors.claims import claim_numbered
from kb.services.common import StaleEdit, version_token


@dataclass
class Submitted:
    form: Any
    response: HttpResponse | None = None  # the redirect after a successful write
    conflict: dict | None = None  # after a StaleEdit: {"current": ..., "change": ...}


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field where it names one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def submit(
    request, form, write: Callable[[], Any], *, success: str | Callable[[Any], str],
    then: Callable[[Any], Any], also=(), rebase: bool | Callable[[StaleEdit], Any] = False,
) -> Submitted:
    """Validate `form` and the forms in `also`; if all are valid, call `write()`.

    On success: flash `success` (a text, or a function of what `write` returned) and redirect to
    `then(result)`. On a ValidationError: the errors on `form`, no redirect. With `rebase`, a
    StaleEdit returns the form rebuilt from the editor's input against the current version, or
    the form `rebase(exc)` builds when `rebase` is a function (the claim's per-field merge).
    """
    if not all([other.is_valid() for other in also] + [form.is_valid()]):
        return Submitted(form)
    try:
        result = write()
    except StaleEdit as exc:
        if not rebase:
            add_errors(form, exc)
            return Submitted(form)
        if callable(rebase):
            rebased = rebase(exc)
        else:
            data = request.POST.copy()
            data["version"] = version_token(exc.current)
            rebased = type(form)(data)
            rebased.is_valid()
            rebased.add_error(None, exc)
        return Submitted(rebased, conflict={"current": exc.current, "change": history.last_change(exc.current)})
    except ValidationError as exc:
        add_errors(form, exc)
        return Submitted(form)
    messages.success(request, success(result) if callable(success) else success)
    return Submitted(form, redirect(then(result)))


def numbered_claim(form, field: str) -> Claim:
    """The claim whose number the valid form holds in `field`; a not_found error on that field
    (for `submit` to show) when there is none."""
    claim = claim_numbered(form.cleaned_data[field])
    if claim is None:
        raise ValidationError({field: ValidationError("There is no claim with that number.", code="not_found")})
    return claim
