"""Side notes in the reader (issue 11, minor items): annotated words are marked in the text with
their note's number; on a desktop each note sits in a margin beside its words, level with them
and never over another note; on a phone each note follows its paragraph, linked both ways.

Drives the system Chromium through Playwright; skipped when it is missing (see conftest).
"""
import pytest

from kb.models import Annotation
from tests.factories import ARTICLE_SLUG, AnnotationFactory, article

READER = f"/sources/{ARTICLE_SLUG}/"
from tests.browser.conftest import DESKTOP, PHONE
EARLY = "Mousa Abu Marzouk"  # late in a paragraph
FAR = "Arash Azizi"  # a paragraph well below
NEAR = "senior officials"  # on nearly the same line as EARLY: its note must go below EARLY's


@pytest.fixture
def notes(site):
    source = article()
    long_body = "A long note on the delegation. " * 12
    return {
        EARLY: AnnotationFactory(source=source, quote=EARLY, body=long_body),
        NEAR: AnnotationFactory(source=source, quote=NEAR, kind=Annotation.Kind.QUESTION, body="Which officials?"),
        FAR: AnnotationFactory(source=source, quote=FAR, kind=Annotation.Kind.CORRECTION,
                               body="See https://example.org/azizi for the book."),
    }


@pytest.fixture
def open_reader(browse):
    def open_page(viewport, javascript=True):
        page = browse(viewport, javascript)
        page.goto(READER)
        return page

    return open_page


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_on_a_desktop_each_note_is_beside_its_words(open_reader, notes, screenshots):
    page = open_reader(DESKTOP)
    page.wait_for_selector("article.reader.notes-aside")
    text = _box(page, "article.reader p.rp")
    boxes = {}
    for quote, note in notes.items():
        words = _box(page, f'.an-mark[data-note="{note.pk}"]')
        assert page.locator(f'.an-mark[data-note="{note.pk}"]').first.inner_text() == quote
        card = _box(page, f"#annotation-{note.pk}")
        assert card["x"] >= text["x"] + text["width"] - 5, "the note is in the margin, right of the text"
        assert card["x"] + card["width"] <= 1280
        boxes[quote] = (words, card)
    words, card = boxes[FAR]
    assert abs(card["y"] - words["y"]) < 4, "a note with room is level with its words"
    words, card = boxes[EARLY]
    assert abs(card["y"] - words["y"]) < 4
    near_words, near_card = boxes[NEAR]
    assert near_card["y"] >= card["y"] + card["height"], "a note never covers the one above it"
    assert near_card["y"] - near_words["y"] < card["height"] + 40, "and is pushed down no further than needed"
    # Numbers tie words and notes: the same number after the words and on the note.
    for note in notes.values():
        ref = page.locator(f'.an-ref[data-note="{note.pk}"]')
        assert ref.get_attribute("href") == f"#annotation-{note.pk}"
        assert ref.get_attribute("data-n") == page.inner_text(f"#annotation-{note.pk} .an-num")
    # Hovering a note lights its words.
    page.hover(f"#annotation-{notes[FAR].pk}")
    assert "is-active" in page.get_attribute(f'.an-mark[data-note="{notes[FAR].pk}"]', "class")
    page.locator(f"#annotation-{notes[EARLY].pk}").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "reader-notes-desktop.png"))


def test_on_a_phone_a_note_follows_its_paragraph_and_the_number_leads_to_it(open_reader, notes, screenshots):
    page = open_reader(PHONE)
    assert page.locator("article.reader.notes-aside").count() == 0
    note = notes[FAR]
    paragraph = page.locator(f'.an-mark[data-note="{note.pk}"]').first.locator("xpath=ancestor::p[1]")
    aside = page.locator(f"#annotation-{note.pk}").locator("xpath=ancestor::aside[1]")
    assert aside.evaluate("(a, p) => a.previousElementSibling === p", paragraph.element_handle())
    below, above = _box(page, f"#annotation-{note.pk}"), paragraph.bounding_box()
    assert below["y"] >= above["y"] + above["height"] - 1 and below["x"] + below["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click(f'.an-ref[data-note="{note.pk}"]')
    assert page.evaluate("location.hash") == f"#annotation-{note.pk}"
    assert page.locator(f"#annotation-{note.pk} .note-quote a").get_attribute("href").startswith("#p-")
    page.screenshot(path=str(screenshots / "reader-notes-phone.png"))


def test_without_javascript_notes_follow_their_paragraphs(open_reader, notes):
    page = open_reader(DESKTOP, javascript=False)
    note = notes[EARLY]
    card, words = _box(page, f"#annotation-{note.pk}"), _box(page, f'.an-mark[data-note="{note.pk}"]')
    assert card["y"] > words["y"] and page.locator(".side-notes .annotation").count() == 3
    assert page.locator(".side-notes").count() == 2  # EARLY and NEAR share a paragraph, and its notes


def test_a_selection_beside_a_note_number_still_makes_the_right_quote(open_reader, notes, site):
    """The number after annotated words is drawn by CSS: the shown text, which a selection's
    offsets count, has no extra character."""
    page = open_reader(DESKTOP)
    shown = page.evaluate("""(id) => document.querySelector('.an-ref[data-note="' + id + '"]').textContent""",
                          notes[EARLY].pk)
    assert shown == ""
