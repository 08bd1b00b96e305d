"""Formats and encodings the importer reads: plain text, Markdown, wikitext, HTML; UTF-8/16/32
and recognised legacy code pages; right-to-left text kept exactly, bidi overrides made inert."""
import codecs

import pytest

from kb.importing.decode import ImportRefused, decode
from kb.importing.html import html_to_text
from kb.services.sources import source_import
from kb.models import Passage, Section


def imported(text_or_bytes, slug="doc", name=None):
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    return source_import(data=data, name=name or f"{slug}.txt", metadata={"slug": slug}).source


def sections(source):
    return [(s.title, s.level) for s in Section.objects.filter(source=source).order_by("order")]


def passages(source, kind=None):
    qs = Passage.objects.filter(source=source).order_by("order")
    if kind:
        qs = qs.filter(kind=kind)
    return [source.text[p.start : p.end].strip() for p in qs]


def assert_tiles(source):
    position = 0
    for passage in Passage.objects.filter(source=source).order_by("order"):
        assert passage.start == position
        position = passage.end
    assert position == len(source.text)


PROSE = (
    "The committee met in Geneva in March 2019 and agreed on a timetable for the talks, "
    "which both delegations later described as realistic and binding on their governments."
)


# ---- plain text, Markdown, wikitext ------------------------------------------------------


def test_plain_text_headings_on_their_own_lines(db):
    text = f"A Report on the Talks\n\n{PROSE}\n\nBackground\n\n{PROSE}\n\nOutcome\n\n{PROSE}\n"
    source = imported(text, "plain-headings")
    assert source.format == "plain"
    assert sections(source) == [("A Report on the Talks", 1), ("Background", 2), ("Outcome", 2)]
    assert_tiles(source)


def test_plain_text_headings_glued_onto_paragraphs(db):
    text = f"A Report on the Talks\n\n{PROSE}Background of the Talks\n\n{PROSE}\n"
    source = imported(text, "plain-glued")
    assert ("Background of the Talks", 2) in sections(source)
    heading = Section.objects.get(source=source, title="Background of the Talks")
    assert source.text[heading.heading_start - 1] == "." and source.text.startswith("Background", heading.heading_start)
    assert source.text == text  # repaired by ranges, never by editing the text
    assert_tiles(source)


def test_markdown_headings_lists_and_quotes(db):
    text = (
        f"# The Talks\n\n{PROSE}\n\n## Delegations\n\n- Switzerland\n- Norway\n\n"
        f"> {PROSE}\n\n### Later meetings\n\n{PROSE}\n"
    )
    source = imported(text, "markdown-doc", name="doc.md")
    assert source.format == "markdown"
    assert sections(source) == [("The Talks", 1), ("Delegations", 2), ("Later meetings", 3)]
    assert passages(source, "list_item") == ["- Switzerland", "- Norway"]
    assert passages(source, "quote") == [f"> {PROSE}"]
    parents = {s.title: s.parent.title if s.parent else None for s in Section.objects.filter(source=source)}
    assert parents == {"The Talks": None, "Delegations": "The Talks", "Later meetings": "Delegations"}


def test_wikitext_headings_by_level(db):
    text = f"= The Talks =\n\n{PROSE}\n\n== Delegations ==\n\n{PROSE}\n\n=== Norway ===\n\n{PROSE}\n"
    source = imported(text, "wikitext-doc")
    assert source.format == "wikitext"
    assert sections(source) == [("The Talks", 1), ("Delegations", 2), ("Norway", 3)]


LONG_PROSE = ("The quick brown fox jumps over the lazy dog. " * 5000)[:200_000]
LONG_LINES = [
    LONG_PROSE,
    "=a" + " " * 199_998,  # took minutes in the heading pattern before the length guard
    "# a" + " " * 199_997,
    "x.Y" * 66_667,  # a glue candidate at every third character
    "a" * 200_000,
]


