"""Property-based tests over every parser and form (issue 13, fuzzing suite): any input gives a
result or a validation error with a code, never another exception, and writes nothing."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kb.forms import editing as editing_forms
from kb.forms.claim_filters import ClaimFilterForm, clean_filters
from kb.forms.sources import SourceMetadataForm
from kb.importing.decode import ImportRefused
from kb.importing.metadata import validate_metadata
from kb.selectors.selection import TextSelection, selection_find, selection_from_points, selection_verify
from kb.templatetags.markdown_safe import render_markdown, site_safe_url
from kb.text.dates import MAX_YEAR, MIN_YEAR, parse_event_date
from tests.security.hostile import HOSTILE

hostile = st.sampled_from(HOSTILE)
texts = st.one_of(hostile, st.text(max_size=60))
EDTF_PIECES = ["1", "9", "0", "2004", "1990", "-", "/", "..", "X", "XX", "~", "?", "%", "Y", "E", "S", "[", "]",
               "{", "}", ",", "-05", "-12", "-31", "-21", "199", "Y17", "E999", "E9", "T", "00", "0000", "10000", "9999"]
edtf_like = st.lists(st.sampled_from(EDTF_PIECES), min_size=1, max_size=8).map("".join)


@given(value=st.one_of(edtf_like, texts))
@example("Y17E999")
@example("Y-99999999999")
@example("0000-05")
@example("9999-12-31/..")
def test_any_edtf_value_parses_or_is_refused_with_a_code(value):
    try:
        date = parse_event_date(value)
    except ValidationError as exc:
        assert exc.code in {"invalid_edtf", "reversed_edtf", "date_out_of_range", "required"}
        return
    for day in (date.earliest, date.latest):
        assert day is None or MIN_YEAR <= day.year <= MAX_YEAR
    if date.earliest and date.latest:
        assert date.earliest <= date.latest
    assert date.earliest or date.latest


FILTER_NAMES = list(ClaimFilterForm.base_fields) + ["page", "unknown"]


@given(params=st.dictionaries(st.sampled_from(FILTER_NAMES), st.lists(st.one_of(edtf_like, texts), min_size=1, max_size=3)),
       editor=st.booleans())
@example(params={"date_from": ["0000"], "date_to": ["0000-05"]}, editor=False)
@example(params={"date_to": ["9999-12"], "date_from": ["10000"]}, editor=False)
def test_list_filters_keep_what_is_valid_and_report_the_rest(params, editor):
    query = QueryDict(mutable=True)
    for name, values in params.items():
        query.setlist(name, values)
    filters, problems = clean_filters(query, editor=editor)
    assert all(isinstance(p, str) for p in problems)
    for name in ("date_from", "date_to"):
        assert name not in filters or isinstance(filters[name], dt.date)


def _urls(draw_text):
    return st.one_of(
        st.sampled_from(["/", "//", "\\", "/\\", "\\\\", "http:", "https:", "javascript:", "mailto:", "#", "data:", "%0a", "\t",
                         "\x00", " ", "HTTPS://", "java\nscript:", "/%2F", "&#x2F;", "&#58;", "vbscript:"]),
        draw_text,
    )


links = st.lists(_urls(st.text(max_size=12)), min_size=1, max_size=5).map("".join)


def _as_a_browser_reads_it(href: str) -> str:
    import html

    value = html.unescape(href).strip("".join(chr(c) for c in range(33)))
    return re.sub(r"[\t\n\r]", "", value).replace("\\", "/")


@given(text=st.one_of(st.text(max_size=200), links.map(lambda u: f"[x]({u})"), links.map(lambda u: f"[x](<{u}>)"),
                      links.map(lambda u: f"[x]: {u}\n\n[x]"), links.map(lambda u: f"<{u}>")))
@example("[x](/\\host/path)")
@example("[x](<java\tscript:alert(1)>)")
def test_markdown_never_links_off_site_by_a_trick_nor_runs_anything(text):
    rendered = str(render_markdown(text))
    lowered = rendered.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<iframe" not in lowered and " style=" not in lowered
    assert not re.search(r"<[a-z][^>]*\son\w+=", lowered)
    for href in re.findall(r'href="([^"]*)"', rendered):
        seen = _as_a_browser_reads_it(href)
        assert re.match(r"(?i)(https?://[^/]|mailto:|#|/(?!/))", seen), href


@given(value=st.one_of(links, texts))
@example("/&#x2F;")  # found by Hypothesis: "//" once unescaped, another site
def test_a_kept_address_is_one_the_browser_reads_the_same_way(value):
    kept = site_safe_url(value)
    if kept is not None:
        assert _as_a_browser_reads_it(kept) == kept.replace("\\", "/")
        assert re.match(r"(?i)(https?://[^/]|mailto:|#|/(?!/))", kept)


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), texts, st.dates())
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                                  st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                           max_leaves=5)


@given(raw=st.dictionaries(st.one_of(st.sampled_from(list(SourceMetadataForm.base_fields)), st.integers(), st.text(max_size=8)),
                           yaml_values, max_size=6))
@example(raw={"published": "Y17E999"})
@example(raw={"retrieved": [1, 2]})
def test_import_metadata_is_validated_or_refused_with_a_reason(raw):
    try:
        data = validate_metadata(raw, "fuzz.meta.yaml")
    except ImportRefused as exc:
        assert "fuzz.meta.yaml" in str(exc)
        return
    assert set(data) == set(SourceMetadataForm.base_fields)


FORMS = [editing_forms.ClaimFieldsForm, editing_forms.NewClaimForm, editing_forms.ClaimEditForm, editing_forms.RelationForm,
         editing_forms.ReasonForm, editing_forms.OptionalReasonForm, editing_forms.RetractForm, editing_forms.MergeForm,
         editing_forms.ReferenceForm, editing_forms.AnnotationForm, editing_forms.AnnotationEditForm, SourceMetadataForm]


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
@settings(max_examples=25)
@given(data=st.data())
def test_every_editing_form_validates_any_input_without_an_exception(form_class, data):
    names = list(form_class.base_fields)
    values = data.draw(st.dictionaries(st.sampled_from(names), st.lists(st.one_of(edtf_like, texts), min_size=1, max_size=2)))
    query = QueryDict(mutable=True)
    for name, items in values.items():
        query.setlist(name, items)
    form = form_class(query)
    if form.is_valid():
        for name, value in form.cleaned_data.items():
            assert not (isinstance(value, str) and "\x00" in value), name


# Selections read the seed text: the database is only read.

@pytest.fixture
def source(seeds):
    return seeds["article"]


positions = st.one_of(st.integers(min_value=-5, max_value=60_000), st.integers(), hostile, st.text(max_size=5))


@given(start=positions, end=positions, quote=texts, prefix=texts, suffix=texts)
def test_selection_by_offsets_is_verified_or_refused(source, start, end, quote, prefix, suffix):
    try:
        selection = selection_verify(source=source, start=start, end=end, quote=quote, prefix=prefix, suffix=suffix)
    except ValidationError as exc:
        assert exc.code
        return
    assert source.text[selection.start:selection.end] == selection.quote


points = st.one_of(st.builds(lambda n, o: f"p-{n}:{o}", st.integers(-2, 400), st.integers(-2, 10**12)), texts)


@given(start=points, end=points, quote=st.one_of(st.none(), texts))
def test_selection_by_passage_points_is_verified_or_refused(source, start, end, quote):
    try:
        selection = selection_from_points(source=source, start_point=start, end_point=end, quote=quote)
    except ValidationError as exc:
        assert exc.code
        return
    assert isinstance(selection, TextSelection)
    assert source.text[selection.start:selection.end] == selection.quote


@given(words=st.lists(st.sampled_from(["Iran", "Hamas", "support", "the", "of", "**", "\n", "1990", "x" * 50]), max_size=8),
       noise=texts, occurrence=st.one_of(st.none(), st.integers(-3, 10**6)))
def test_selection_by_quote_is_found_or_refused(source, words, noise, occurrence):
    quote = " ".join(words) + noise
    try:
        selection = selection_find(source=source, quote=quote, occurrence=occurrence)
    except ValidationError as exc:
        assert exc.code
        return
    assert source.text[selection.start:selection.end] == selection.quote
