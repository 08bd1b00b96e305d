"""The importer: structure of both seeds, tiling, versions, and refusal of bad input."""
import codecs

import pytest

from kb.importing.decode import ImportRefused
from kb.services.sources import source_import
from kb.models import Passage, Section, Source
from tests.factories import ARTICLE


def sections_of(source):
    return [
        (s.title, s.level, s.parent.title if s.parent else None, s.heading_start)
        for s in Section.objects.filter(source=source).select_related("parent").order_by("order")
    ]


def test_article_sections_levels_and_parents(seeds):
    article = seeds["article"]
    text = article.text
    got = sections_of(article)
    expected_titles = [
        ("Iranian support for Hamas", 1, None),
        ("History", 2, "Iranian support for Hamas"),
        ("1980s–1990s", 3, "History"),
        ("1995 Kfar Darom bus attack", 4, "1980s–1990s"),
        ("1996 Jaffa Road bus bombings", 4, "1980s–1990s"),
        ("Second Intifada", 3, "History"),
        ("Hamas seizure of the Gaza Strip", 3, "History"),
        ("2008–2009 Gaza War", 3, "History"),
        ("Tunnel warfare", 3, "History"),
        ("Gaza war", 3, "History"),
        ("See also", 2, "Iranian support for Hamas"),
    ]
    assert [g[:3] for g in got] == expected_titles
    # Each wikitext heading starts at its first "=" on its own line.
    for title, level, _, start in got:
        assert text[start : start + level] == "=" * level
        assert start == 0 or text[start - 1] == "\n"
        assert title in text[start : text.index("\n", start)]


def test_blog_sections_from_table_of_contents_and_glued_headings(seeds):
    blog = seeds["blog"]
    text = blog.text
    got = sections_of(blog)
    title = "Hamas & Iran: Unraveling A Complex Relationship"
    level2 = [
        "The Genesis of a Strategic Alliance", "Financial Flows: Iran's Generous Hand",
        "Military Aid and Training: Building Capabilities", "Navigating Divergences: When Allies Disagree",
        "The October 7th Attacks and Iran's Alleged Role", "The Assassination of Ismail Haniyeh: A Turning Point?",
        "Understanding the Nuances: Influence vs. Direct Control", "Future Implications and Regional Stability",
        "Conclusion",
    ]
    level3 = {
        "Early Sponsorship and Financial Lifelines": "The Genesis of a Strategic Alliance",
        "The $100 Million Annual Contribution": "Financial Flows: Iran's Generous Hand",
        "The Syrian Civil War Rift": "Navigating Divergences: When Allies Disagree",
        "Immediate Aftermath and Regional Escalation": "The October 7th Attacks and Iran's Alleged Role",
    }
    assert got[0][:3] == (title, 1, None)
    assert [g[0] for g in got if g[1] == 2] == level2
    assert {g[0]: g[2] for g in got if g[1] == 3} == level3
    assert all(g[2] == title for g in got if g[1] == 2)
    for heading, level, _, start in got[1:]:
        # Headings start at their first letter; a glued one follows the full stop directly.
        assert text.startswith(heading, start)
        assert text[start - 1] in ".\n"
    glued = text.index("network of aid.Early Sponsorship") + len("network of aid.")
    assert ("Early Sponsorship and Financial Lifelines", 3, "The Genesis of a Strategic Alliance", glued) in got
    paragraph = Passage.objects.get(source=blog, end=glued)
    assert text[paragraph.start : paragraph.end].endswith("network of aid.")


@pytest.mark.parametrize("which", ["article", "blog"])
def test_passages_tile_the_text_exactly(seeds, which):
    source = seeds[which]
    position = 0
    for passage in Passage.objects.filter(source=source).order_by("order"):
        assert passage.start == position
        assert passage.end > passage.start
        position = passage.end
    assert position == len(source.text) == source.text_length
    anchors = list(Passage.objects.filter(source=source).order_by("order").values_list("anchor", flat=True))
    assert anchors == [f"p-{n}" for n in range(1, len(anchors) + 1)]


def boilerplate_texts(source):
    return [source.text[p.start : p.end].strip() for p in source.passages.filter(kind="boilerplate").order_by("order")]