@pytest.mark.parametrize("line", LONG_LINES, ids=["prose", "wiki", "markdown", "glue", "one-word"])
def test_a_single_line_of_200000_characters_is_parsed(line):
    # How long it takes is measured by scripts/bench_hostile.py, outside the suite.
    from kb.importing.prepare import prepare

    prepared = prepare((line + "\n").encode("utf-8"), "long.txt")
    assert prepared.text == line + "\n"
    assert prepared.structure.ranges[-1][1] == len(prepared.text)


@pytest.mark.parametrize("line", LONG_LINES[1:], ids=["wiki", "markdown", "glue", "one-word"])
def test_a_single_line_of_200000_characters_imports(db, line):
    source = imported(line + "\n", "long-line")
    assert source.text == line + "\n"
    assert_tiles(source)


def test_a_single_prose_line_of_200000_characters_imports(db):
    source = imported(LONG_PROSE + "\n", "long-prose")
    assert source.text == LONG_PROSE + "\n"


# ---- HTML --------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Site title</title>
<style>p { color: red }</style><script>var tracking = 1;</script></head>
<body>
<header><h1>Example News</h1><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<aside><h2>Most read</h2><ul><li>Unrelated headline</li></ul></aside>
<main>
  <article>
    <h1>Talks resume in Geneva</h1>
    <p>The committee met in <b>Geneva</b> on 4&nbsp;March 2019 &amp; agreed
       a timetable.</p>
    <h2>Background</h2>
    <p>Earlier talks &mdash; in 2017 &mdash; had failed.<br>They resumed later.</p>
    <ul><li>Switzerland hosted</li><li>Norway mediated</li></ul>
    <blockquote><p>We are hopeful, said the envoy.</p></blockquote>
    <form><input name="q"><button>Search</button></form>
    <iframe src="https://ads.example/"></iframe>
    <svg><text>chart label</text></svg>
    <noscript>Enable JavaScript</noscript>
    <template><p>template text</p></template>
    <p hidden>hidden text</p>
  </article>
