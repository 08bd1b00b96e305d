"""The reader's "shared text" box: what a source copies and who copies it."""
from django import template

from kb.selectors.overlaps import source_copying

register = template.Library()


@register.inclusion_tag("kb/_source_copying.html")
def source_copying_box(source):
    """derived_from links out of and into `source` (one query), with their evidence runs."""
    copying = source_copying(source)
    return {"source": source, "copies": copying.copies, "copied_by": copying.copied_by}
