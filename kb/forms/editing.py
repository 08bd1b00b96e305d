"""Forms for editors' writes. They check shape; services check meaning (and raise with codes)."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from kb.forms.fields import RealDateField, WebURLField
from kb.models import Annotation
from kb.selectors.selection import TextSelection, selection_find, selection_from_points, selection_verify
from kb.services.annotations import ReferenceFields
from kb.services.claims import ClaimFields
from kb.services.common import version_token
from kb.models import Citation, Claim, Credibility, Relation, Source

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class SelectionForm(forms.Form):
    """A range of a source's text: offsets with the quote, or passage points, or a quote to find."""

    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    prefix = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    suffix = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    quote = forms.CharField(
        required=False, strip=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The exact words of the source. Paste them here if you did not select them in the reader.",
    )
    occurrence = forms.IntegerField(
        required=False, min_value=1, help_text="If the words occur more than once: which occurrence (1 = first)."
    )

    def __init__(self, *args, source: Source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source

    def clean(self):
        data = super().clean()
        if self.source is None:
            raise ValidationError("Choose the source first.", code="no_source")
        start, end, quote = data.get("start"), data.get("end"), data.get("quote") or ""
        try:
            if start is not None and end is not None:
                data["selection"] = selection_verify(
                    source=self.source, start=start, end=end, quote=quote,
                    prefix=data.get("prefix") or "", suffix=data.get("suffix") or "",
                )
            else:
                data["selection"] = selection_find(source=self.source, quote=quote, occurrence=data.get("occurrence"))
        except ValidationError as exc:
            raise ValidationError({"quote": exc}) from None
        return data

    def preview(self) -> dict | None:
        """The verified selection to show (and carry in hidden fields), or None to ask for a quote."""
        if self.is_bound:
            return selection_initial(self.cleaned_data["selection"]) if self.is_valid() else None
        return self.initial if self.initial.get("end") is not None else None

    @classmethod
    def initial_from_query(cls, params, source: Source) -> tuple[dict, list[ValidationError]]:
        """Fields filled from the reader's selection (?from=p-3:10&to=p-3:52&quote=...)."""
        if not params.get("from") and not params.get("quote"):
            return {}, []
        try:
            if params.get("from"):
                selection = selection_from_points(
                    source=source, start_point=params.get("from", ""), end_point=params.get("to", ""),
                    quote=params.get("quote"),
                )
            elif params.get("start", "").isdigit() and params.get("end", "").isdigit():
                selection = selection_verify(source=source, start=params["start"], end=params["end"], quote=params["quote"])
            else:
                selection = selection_find(source=source, quote=params.get("quote", ""))
        except ValidationError as exc:
            return {"quote": params.get("quote", "")}, [exc]
        return selection_initial(selection), []


def selection_initial(selection: TextSelection) -> dict:
    return {
        "start": selection.start, "end": selection.end, "quote": selection.quote,
        "prefix": selection.prefix, "suffix": selection.suffix,
    }


class ClaimFieldsForm(forms.Form):
    statement = forms.CharField(max_length=5000, widget=TEXTAREA, help_text="One checkable statement, in your words.")
    kind = forms.ChoiceField(choices=Claim.Kind.choices, initial=Claim.Kind.EVENT)
    date_edtf = forms.CharField(
        label="Date (EDTF)", max_length=100, required=False,
        help_text="When it happened: 2006-12, 1990/1993, 199X, 2024-07-31, 1990/.. (empty if undated).",
    )
    date_wording = forms.CharField(
        label="The source's words for the date", max_length=300, required=False,
        help_text="How the source words it, e.g. “since the early 1990s”; readers are shown the date above, in words."
    )
    credibility = forms.TypedChoiceField(
        choices=[("", "not graded")] + [(c.value, f"{c.value} — {c.label}") for c in Credibility],
        coerce=int, empty_value=None, required=False,
    )
    rationale = forms.CharField(
        widget=TEXTAREA, required=False, max_length=5000,
        help_text="Why this credibility. Required when the credibility changes.",
    )

    def claim_fields(self) -> ClaimFields:
        return ClaimFields(**{name: self.cleaned_data[name] for name in ClaimFields.__dataclass_fields__})

    @staticmethod
    def initial_for(claim: Claim) -> dict:
        return {name: getattr(claim, name) for name in ClaimFields.__dataclass_fields__}


class CitationFieldsForm(forms.Form):
    attribution = forms.CharField(
        max_length=300, required=False, help_text="Whom the source attributes it to, e.g. “an Israeli security source”."
    )
    stance = forms.ChoiceField(choices=Citation.Stance.choices, initial=Citation.Stance.STATES)


class NewClaimForm(ClaimFieldsForm, CitationFieldsForm):
    field_order = ["statement", "kind", "date_edtf", "date_wording", "credibility", "rationale", "attribution", "stance"]


class DuplicateChoiceForm(forms.Form):
    """After the duplicate warning on a new claim: cite the words on an existing claim instead
    (`cite_into`, its number), or create the new claim anyway (`create_anyway`)."""

    cite_into = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    create_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ClaimEditForm(ClaimFieldsForm):
    """The claim's fields, the version they were loaded from, and after an edit conflict a
    choice for each field both editors changed: `choose_<field>` ("mine" or "theirs", required,
    no default), with the editor's value in the field itself (hidden) and theirs in
    `theirs_<field>`. The fields in conflict are listed in `conflicts`."""

    version = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label="What you changed and why", max_length=500, required=False)
    conflicts = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        listed = self.data.get("conflicts", "") if self.is_bound else self.initial.get("conflicts", "")
        self.conflict_names = [n for n in str(listed or "").split(",") if n in ClaimFields.__dataclass_fields__]
        for name in self.conflict_names:
            self.fields[name].widget = forms.HiddenInput()
            self.fields[f"theirs_{name}"] = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
            self.fields[f"choose_{name}"] = forms.ChoiceField(
                label=self.fields[name].label or name.replace("_", " ").capitalize(),
                choices=[("mine", "Yours"), ("theirs", "Theirs")], widget=forms.RadioSelect,
                error_messages={"required": "Choose yours or theirs."},
            )

    def clean(self):
        data = super().clean()
        for name in self.conflict_names:
            if data.get(f"choose_{name}") == "theirs":
                try:
                    data[name] = self.fields[name].clean(data.get(f"theirs_{name}", ""))
                except ValidationError as exc:
                    self.add_error(f"choose_{name}", exc)
        return data

    def choices(self) -> list[dict]:
        """The fields in conflict, as the page shows them side by side."""
        return [
            {"name": name, "label": self[f"choose_{name}"].label, "choose": self[f"choose_{name}"],
             "mine": self._shown(name, self[name].value()), "theirs": self._shown(name, self[f"theirs_{name}"].value()),
             "hidden": [self[name], self[f"theirs_{name}"]]}
            for name in self.conflict_names
        ]

    def open_fields(self) -> list:
        """The fields edited as usual (the conflicting ones are hidden, chosen above them)."""
        return [f for f in self.visible_fields() if not f.name.startswith("choose_")]

    def _shown(self, name: str, value) -> str:
        choices = getattr(self.fields[name], "choices", None)
        if choices:
            return str(dict((str(k), v) for k, v in choices).get("" if value is None else str(value), value))
        return value or "—"

    @classmethod
    def for_conflict(cls, exc, *, note: str = "") -> "ClaimEditForm":
        """The form after an EditConflict: every field merged, the conflicting ones to choose,
        based on the version now saved."""
        current = ClaimFields.of(exc.current).__dict__
        initial = {**exc.merged, "version": version_token(exc.current), "note": note,
                   "conflicts": ",".join(exc.conflicts)}
        initial.update({f"theirs_{name}": "" if current[name] is None else current[name] for name in exc.conflicts})
        form = cls(initial=initial)
        # Unbound (no "required" errors on the choices yet), but carrying the conflict message.
        form.cleaned_data = {}
        form.add_error(None, exc)
        return form