</main>
<footer>Copyright 2024 Example News</footer>
</body></html>"""


def test_html_keeps_the_main_text_as_markdown_lines():
    text = html_to_text(PAGE)
    assert text == (
        "# Talks resume in Geneva\n\n"
        "The committee met in Geneva on 4\xa0March 2019 & agreed a timetable.\n\n"
        "## Background\n\n"
        "Earlier talks — in 2017 — had failed.\nThey resumed later.\n\n"
        "- Switzerland hosted\n\n"
        "- Norway mediated\n\n"
        "> We are hopeful, said the envoy.\n"
    )
    for dropped in ("Home", "Most read", "Unrelated", "Copyright", "Search", "chart label",
                    "Enable JavaScript", "template text", "hidden text", "tracking", "color", "Site title"):
        assert dropped not in text


def test_html_without_main_or_article_reads_the_body_but_drops_chrome():
    text = html_to_text(
        "<html><body><nav>Menu</nav><h2>Title</h2><p>One.</p><div><p>Two.</p></div>"
        "<table><tr><th>Year</th><th>Amount</th></tr><tr><td>2020</td><td>$100M</td></tr></table>"
        "<footer>Footer</footer></body></html>"
    )
    assert text == "## Title\n\nOne.\n\nTwo.\n\nYear | Amount\n\n2020 | $100M\n"


def test_html_import_stores_text_and_keeps_the_original_bytes(db):
    data = PAGE.encode("utf-8")
    source = imported(data, "html-page", name="page.html")
    assert source.format == "html"
    assert bytes(source.original) == data
    assert source.text.startswith("# Talks resume in Geneva\n")
    assert sections(source) == [("Talks resume in Geneva", 1), ("Background", 2)]
    assert passages(source, "list_item") == ["- Switzerland hosted", "- Norway mediated"]
    assert passages(source, "quote") == ["> We are hopeful, said the envoy."]


# ---- right-to-left text and bidirectional controls ---------------------------------------


def test_right_to_left_text_is_kept_exactly(db):
    text = (
        "# حماس وإيران\n\n"
        "قالت مصادر إن إيران قدمت دعماً مالياً لحماس منذ أوائل التسعينيات، بحسب تقرير صدر عام 2020.\n\n"
        "## עברית\n\n"
        "לפי הדיווח, איראן העבירה כ-100 מיליון דולר בשנה לארגונים פלסטיניים.\n\n"
        "## فارسی\n\n"
        "ایران از دهه ۱۹۹۰ از حماس حمایت مالی کرده است، طبق گزارش‌ها.\n"
    )
    source = imported(text, "rtl-doc", name="rtl.md")
    assert source.text == text
    assert sections(source) == [("حماس وإيران", 1), ("עברית", 2), ("فارسی", 2)]
    assert_tiles(source)


def test_bidi_overrides_stay_in_the_text_but_are_inert_in_titles_and_pages(db, client):
    evil = "Report \u202eedoc lixe\u202c on funding"
    text = f"# {evil}\n\n{PROSE} It says \u2067{evil}\u2069 twice.\n"
    source = imported(text, "bidi-doc", name="bidi.md")
    assert source.text == text  # the text is never edited
    assert "\u202e" not in source.title
    assert all("\u202e" not in title for title, _ in sections(source))
    page = client.get(source.get_absolute_url()).content.decode()
    for control in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert control not in page


# ---- encodings ---------------------------------------------------------------------------

SAMPLE = "= Zeugen =\n\nHerr Müller trank einen Café in Łódź, sagte er.\r\nZweite Zeile.\n"


@pytest.mark.parametrize("data, encoding", [
    (SAMPLE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
    (SAMPLE.encode("utf-16"), "utf-16"),
    (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
    (SAMPLE.encode("utf-32"), "utf-32"),
])
def test_unicode_encodings_with_and_without_bom(data, encoding):
    decoded = decode(data)
    assert decoded.text == SAMPLE.replace("\r\n", "\n")
    assert decoded.encoding == encoding


@pytest.mark.parametrize("text, codec", [
    ("= Zeugen =\n\nHerr Müller trank einen Café in der Straße.\n", "latin-1"),
    ("“Café” – Müller’s naïve résumé cost 5 €.\n", "cp1252"),
    ("Łódź is a city in Poland; Żółć and gęślą are words.\n", "cp1250"),
    ("Łódź, Kraków and Gdańsk.\n", "iso8859_2"),
    ("Müller and Café went to Łódź.\n", "cp1250"),
    ("Привет, мир: это проверка кодировки.\n", "cp1251"),
    ("İstanbul’da güzel bir gün, çok şey öğrendik.\n", "cp1254"),
    ("Καλημέρα κόσμε, αυτό είναι ένα τεστ.\n", "cp1253"),
])
def test_legacy_code_pages_come_through_intact(text, codec):
    assert decode(text.encode(codec)).text == text


def test_legacy_code_page_import_stores_the_names_intact(db):
    text = "= Zeugen =\n\nHerr Müller trank einen Café in der Straße, dann fuhr er nach Köln.\n"
    source = imported(text.encode("cp1252"), "cp1252-doc")
    assert source.text == text
    assert source.encoding == "cp1252"
    assert "\ufffd" not in source.text


@pytest.mark.parametrize("data, code", [
    (b"caf\xc3 \xa9\x80\x81\x82\x83 \xfe\xfd\xfc", "encoding"),
    (bytes(range(128, 256)) * 4, "encoding"),
    ("Hello there, a text saved as UTF-16 without its mark.".encode("utf-16-le"), "encoding"),
    (b"Valid start \xef\xbf\xbd then a replacement character", "replacement_char"),
])
def test_undeterminable_encodings_are_refused_with_a_reason(data, code):
    with pytest.raises(ImportRefused) as refused:
        decode(data)
    assert refused.value.code == code
    assert refused.value.message
