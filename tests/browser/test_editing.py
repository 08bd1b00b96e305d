"""The editor workflow in a real browser: select words, make a claim, annotate it; readers see no controls.

Drives the system Chromium through Playwright (never `playwright install`). Skipped when
/usr/bin/chromium is missing.
"""

import pytest

from kb.models import Claim
from tests.factories import PASSWORD, UNIQUE_PHRASE, article, make_user
from tests.browser.conftest import log_in


@pytest.fixture
def page(chromium, site, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    context = chromium.new_context(base_url=site)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda message: print("browser:", message.text))
    page.on("pageerror", lambda error: print("page error:", error))
    yield page
    context.close()


SELECT_PHRASE = """(phrase) => {
  for (const passage of document.querySelectorAll("article.reader .rp")) {
    const walker = document.createTreeWalker(passage, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const at = node.data.indexOf(phrase);
      if (at < 0) continue;
      passage.scrollIntoView({block: "center"});
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + phrase.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return passage.id;
    }
  }
  return null;
}"""


def test_editor_selects_words_makes_a_claim_and_annotates_it(page, transactional_db):
    make_user("editor", "eve", password=PASSWORD)
    log_in(page, "eve")
    page.goto(article().get_absolute_url())
    assert page.evaluate(SELECT_PHRASE, UNIQUE_PHRASE)
    page.click(".selection-bar >> text=New claim")

    page.wait_for_selector("h1:has-text('New claim from a quote')")
    assert page.inner_text("mark.quote") == UNIQUE_PHRASE
    page.fill("#id_statement", "Seven Israeli soldiers and one settler died in the 1995 Kfar Darom bus attack.")
    page.fill("#id_date_edtf", "1995-04-09")
    page.fill("#id_date_wording", "1995")
    page.select_option("#id_credibility", "2")
    page.fill("#id_rationale", "Stated by the article, citing the U.S. Department of State.")
    page.click("button:has-text('Create claim')")
    # A curated claim cites these words: the page says so first (tests/browser/test_duplicates.py).
    page.click("button:has-text('Create a new claim anyway')")

    page.wait_for_selector("text=created with its citation")
    claim = Claim.objects.get(statement__startswith="Seven Israeli soldiers and one settler died")
    citation = claim.citations.get()
    assert citation.quote == UNIQUE_PHRASE and citation.source.text[citation.start : citation.end] == UNIQUE_PHRASE
    assert page.url.endswith(claim.get_absolute_url())

    page.click("summary:has-text('Add an annotation')")
    page.select_option("#note-kind", "support")
    page.fill("#note-body", "Also in [the State Department report](https://www.state.gov/reports/) and <script>alert(1)</script>.")
    page.click("button:has-text('Save annotation')")
    link = page.wait_for_selector(".annotation a[href='https://www.state.gov/reports/']")
    assert link.get_attribute("rel") == "nofollow noopener"
    assert link.inner_text() == "the State Department report"
    assert "<script>alert(1)</script>" in page.inner_text(".annotation .note-body")
    assert page.locator(".history-entry").count() >= 3


def test_researcher_sees_no_edit_controls(page, transactional_db):
    make_user("researcher", "rob", password=PASSWORD)
    log_in(page, "rob")
    page.goto(article().get_absolute_url())
    assert page.locator("#editing-tools").count() == 0
    assert page.evaluate(SELECT_PHRASE, UNIQUE_PHRASE)
    page.wait_for_timeout(400)
    assert page.locator(".selection-bar").count() == 0
    claim = Claim.objects.published().first()
    page.goto(claim.get_absolute_url())
    assert page.locator(".edit-controls").count() == 0
    assert page.locator("summary:has-text('Add an annotation')").count() == 0


# Selects `phrase` inside one reader passage even when highlights split it over several text nodes.
SELECT_ACROSS_NODES = """(phrase) => {
  for (const passage of document.querySelectorAll("article.reader .rp")) {
    const nodes = [];
    const walker = document.createTreeWalker(passage, NodeFilter.SHOW_TEXT);
    let node, text = "";
    while ((node = walker.nextNode())) { nodes.push([node, text.length]); text += node.data; }
    const at = text.indexOf(phrase);
    if (at < 0) continue;
    const locate = (offset) => {
      for (let i = nodes.length - 1; i >= 0; i--) {
        if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
      }
    };
    passage.scrollIntoView({block: "center"});
    const range = document.createRange();
    range.setStart(...locate(at));
    range.setEnd(...locate(at + phrase.length));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    document.dispatchEvent(new Event("selectionchange"));
    passage.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
    return passage.id;
  }
  return null;
}"""

# The last sentence of a paragraph (a line break follows it) and the first of one (a line break
# precedes it): the browser sends the context around them with CRLF line endings.
LAST_SENTENCE = "During a December 2006 visit to Tehran by Hamas Prime Minister Ismail Haniyeh, Iran committed " \
                "to providing $250 million in assistance."
FIRST_SENTENCE = "Relations between Iran and Hamas strengthened after the PLO pursued peace efforts with Israel."


def test_a_claim_from_a_paragraphs_last_sentence_is_made_on_the_first_submit(page, transactional_db):
    make_user("editor", "eve", password=PASSWORD)
    log_in(page, "eve")
    page.goto(article().get_absolute_url())
    assert page.evaluate(SELECT_ACROSS_NODES, LAST_SENTENCE)
    page.click(".selection-bar >> text=New claim")
    page.wait_for_selector("h1:has-text('New claim from a quote')")
    page.fill("#id_statement", "Iran committed $250 million in assistance during Haniyeh's December 2006 visit.")
    page.click("button:has-text('Create claim')")
    # The selection is accepted on the first submit: what comes back is the warning that a
    # curated claim cites these words, not a mismatch of the text.
    page.wait_for_selector("text=This may already be a claim")
    assert "does not match" not in page.content()
    page.click("button:has-text('Create a new claim anyway')")
    page.wait_for_selector("text=created with its citation")
    citation = Claim.objects.get(statement__startswith="Iran committed $250 million in assistance during").citations.get()
    assert citation.quote == LAST_SENTENCE and citation.suffix.startswith("\n")


def test_an_annotation_on_a_paragraphs_first_sentence_is_saved_on_the_first_submit(page, transactional_db):
    from kb.models import Annotation

    make_user("editor", "eve", password=PASSWORD)
    log_in(page, "eve")
    page.goto(article().get_absolute_url())
    assert page.evaluate(SELECT_ACROSS_NODES, FIRST_SENTENCE)
    page.click(".selection-bar >> text=Annotate")
    page.wait_for_selector("textarea")
    page.fill("textarea[name=body]", "The PLO's Oslo track is the context here.")
    page.click("button:has-text('Save annotation')")
    page.wait_for_selector("text=The PLO's Oslo track is the context here.")
    annotation = Annotation.objects.get(body="The PLO's Oslo track is the context here.")
    assert annotation.quote == FIRST_SENTENCE and annotation.prefix.endswith("\n")