class CitationSourceForm(forms.Form):
    source = forms.ModelChoiceField(
        queryset=Source.objects.current().defer("text", "original").order_by("title"), to_field_name="slug"
    )


class RelationForm(forms.Form):
    # No default: a relation says something strong about two claims, so the editor picks it.
    type = forms.ChoiceField(
        choices=[("", "— choose how they relate —")] + Relation.Type.choices,
        error_messages={"required": "Choose how the two claims relate."},
    )
    other = forms.IntegerField(label="Other claim (number)", min_value=1,
                               help_text="Search by its words above, or type its number.")
    direction = forms.ChoiceField(
        choices=[("out", "this claim → other claim"), ("in", "other claim → this claim")], initial="out"
    )
    note = forms.CharField(widget=TEXTAREA, required=False, max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=TEXTAREA, max_length=2000)


class OptionalReasonForm(forms.Form):
    """A reason that may be left out. Like every CharField, it refuses NUL characters
    (PostgreSQL cannot store them) and caps the length."""

    reason = forms.CharField(widget=TEXTAREA, max_length=2000, required=False)


def form_problems(form: forms.Form) -> ValidationError:
    """A form's errors as one ValidationError, for views that answer with a message."""
    return ValidationError([error for errors in form.errors.as_data().values() for error in errors])


class RetractForm(ReasonForm):
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class MergeForm(forms.Form):
    into = forms.IntegerField(label="Merge into claim (number)", min_value=1)
    reason = forms.CharField(widget=TEXTAREA, required=False, max_length=2000)


class ReferenceForm(forms.Form):
    url = WebURLField(label="URL", max_length=2000)
    title = forms.CharField(max_length=500)
    publisher = forms.CharField(max_length=300, required=False)
    accessed = RealDateField(label="Date accessed (YYYY-MM-DD)", required=False)

    def reference_fields(self) -> ReferenceFields:
        return ReferenceFields(**{name: self.cleaned_data[name] for name in ("url", "title", "publisher", "accessed")})


class AnnotationForm(forms.Form):
    kind = forms.ChoiceField(choices=Annotation.Kind.choices, initial=Annotation.Kind.CONTEXT)
    body = forms.CharField(
        label="Note", widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000,
        help_text="Markdown: **bold**, *italic*, [a link](https://example.org), lists. HTML is shown as text.",
    )
    ref_url = WebURLField(label="Reference URL", max_length=2000, required=False)
    ref_title = forms.CharField(label="Reference title", max_length=500, required=False)
    ref_publisher = forms.CharField(label="Reference publisher", max_length=300, required=False)
    ref_accessed = RealDateField(label="Date accessed (YYYY-MM-DD)", required=False)

    def clean(self):
        data = super().clean()
        url = data.get("ref_url") or ""
        if bool(url) != bool(data.get("ref_title")) and not self.errors.get("ref_url"):
            self.add_error("ref_title", ValidationError("A reference needs both a URL and a title.", code="incomplete"))
        return data

    def references(self) -> list[ReferenceFields]:
        data = self.cleaned_data
        if not data.get("ref_url"):
            return []
        return [ReferenceFields(data["ref_url"], data["ref_title"], data.get("ref_publisher") or "", data.get("ref_accessed"))]


class AnnotationEditForm(forms.Form):
    kind = forms.ChoiceField(choices=Annotation.Kind.choices)
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000)
    version = forms.CharField(widget=forms.HiddenInput)
