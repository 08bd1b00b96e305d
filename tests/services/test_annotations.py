"""Annotations through the services: targets, references, authorship, stale edits, hiding."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from kb.selectors import annotations as annotation_selectors
from kb.services import annotations as annotation_services
from kb.services import common as edits
from kb.models import Annotation
from tests.helpers import error_codes
from tests.factories import UNIQUE_PHRASE, article, make_claim, words


def test_annotation_on_each_kind_of_target(editor):
    claim = make_claim(editor)
    on_claim = annotation_services.annotation_create(by=editor, kind="context", body="Context.", claim=claim)
    on_citation = annotation_services.annotation_create(by=editor, kind="support", body="Yes.", citation=claim.citations.get())
    on_words = annotation_services.annotation_create(
        by=editor, kind="question", body="Which soldiers?", selection=words(article()),
        references=[annotation_services.ReferenceFields("https://example.org/report", "A report", "Example", None)],
    )
    assert on_words.source.text[on_words.start : on_words.end] == on_words.quote == UNIQUE_PHRASE
    assert on_words.references.get().url == "https://example.org/report"
    assert set(a.pk for a in annotation_selectors.claim_annotations(claim)) == {on_claim.pk, on_citation.pk}
    assert [p.annotation.pk for p in annotation_selectors.source_annotations(article())][:2] != []
    assert on_words.pk in [p.annotation.pk for p in annotation_selectors.source_annotations(article())]
    with pytest.raises(ValidationError) as caught:
        annotation_services.annotation_create(by=editor, kind="context", body="Two targets.", claim=claim, selection=words(article()))
    assert error_codes(caught.value) == {"one_target"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/x", "//example.org"])
def test_reference_url_must_be_http(editor, url, db_snapshot):
    claim = make_claim(editor)
    before = db_snapshot()
    with pytest.raises(ValidationError) as caught:
        annotation_services.annotation_create(by=editor, kind="context", body="x", claim=claim,
                                   references=[annotation_services.ReferenceFields(url, "t")])
    assert error_codes(caught.value) == {"url_scheme"}
    assert db_snapshot() == before


def test_only_the_author_edits_and_stale_edits_are_refused(editor, other_editor):
    annotation = annotation_services.annotation_create(by=editor, kind="context", body="First.", claim=make_claim(editor))
    token = edits.version_token(annotation)
    with pytest.raises(PermissionDenied):
        annotation_services.annotation_update(annotation=annotation, by=other_editor, kind="context", body="Hijacked.", version=token)
    annotation_services.annotation_update(annotation=annotation, by=editor, kind="correction", body="Second.", version=token)
    with pytest.raises(edits.StaleEdit):
        annotation_services.annotation_update(annotation=annotation, by=editor, kind="context", body="Third.", version=token)
    assert Annotation.objects.get(pk=annotation.pk).body == "Second."


def test_hiding_is_for_admins_recorded_and_reversible(editor, site_admin):
    annotation = annotation_services.annotation_create(by=editor, kind="dispute", body="Spam.", claim=make_claim(editor))
    with pytest.raises(PermissionDenied):
        annotation_services.annotation_set_hidden(annotation=annotation, by=editor, hidden=True, reason="mine")
    annotation_services.annotation_set_hidden(annotation=annotation, by=site_admin, hidden=True, reason="off topic")
    assert annotation_selectors.recent_annotations(10) == []
    annotation_services.annotation_set_hidden(annotation=annotation, by=site_admin, hidden=False)
    assert [a.pk for a in annotation_selectors.recent_annotations(10)] == [annotation.pk]
    records = list(annotation.history.order_by("history_date"))
    assert [(r.is_hidden, r.history_user.username) for r in records] == [(False, "eddie"), (True, "ada"), (False, "ada")]
    assert Annotation.objects.filter(pk=annotation.pk).exists()
