"""The account page for personal API tokens: create one (its secret shown once), revoke one."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kb.forms.tokens import TokenForm
from kb.models import ApiToken
from kb.selectors.tokens import user_tokens
from kb.services.tokens import token_create, token_revoke
from kb.views.forms_flow import add_errors


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, secret = token_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                # Rendered, not redirected: the secret exists only in this response.
                created = {"token": token, "secret": secret}
                form = TokenForm()
        if created is None:
            status = 400
    return render(request, "kb/accounts/tokens.html", {
        "form": form, "tokens": user_tokens(request.user), "created": created,
    }, status=status)


@require_POST
@login_required
def token_revoke_view(request, pk):
    # Scoped to the owner: someone else's token is not found, not forbidden.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_revoke(token=token, by=request.user)
    return redirect("token-list")
