"""Forms: the one place where input from people (web or files) is validated."""
from django import forms
from django.core.exceptions import ValidationError

from kb.text.dates import parse_event_date
from kb.models import Reliability, Source


class SourceMetadataForm(forms.Form):
    """A document's metadata, from an import page or a `.meta.yaml` file beside it."""

    slug = forms.SlugField(max_length=200, required=False)
    title = forms.CharField(max_length=500, required=False)
    kind = forms.ChoiceField(choices=Source.Kind.choices, initial=Source.Kind.OTHER, required=False)
    publisher = forms.CharField(max_length=300, required=False)
    author = forms.CharField(max_length=300, required=False)
    url = forms.URLField(max_length=2000, required=False, assume_scheme="https")
    published = forms.CharField(max_length=100, required=False, label="Publication date (EDTF)")
    retrieved = forms.DateField(required=False, label="Retrieval date")
    language = forms.CharField(max_length=20, required=False, initial="en")
    reliability = forms.ChoiceField(choices=Reliability.choices, initial=Reliability.F, required=False)
    reliability_note = forms.CharField(widget=forms.Textarea, required=False, max_length=2000)

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url and not url.lower().startswith(("http://", "https://")):
            raise ValidationError("Only http and https addresses are allowed.", code="url_scheme")
        return url

    def clean_published(self):
        value = self.cleaned_data["published"].strip()
        if value:
            parse_event_date(value)
        return value

    def clean(self):
        data = super().clean()
        data["kind"] = data.get("kind") or Source.Kind.OTHER
        data["reliability"] = data.get("reliability") or Reliability.F
        data["language"] = data.get("language") or "en"
        return data
