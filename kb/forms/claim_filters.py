"""The claim list's filters, from the query string: a bad value is reported and ignored."""
from __future__ import annotations

import datetime as dt
import re

from django import forms

from kb.models import Claim, Credibility
from kb.text.dates import date_bounds

SORT_LABELS = {
    "date": "Date, oldest first", "-date": "Date, newest first", "confidence": "Most credible first",
    "-confidence": "Least credible first", "updated": "Recently changed", "relevance": "Best match",
}
PAGE_SIZES = (25, 50, 100)


def _year_or_date(value: str, *, end: bool) -> dt.date:
    value = value.strip()
    bounds = None
    if re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value, flags=re.ASCII):
        try:
            bounds = date_bounds(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                "“%(value)s” is not a real date.", code="invalid_date", params={"value": value}
            ) from None
    if bounds is None:
        raise forms.ValidationError(
            "Use a year (1996), a month (2006-12) or a day (2024-07-31).", code="invalid_date"
        )
    return bounds[1] if end else bounds[0]


class ClaimFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    source = forms.SlugField(required=False, max_length=200)
    entity = forms.SlugField(required=False, max_length=200)
    tag = forms.SlugField(required=False, max_length=100)
    date_from = forms.CharField(required=False, max_length=10, label="From")
    date_to = forms.CharField(required=False, max_length=10, label="To")
    credibility = forms.TypedMultipleChoiceField(
        required=False, coerce=int, choices=Credibility.choices, widget=forms.CheckboxSelectMultiple
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "published"), ("all", "any status")] + [
            (value, label) for value, label in Claim.Status.choices if value != "published"
        ],
    )
    contested = forms.ChoiceField(
        required=False, choices=[("", "either"), ("yes", "contested"), ("no", "not contested")]
    )
    dated = forms.ChoiceField(
        required=False, label="Date", choices=[("", "dated or not"), ("yes", "dated"), ("no", "undated")]
    )
    sort = forms.ChoiceField(required=False, choices=list(SORT_LABELS.items()))
    per_page = forms.TypedChoiceField(
        required=False, coerce=int, choices=[(n, n) for n in PAGE_SIZES], empty_value=50
    )

    def __init__(self, *args, editor: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editor:  # unreviewed statuses are not a choice for anyone else
            self.fields["status"].choices = [
                (value, label) for value, label in self.fields["status"].choices if value not in Claim.UNREVIEWED
            ]

    def clean_date_from(self):
        value = self.cleaned_data["date_from"]
        return _year_or_date(value, end=False) if value else None

    def clean_date_to(self):
        value = self.cleaned_data["date_to"]
        return _year_or_date(value, end=True) if value else None

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", forms.ValidationError("“To” is before “From”.", code="reversed"))
        return data


def _chosen(form: ClaimFilterForm) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "", [])}


def strict_filters(params, *, editor: bool = False) -> tuple[dict | None, ClaimFilterForm]:
    """For the API, where a script must not get a wider selection than it asked for: the
    filters, or None and the form with its errors (each with its code)."""
    form = ClaimFilterForm(params, editor=editor)
    return (_chosen(form) if form.is_valid() else None), form


def clean_filters(params, *, editor: bool = False) -> tuple[dict, list[str]]:
    """Valid filters, and a message for each one ignored. `editor`: may list unreviewed claims."""
    form = ClaimFilterForm(params, editor=editor)
    form.is_valid()
    filters = _chosen(form)
    problems = [
        f"{form.fields[name].label or name.replace('_', ' ')}: {' '.join(errors)} (ignored)"
        for name, errors in form.errors.items()
        if name != "__all__"
    ]
    if "__all__" in form.errors:
        problems.extend(form.errors["__all__"])
    for name in form.errors:
        filters.pop(name, None)
    return filters, problems
