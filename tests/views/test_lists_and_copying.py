"""What the lists and the overview show (issue 11): copying where researchers read, the
timeline's undated claims counted and linked, the overview's notes with their text and claim,
and text fields that refuse what is too long with a clear message."""
from django.urls import reverse

from kb.forms.editing import RelationForm
from kb.forms.sources import SourceMetadataForm
from kb.models import Claim
from kb.selectors.claims import filter_claims
from kb.selectors.overlaps import claims_also_in
from kb.timeline import UNDATED
from tests.factories import ARTICLE_SLUG, BLOG_SLUG, AnnotationFactory, ClaimFactory, article
from tests.helpers import page


def test_a_copys_reader_opens_with_a_banner_naming_the_original_and_the_share_of_its_claims(client, curated):
    html = page(client, f"/sources/{BLOG_SLUG}/")
    banner = html[html.index('id="copy-banner"'):]
    banner = banner[: banner.index("</div>")]
    assert 'href="/sources/iranian-support-for-hamas/"' in banner
    blog = curated["blog"]
    total, shared = claims_also_in(blog, [curated["article"]])
    assert total > 50 and 0 < shared[ARTICLE_SLUG] <= total
    assert f"{shared[ARTICLE_SLUG]} of its {total} claims" in banner
    # The banner comes before the first passage of the text.
    assert html.index('id="copy-banner"') < html.index('class="rh rh-1"')


def test_the_original_says_who_repeats_it(client, curated):
    html = page(client, f"/sources/{ARTICLE_SLUG}/")
    assert 'id="copied-note"' in html and f'href="/sources/{BLOG_SLUG}/"' in html
    assert 'id="copy-banner"' not in html


def test_the_claim_share_counts_a_claim_stated_in_both_or_related_there(curated):
    blog, art = curated["blog"], curated["article"]
    total, before = claims_also_in(blog, [art])
    blog_only = Claim.objects.filter(citations__source=blog, status="published").exclude(
        citations__source__slug=ARTICLE_SLUG).exclude(relations_out__type="consistent_with").exclude(
        relations_in__type="consistent_with").exclude(relations_out__type="corroborates").exclude(
        relations_in__type="corroborates").first()
    on_article = Claim.objects.filter(citations__source=art, status="published").first()
    from tests.factories import RelationFactory

    RelationFactory(from_claim=blog_only, to_claim=on_article, type="consistent_with")
    assert claims_also_in(blog, [art]) == (total, {ARTICLE_SLUG: before[ARTICLE_SLUG] + 1})


def test_the_sources_list_marks_a_copy(client, curated):
    html = page(client, reverse("source-list"))
    assert f'href="/sources/{BLOG_SLUG}/#copy-banner"' in html
    assert f'href="/sources/{ARTICLE_SLUG}/#copy-banner"' not in html


def _undated(**filters) -> int:
    return filter_claims(filters).filter(date_sort=UNDATED).count()


def test_the_timeline_counts_and_links_its_undated_claims(client, curated):
    undated = _undated()
    assert undated > 1
    html = page(client, "/timeline/")
    assert f"{undated} undated claims not drawn" in html
    assert 'href="/claims/?dated=no"' in html
    html = page(client, "/timeline/?tag=funding")
    assert f"{_undated(tag='funding')} undated claim" in html
    assert 'href="/claims/?tag=funding&amp;dated=no"' in html


def test_the_claim_list_filters_undated_claims(client, curated):
    html = page(client, "/claims/?dated=no&per_page=100")
    assert f"<h2 id=\"results-heading\" class=\"h-results\">{_undated()} claims" in html
    dated = filter_claims({}).exclude(date_sort=UNDATED).count()
    html = page(client, "/claims/?dated=yes&per_page=100")
    assert f"<h2 id=\"results-heading\" class=\"h-results\">{dated} claims" in html


def test_the_overview_shows_each_notes_text_and_claim(client, curated, editor):
    claim = Claim.objects.published().first()
    AnnotationFactory(claim=claim, author=editor, body="A **telling** detail from https://example.org/x.")
    html = page(client, "/")
    notes = html[html.index("annotations-recent"):]
    assert "A telling detail from https://example.org/x." in notes
    assert f'href="/claims/{claim.pk}/"' in notes and f"claim {claim.pk}:" in notes


def test_the_overview_leaves_out_notes_on_candidates(client, curated, editor):
    candidate = ClaimFactory(status=Claim.Status.CANDIDATE, statement="An unreviewed candidate statement.")
    AnnotationFactory(claim=candidate, author=editor, body="Note on a candidate.")
    html = page(client, "/")
    assert "Note on a candidate." not in html and "An unreviewed candidate statement." not in html


def test_a_relation_note_too_long_is_refused_with_a_clear_message():
    form = RelationForm(data={"type": "refines", "other": 1, "direction": "out", "note": "x" * 3000})
    assert not form.is_valid()
    assert "at most 2000 characters" in form.errors["note"][0]


def test_a_source_reliability_note_has_a_limit():
    form = SourceMetadataForm(data={"reliability_note": "x" * 2001})
    assert not form.is_valid()
    assert "at most 2000 characters" in form.errors["reliability_note"][0]
