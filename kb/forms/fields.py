"""Form fields that every form shares, so that the same mistake gets the same message."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from kb.text.web_urls import check_web_url

NOT_A_REAL_DATE = "“%(value)s” is not a real date."


class WebURLField(forms.URLField):
    """An http or https address; any other scheme is refused with the reason, before the
    generic "Enter a valid URL"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def to_python(self, value):
        if value not in self.empty_values:
            check_web_url(str(value), scheme_required=False)
        return super().to_python(value)


class RealDateField(forms.DateField):
    """A day (YYYY-MM-DD); a day that does not exist gets the one wording used everywhere."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(NOT_A_REAL_DATE, code="invalid_date", params={"value": str(value).strip()}) from None
