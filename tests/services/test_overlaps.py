"""Circular reporting: the shingle index, detection of copies, direction, independence."""


from kb.selectors import overlaps as overlap
from kb.services.overlaps import source_overlaps_record
from kb.text import shingles
from kb.services.sources import source_import
from kb.models import SourceLink, SourceShingle

FILLER = (
    "Farmers in the south planted citrus and olives early, and the harvest in the autumn was larger than in "
    "any year of the previous decade. Fishermen reported good catches along the whole coast, and markets in "
    "the towns were busy until the first storms of the winter arrived."
)


def import_text(text, slug, **metadata):
    return source_import(data=text.encode(), name=f"{slug}.md", metadata={"slug": slug, **metadata}).source


def test_detection_finds_the_blog_copying_the_article_on_its_own(curated):
    article, blog = curated["article"], curated["blog"]
    SourceLink.objects.all().delete()  # no curated link: detection alone must find the pair
    assert [sid for sid, _ in overlap.candidate_sources(shingles.sampled_hashes(overlap.as_doc(blog)),
                                                         exclude_slug=blog.slug)] == [article.pk]
    # checking the earlier source finds it too, and the direction still follows publication dates
    (link,) = source_overlaps_record(source=article)
    assert (link.source, link.target, link.method) == (blog, article, SourceLink.Method.DETECTED)
    assert len(link.evidence) >= 2 and all(run["words"] >= shingles.MIN_RUN_WORDS for run in link.evidence)
    assert 0.01 < link.shared_share < 0.1  # the blog shares only a few percent of its words verbatim
    run = link.evidence[0]
    assert blog.text[run["start"] : run["end"]] == run["quote"]
    assert blog.passages.filter(anchor=run["passage"], start__lte=run["start"], end__gte=run["end"]).exists()
    assert article.passages.filter(anchor=run["target_passage"]).exists()
    assert run["quote"] in article.text


def test_a_curated_link_is_kept(curated):
    link = SourceLink.objects.get(source=curated["blog"], target=curated["article"])
    assert link.method == SourceLink.Method.CURATED
    source_overlaps_record(source=curated["blog"])
    link.refresh_from_db()
    assert link.method == SourceLink.Method.CURATED and SourceLink.objects.count() == 1


def test_importing_a_copy_records_a_detected_link_to_the_original(seeds):
    article = seeds["article"]
    copied = (
        "Iran's Islamic Revolutionary Guard Corps (IRGC) worked with Hamas to plan its 7 October 2023 surprise "
        "attack on southern Israel. In the weeks leading up to the attack, some 500 fighters from Hamas and "
        "Palestinian Islamic Jihad received training in Iran, under the guidance of the IRGC Quds Force."
    )
    source = import_text(f"# Copy\n\n{FILLER}\n\n{copied}\n", "copycat")
    link = SourceLink.objects.get(source=source)
    assert (link.target, link.method, link.kind) == (article, "detected", "derived_from")
    assert SourceShingle.objects.filter(source=source).exists()


def test_direction_follows_import_order_without_dates(db):
    shared = ("The commission found that the northern canal was dredged twice in the spring, that the contractor "
              "was paid in advance, and that the inspectors signed the reports without visiting the site.")
    other = ("Auditors later noted that the ledgers for the harbour works were kept in two currencies and that "
             "several invoices carried the same serial number and the same handwritten signature.")
    first = import_text(f"# First\n\n{shared}\n\n{other}\n", "first-report")
    second = import_text(f"# Second\n\n{FILLER}\n\n{shared}\n\n{other}\n", "second-report")
    link = SourceLink.objects.get(source__in=[first, second])
    assert (link.source, link.target) == (second, first)


def test_direction_follows_publication_dates_when_known(db):
    shared = ("The commission found that the northern canal was dredged twice in the spring, that the contractor "
              "was paid in advance, and that the inspectors signed the reports without visiting the site.")
    other = ("Auditors later noted that the ledgers for the harbour works were kept in two currencies and that "
             "several invoices carried the same serial number and the same handwritten signature.")
    later = import_text(f"# Later\n\n{FILLER}\n\n{shared}\n\n{other}\n", "later-report", published="2021-05")
    earlier = import_text(f"# Earlier\n\n{shared}\n\n{other}\n", "earlier-report", published="2019")
    link = SourceLink.objects.get(source__in=[earlier, later])
    assert (link.source, link.target) == (later, earlier)


def test_unrelated_or_barely_overlapping_texts_are_not_linked(seeds):
    # one shared 8-word phrase is not copying
    text = (f"# Note\n\n{FILLER}\n\nIt is said that Iran has remained a key patron of Hamas in some way.\n")
    source = import_text(text, "one-phrase")
    findings = overlap.find_overlaps(source)
    assert all(not finding.derived for finding in findings)
    assert not SourceLink.objects.filter(source=source).exists()
    assert not SourceLink.objects.filter(target=source).exists()


def test_the_index_keeps_a_fraction_of_the_shingles(seeds):
    blog = seeds["blog"]
    doc = overlap.as_doc(blog)
    total = sum(len(shingles.shingle_hashes(shingles.words(doc.text, s, e))) for s, e, _ in doc.ranges)
    kept = SourceShingle.objects.filter(source=blog).count()
    assert 0 < kept < total * 0.5


def test_a_new_version_is_reindexed_and_not_compared_with_its_own_slug(seeds):
    source = import_text(f"# Note\n\n{FILLER}\n", "versioned")
    new = import_text(f"# Note\n\n{FILLER} A sentence added later about the harbour.\n", "versioned")
    assert new.version == 2
    assert SourceShingle.objects.filter(source=new).exists()
    assert not SourceShingle.objects.filter(source=source).exists()
    assert not SourceLink.objects.filter(source__slug="versioned").exists()
    assert source.pk != new.pk


# ---------------------------------------------------------------- independence


# ---------------------------------------------------------------- the source page