def test_article_see_also_and_quotes(seeds):
    article = seeds["article"]
    bp = boilerplate_texts(article)
    assert bp[0] == "- Iran–Palestine relations" and bp[-1] == "- Iranian support for the Houthis"
    assert len(bp) == 7
    quotes = [article.text[p.start : p.end] for p in article.passages.filter(kind="quote")]
    assert len(quotes) == 5
    assert quotes[0].startswith("The idea of [digging] tunnels")
    assert quotes[2].startswith("Fajr-3, which is a 240 mm rocket")


def test_blog_boilerplate(seeds):
    blog = seeds["blog"]
    bp = boilerplate_texts(blog)
    assert bp[0] == "Table of Contents"
    assert "- Conclusion" in bp[:11]
    assert any(b.startswith("We invite you to share your thoughts") and "follow our latest updates" in b for b in bp)
    assert "- Victoria Digiorgio The Ultimate Guide" in bp
    assert "¿Qué es Hamás? - The New York Times" in bp
    assert bp[-1] == "How much of a shift is the new Hamas policy document? - BBC News"
    # The conclusion paragraph keeps its content and ends at the full stop before the call to comment.
    conclusion = blog.passages.get(start__lte=blog.text.index("one of the world's most volatile"), end__gt=blog.text.index("one of the world's most volatile"))
    assert conclusion.kind == "paragraph"
    assert blog.text[conclusion.start : conclusion.end].rstrip().endswith("volatile regions.")
    # Markdown bold stays in the text.
    assert "**Since the early 1990s" in blog.text


def test_reimport_same_bytes_is_a_noop(seeds):
    from kb.management.commands.import_source import import_path

    before = (Source.objects.count(), Passage.objects.count(), Section.objects.count())
    result = import_path(ARTICLE)
    assert result.status == "unchanged"
    assert (Source.objects.count(), Passage.objects.count(), Section.objects.count()) == before


def test_changed_text_makes_a_new_version_and_keeps_the_old(seeds, tmp_path):
    original = ARTICLE.read_bytes()
    changed = original.replace(b"about $100 million annually", b"about $110 million annually")
    result = source_import(data=changed, name="article-v2.txt", metadata={"slug": "iranian-support-for-hamas"})
    assert result.status == "version" and result.version == 2
    versions = Source.objects.filter(slug="iranian-support-for-hamas").order_by("version")
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[0].text == original.decode("utf-8")
    assert "$110 million" in versions[1].text
    assert versions[0].passages.count() == versions[1].passages.count()


@pytest.mark.parametrize(
    "data, code",
    [
        (b"", "empty"),
        (b"   \n\t\n  ", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "damaged"),  # read as a PDF, and cut short
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (b"Hello\x00 world, a text with a NUL in it.", "nul"),
        (b"\xff\xfe" + "Hello\x00there".encode("utf-16-le"), "nul"),
        (b"caf\xc3 \xa9\x80\x81\x82\x83 \xfe\xfd\xfc", "encoding"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8\x41", "encoding"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(db_snapshot, data, code):
    before = db_snapshot()
    with pytest.raises(ImportRefused) as refused:
        source_import(data=data, name="bad.txt")
    assert refused.value.code == code
    assert "bad.txt" in refused.value.message
    assert db_snapshot() == before


def test_accepted_encodings_decode_to_the_same_text(db):
    text = "= Title =\n\nCafé “quoted” – naïve Ahmad Abd al-Hadi said so.\r\nSecond line.\r\n"
    normalised = text.replace("\r\n", "\n")
    for index, data in enumerate([
        text.encode("utf-8"), codecs.BOM_UTF8 + text.encode("utf-8"),
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"), codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    ]):
        result = source_import(data=data, name=f"doc{index}.txt", metadata={"slug": f"doc-{index}"})
        assert result.source.text == normalised


def test_range_constraints_are_enforced_by_the_database(seeds):
    from django.db import IntegrityError, transaction

    passage = seeds["article"].passages.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Passage.objects.filter(pk=passage.pk).update(end=passage.start)
    source = seeds["article"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(text_length=source.text_length + 1)
