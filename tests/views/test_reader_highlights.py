"""The reader's highlights: marks that words can be selected across (never links), a card per
citation for the popover, footnote links without JavaScript, the legend, contested and doubtful
claims told apart, annotated words marked, and a followed citation named above the text."""
import re

from kb.models import Citation, Claim, Relation
from tests.factories import (
    ARTICLE_SLUG, SECOND_PHRASE, AnnotationFactory, RelationFactory, article, client_for,
)
from tests.helpers import page

READER = f"/sources/{ARTICLE_SLUG}/"


def _citation() -> Citation:
    return Citation.objects.filter(source=article(), claim__status="published").order_by("start").first()


def test_highlights_are_marks_not_links(client, curated):
    html = page(client, READER)
    body = html[html.index('<article class="reader"'): html.index("</article>")]
    assert not re.search(r'<a [^>]*data-citation=', body), "no highlight is a link that swallows a drag"
    assert re.search(r'<mark class="hl[^"]*" data-claim="\d+" data-citation="\d+">', body)


def test_each_citation_has_a_card_with_statement_grade_date_and_link(client, curated):
    citation = _citation()
    html = page(client, READER)
    card = html[html.index(f'id="hl-card-{citation.pk}"'):]
    card = card[: card.index("</div>")]
    assert citation.claim.statement.replace("'", "&#x27;").replace('"', "&quot;")[:40] in card
    assert f'href="/claims/{citation.claim_id}/"' in card
    assert 'class="grade grade-cred-' in card
    assert "New claim here" not in card and "Annotate" not in card


def test_an_editors_cards_offer_a_claim_or_note_on_those_words(curated, editor):
    citation = _citation()
    html = page(client_for(editor), READER)
    card = html[html.index(f'id="hl-card-{citation.pk}"'):]
    card = card[: card.index("</div>")]
    assert f"?start={citation.start}&amp;end={citation.end}&amp;quote=" in card
    assert "New claim here" in card and "Annotate" in card
    assert "Select words to make a claim or annotate" in html


def test_a_reader_gets_no_editing_hint(client, curated):
    assert "Select words to make a claim or annotate" not in page(client, READER)


def test_without_javascript_each_passage_lists_its_claims(client, curated):
    citation = _citation()
    html = page(client, READER)
    refs = re.findall(r'<noscript><p class="hl-refs small">(.*?)</p></noscript>', html)
    assert refs and any(f'href="/claims/{citation.claim_id}/"' in ref for ref in refs)


def test_contested_and_doubtful_claims_are_marked_apart_and_in_the_legend(client, curated):
    contested = Claim.objects.filter(citations__source=article(), status="published").first()
    other = Claim.objects.filter(status="published").exclude(pk=contested.pk).first()
    if not Relation.objects.filter(type="contradicts", from_claim=contested).exists():
        RelationFactory(from_claim=contested, to_claim=other, type="contradicts")
    doubtful = Claim.objects.filter(citations__source=article(), status="published").exclude(pk=contested.pk) \
        .exclude(relations_out__type="contradicts").exclude(relations_in__type="contradicts").first()
    Claim.objects.filter(pk=doubtful.pk).update(credibility=5)
    html = page(client, READER)
    assert re.search(rf'<mark class="[^"]*hl-contested[^"]*" data-claim="{contested.pk}"', html)
    assert re.search(rf'<mark class="[^"]*hl-doubtful[^"]*" data-claim="{doubtful.pk}"', html)
    legend = html[html.index('class="hl-legend'):]
    legend = legend[: legend.index("</ul>")]
    assert "contested" in legend and "doubtful" in legend


def test_annotated_words_are_marked_in_the_text(client, curated, editor):
    note = AnnotationFactory(source=article(), quote=SECOND_PHRASE, author=editor)
    html = page(client, READER)
    assert f'<span class="an-mark" data-note="{note.pk}">' in html
    assert "annotated" in html[html.index('class="hl-legend'):]


def test_a_followed_citation_is_named_with_a_link_back(client, curated):
    citation = _citation()
    html = page(client, f"{READER}?claim={citation.claim_id}")
    bar = html[html.index('id="cite-bar"'):]
    bar = bar[: bar.index("</div>")]
    assert f"Quote of claim {citation.claim_id}" in bar and f'href="/claims/{citation.claim_id}/"' in bar


def test_a_claim_not_in_this_text_says_so(client, curated):
    other = Claim.objects.exclude(citations__source=article()).filter(status="published").first()
    html = page(client, f"{READER}?claim={other.pk}")
    assert f"Claim {other.pk} is not highlighted in this text" in html
