"""Forms: the one place where input from people (web or files) is validated."""
from django import forms

from kb.forms.fields import RealDateField, WebURLField
from kb.text.dates import parse_event_date
from kb.models import Reliability, Source


class SourceMetadataForm(forms.Form):
    """A document's metadata, from an import page or a `.meta.yaml` file beside it."""

    slug = forms.SlugField(max_length=200, required=False)
    title = forms.CharField(max_length=500, required=False)
    kind = forms.ChoiceField(choices=Source.Kind.choices, initial=Source.Kind.OTHER, required=False)
    publisher = forms.CharField(max_length=300, required=False)
    author = forms.CharField(max_length=300, required=False)
    url = WebURLField(max_length=2000, required=False)
    published = forms.CharField(max_length=100, required=False, label="Publication date (EDTF)")
    retrieved = RealDateField(required=False, label="Retrieval date")
    language = forms.CharField(max_length=20, required=False, initial="en")
    reliability = forms.ChoiceField(choices=Reliability.choices, initial=Reliability.F, required=False)
    reliability_note = forms.CharField(widget=forms.Textarea, required=False, max_length=2000)

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
