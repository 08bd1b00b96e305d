"""The reader in a real browser: highlighted words can be selected, a click opens the claim's
popover (keyboard too), a followed citation is named and focused, and the text comes first on a phone.

Drives the system Chromium through Playwright; skipped when it is missing (see conftest).
"""
import pytest

from kb.models import Citation, Claim
from tests.factories import ARTICLE_SLUG, PASSWORD, article, make_user
from tests.browser.conftest import log_in

READER = f"/sources/{ARTICLE_SLUG}/"
from tests.browser.conftest import DESKTOP, PHONE


def _published_citation() -> Citation:
    return (Citation.objects.filter(source=article(), claim__status=Claim.Status.PUBLISHED)
            .exclude(anchoring="orphaned").order_by("start").first())


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_drag_across_a_highlight_selects_its_words_and_stays_on_the_page(browse, viewport):
    page = browse(viewport)
    page.goto(READER)
    mark = page.locator(f'mark[data-citation="{_published_citation().pk}"]').first
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    y = box["y"] + min(box["height"], 20) / 2
    page.mouse.move(box["x"] + 3, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, y, steps=6)
    page.mouse.move(box["x"] + 140, y, steps=6)
    page.mouse.up()
    selected = page.evaluate("window.getSelection().toString()")
    assert len(selected.strip()) >= 5, "a drag over highlighted words selects them"
    assert selected.strip() in mark.inner_text()
    assert page.url.endswith(READER), "the drag did not follow a link"
    assert page.locator("#hl-pop").count() == 0, "a drag is not a click: no popover"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_click_on_a_highlight_opens_its_claim_in_a_popover(browse, viewport):
    citation = _published_citation()
    claim = citation.claim
    page = browse(viewport)
    page.goto(READER)
    page.locator(f'mark[data-citation="{citation.pk}"]').first.click()
    pop = page.locator("#hl-pop")
    pop.wait_for()
    assert page.url.endswith(READER)
    assert claim.statement in pop.inner_text()
    assert pop.locator(f'a[href="/claims/{claim.pk}/"]').count() == 1
    assert pop.locator(".grade").count() == 1
    assert pop.locator("text=New claim here").count() == 0, "a reader gets no editing links"
    box = pop.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], "the popover fits the screen"
    page.keyboard.press("Escape")
    assert page.locator("#hl-pop").count() == 0
    assert page.evaluate("document.activeElement.dataset.citation") == str(citation.pk), "focus goes back"


def test_highlights_open_from_the_keyboard(browse):
    citation = _published_citation()
    page = browse()
    page.goto(READER)
    mark = page.locator(f'mark[data-citation="{citation.pk}"][tabindex="0"]')
    assert mark.get_attribute("role") == "button"
    mark.focus()
    page.keyboard.press("Enter")
    page.locator("#hl-pop").wait_for()
    assert page.evaluate("document.getElementById('hl-pop').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.dataset.citation") == str(citation.pk)
    page.keyboard.press(" ")
    page.locator("#hl-pop").wait_for()
    # Tab reaches the next highlight: every highlight is a tab stop.
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "MARK"


def test_an_editor_makes_a_claim_from_a_highlights_popover(browse, transactional_db):
    make_user("editor", "eve", password=PASSWORD)
    citation = _published_citation()
    page = browse()
    log_in(page, "eve")
    page.goto(READER)
    assert "Select words to make a claim or annotate" in page.inner_text("article.reader")
    page.locator(f'mark[data-citation="{citation.pk}"]').first.click()
    page.locator("#hl-pop >> text=Annotate").wait_for()
    page.click("#hl-pop >> text=New claim here")
    page.wait_for_selector("h1:has-text('New claim from a quote')")
    assert page.inner_text("mark.quote") == citation.quote


def test_without_javascript_each_passage_links_its_claims(browse):
    citation = _published_citation()
    page = browse(javascript=False)
    page.goto(READER)
    link = page.locator(f'.hl-refs a[href="/claims/{citation.claim_id}/"]').first
    assert link.is_visible()
    assert page.locator("#hl-cards").is_hidden()
    link.click()
    page.wait_for_url(f"**/claims/{citation.claim_id}/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_followed_citation_is_named_with_a_link_back_and_focused(browse, viewport):
    citation = _published_citation()
    page = browse(viewport)
    page.goto(f"{READER}?claim={citation.claim_id}")
    bar = page.locator("#cite-bar")
    assert f"claim {citation.claim_id}" in bar.inner_text()
    assert bar.locator(f'a[href="/claims/{citation.claim_id}/"]').count() == 1
    focused = page.evaluate("document.activeElement.classList.contains('hl-marked')")
    assert focused, "focus is on the quote"
    assert page.evaluate("document.activeElement.dataset.claim") == str(citation.claim_id)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_reader_shows_the_text_first_on_a_phone_and_fits(browse, viewport):
    page = browse(viewport)
    page.goto(READER)
    text_top = page.locator("article.reader").bounding_box()["y"]
    side_top = page.locator(".reader-side").bounding_box()["y"]
    if viewport is PHONE:
        assert text_top < side_top, "the document's text comes before the sidebar"
        assert text_top < viewport["height"] / 2, "the text starts on the first screen"
    else:
        assert abs(text_top - side_top) < 5, "side by side on a wide screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    legend = page.locator(".hl-legend")
    assert "claim" in legend.inner_text()
