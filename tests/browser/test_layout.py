"""Layouts in a real browser at desktop (1280×800) and phone (390×844) widths: the claim list's
filters fold above the results on a phone, the review queue's forms fit, long unbroken text
wraps, and a copy says so at the top of its reader and in the sources list.

Drives the system Chromium through Playwright; skipped when it is missing (see conftest).
"""
import pytest

from kb.models import Claim
from tests.factories import (
    BLOG_SLUG, PASSWORD, THIRD_PHRASE, AnnotationFactory, CitationFactory, ClaimFactory, article, make_candidate,
    make_user,
)
from tests.browser.conftest import log_in

from tests.browser.conftest import DESKTOP, PHONE
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
LONG_URL = "https://example.org/" + "a" * 600
OVERFLOW = "document.documentElement.scrollWidth"


@VIEWPORTS
def test_claim_list_filters_come_before_the_results_folded_on_a_phone(browse, viewport):
    page = browse(viewport)
    page.goto("/claims/")
    filters = page.locator("details.filters-box")
    first_row = page.locator(".claim-row").first
    if viewport is PHONE:
        assert filters.get_attribute("open") is None, "folded on a phone"
        assert filters.bounding_box()["y"] < first_row.bounding_box()["y"], "the filters come first"
        assert filters.bounding_box()["y"] < viewport["height"], "and on the first screen"
        page.click("details.filters-box > summary")
        page.locator("#f-tag").wait_for(state="visible")
    else:
        assert filters.get_attribute("open") is not None, "open beside the results on a wide screen"
        assert page.locator("#f-tag").is_visible()
        assert filters.bounding_box()["x"] < first_row.bounding_box()["x"], "beside the results"
    assert page.evaluate(OVERFLOW) <= viewport["width"]


@VIEWPORTS
def test_the_grade_explains_itself_on_a_tap_and_to_the_keyboard(browse, viewport):
    page = browse(viewport)
    page.goto("/claims/")
    summary = page.locator(".claim-row .grade-explain > summary").first
    summary.focus()
    page.keyboard.press("Enter")
    pop = page.locator(".claim-row .grade-explain .grade-pop").first
    assert pop.is_visible()
    text = pop.inner_text()
    assert "source" in text.lower() and "claim" in text.lower()
    assert page.evaluate(OVERFLOW) <= viewport["width"]


@VIEWPORTS
def test_the_review_queues_forms_fit_the_screen(browse, viewport, transactional_db):
    make_user("editor", "eve", password=PASSWORD)
    start = article().text.index(THIRD_PHRASE)
    make_candidate(start=start, end=start + len(THIRD_PHRASE), statement="A candidate to accept.")
    page = browse(viewport)
    log_in(page, "eve")
    page.goto("/review/")
    page.click(".review-actions summary:has-text('Accept')")
    page.locator(".review-actions form select").first.wait_for(state="visible")
    assert page.evaluate(OVERFLOW) <= viewport["width"], "no sideways scrolling"
    for box in page.locator(".review-actions form :is(select, input, textarea)").all():
        if box.is_visible():
            bounds = box.bounding_box()
            assert bounds["x"] + bounds["width"] <= viewport["width"]


@VIEWPORTS
def test_long_unbroken_text_wraps_on_every_page(browse, viewport, transactional_db):
    claim = ClaimFactory(statement=f"The ministry published its figures at {LONG_URL} in 2023.")
    CitationFactory(claim=claim, source=article())
    author = make_user("editor", "eve", password=PASSWORD)
    AnnotationFactory(claim=claim, author=author, body=f"See {LONG_URL} for the table.")
    page = browse(viewport)
    for path in ("/", "/claims/", f"/claims/{claim.pk}/", f"/claims/?q=ministry+published", "/timeline/",
                 f"/sources/{article().slug}/"):
        page.goto(path)
        width = page.evaluate(OVERFLOW)
        assert width <= viewport["width"], f"{path} is {width}px wide at {viewport['width']}px"


@VIEWPORTS
def test_a_copy_says_so_at_the_top_of_its_reader_and_in_the_sources_list(browse, viewport):
    page = browse(viewport)
    page.goto(f"/sources/{BLOG_SLUG}/")
    banner = page.locator("#copy-banner")
    assert banner.bounding_box()["y"] < viewport["height"], "on the first screen"
    assert banner.bounding_box()["y"] < page.locator("article.reader h1").bounding_box()["y"], "above the text"
    text = banner.inner_text()
    assert "Iranian support for Hamas" in text and "claims" in text and "%" in text
    assert banner.locator('a[href="/sources/iranian-support-for-hamas/"]').count() == 1
    page.goto("/sources/")
    marker = page.locator(f'a.badge-copy[href="/sources/{BLOG_SLUG}/#copy-banner"]')
    assert marker.is_visible()
    assert page.evaluate(OVERFLOW) <= viewport["width"], "the sources table fits"


def test_the_claim_count_in_the_banner_is_the_share_of_this_sources_claims(browse):
    blog_claims = Claim.objects.filter(citations__source__slug=BLOG_SLUG, citations__source__is_current=True,
                                       status="published").distinct().count()
    page = browse(DESKTOP)
    page.goto(f"/sources/{BLOG_SLUG}/")
    assert f"of its {blog_claims} claims" in page.inner_text("#copy-banner")


@VIEWPORTS
def test_the_timeline_names_a_focused_bar_and_reaches_its_whole_range(browse, viewport):
    page = browse(viewport)
    page.goto("/timeline/")
    assert "undated claims not drawn" in page.inner_text(".timeline-counts")
    assert page.locator(".tl-legend").is_visible()
    bar = page.locator("svg.timeline-svg a.bar").first
    bar.focus()
    card = page.locator(".tl-card")
    assert card.is_visible() and bar.get_attribute("data-label") in card.inner_text()
    page.keyboard.press("Escape")
    assert card.is_hidden()
    assert page.evaluate(OVERFLOW) <= viewport["width"], "the page itself never scrolls sideways"
    hint = page.locator(".tl-scroll-hint").first
    figure = page.locator(".timeline-figure").first
    if viewport is PHONE:
        assert hint.is_visible()
        assert figure.evaluate("f => f.scrollWidth > f.clientWidth"), "the chart scrolls inside its box"
        figure.evaluate("f => { f.scrollLeft = f.scrollWidth; }")
        assert figure.evaluate("f => f.scrollLeft + f.clientWidth >= f.scrollWidth - 1"), "to its far end"
    else:
        assert hint.is_hidden()
