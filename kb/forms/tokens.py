"""The form that creates a personal API token."""
from django import forms

from kb.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What uses it, e.g. “notebook on the laptop”.")
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ, widget=forms.RadioSelect,
        help_text="A read token sees what you see; a write token also writes what your role allows.",
    )
