"""Checks that ranges still match the text: passages tile each source, nothing lies outside it."""
from kb.models import Passage, Section, Source


def structure_problems(sources=None) -> list[str]:
    problems = []
    sources = sources if sources is not None else Source.objects.only("slug", "version", "text_length")
    for source in sources:
        position = 0
        for start, end, anchor in Passage.objects.filter(source=source).order_by("order").values_list("start", "end", "anchor"):
            if start != position:
                problems.append(f"{source.slug} v{source.version}: passage {anchor} starts at {start}, expected {position}")
            position = end
        if position != source.text_length:
            problems.append(f"{source.slug} v{source.version}: passages end at {position}, text has {source.text_length} characters")
        outside = Section.objects.filter(source=source, end__gt=source.text_length).count()
        if outside:
            problems.append(f"{source.slug} v{source.version}: {outside} sections extend past the text")
    return problems
