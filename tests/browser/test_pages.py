"""The researcher's pages in a real browser (system Chromium through Playwright)."""
import pytest

PAGES = {
    "home": "/", "claims": "/claims/?q=tunnels", "claim": None, "reader": "/sources/iranian-support-for-hamas/",
    "blog": "/sources/hamas-iran-unraveling-a-complex-relationship/", "timeline": "/timeline/",
    "entity": "/entities/ismail-haniyeh/", "tag": "/tags/funding/",
}


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def test_claim_citation_leads_to_highlighted_passage(site, page):
    from kb.models import Claim

    claim = Claim.objects.get(key="art-gaza-war-hostages-200") if Claim.objects.filter(key="art-gaza-war-hostages-200").exists() \
        else Claim.objects.filter(citations__source__slug="iranian-support-for-hamas").order_by("-id").first()
    page.goto(f"{site}/claims/{claim.pk}/")
    page.locator("a.cite-link").first.click()
    page.wait_for_url(f"**/sources/**claim={claim.pk}**")
    marked = page.locator(".hl-marked").first
    marked.wait_for()
    quote = claim.citations.filter(source__slug="iranian-support-for-hamas").order_by("order", "id").first().quote
    shown = "".join(page.locator(".reader .hl-marked").all_inner_texts())
    assert shown.replace("**", "") == quote.replace("**", "")
    box = marked.bounding_box()
    assert box is not None and 0 <= box["y"] <= 800, "the quote is scrolled into view"


def test_filters_narrow_the_list(site, page):
    page.goto(f"{site}/claims/")
    total = int(page.locator("#results-heading").inner_text().split()[0])
    page.select_option("#f-tag", "tunnels")
    page.check("input[name=credibility][value='3']")
    page.click(".filter-actions button")
    page.wait_for_url("**tag=tunnels**")
    narrowed = int(page.locator("#results-heading").inner_text().split()[0])
    assert 0 < narrowed < total
    assert page.locator(".claim-row").count() == min(narrowed, 50)


def test_timeline_bars_open_claims(site, page):
    page.goto(f"{site}/timeline/")
    bars = page.locator("svg.timeline-svg a.bar")
    assert bars.count() > 20
    page.locator("ol.timeline-list a").first.click()
    page.wait_for_url("**/claims/*/")
    assert page.locator("h1").inner_text()


@pytest.mark.parametrize("width, height, label", [(1280, 900, "desktop"), (390, 844, "phone")])
def test_pages_fit_the_screen(site, chromium, screenshots, width, height, label):
    from kb.models import Claim

    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    claim = Claim.objects.filter(relations_out__isnull=False).first()
    for name, path in PAGES.items():
        page.goto(site + (path or f"/claims/{claim.pk}/"))
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        page.screenshot(path=str(screenshots / f"{name}-{label}.png"))
        assert overflow <= 0, f"{name} overflows by {overflow}px at {width}px"
    context.close()


def test_pages_work_with_the_keyboard(site, page):
    page.goto(f"{site}/claims/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused
