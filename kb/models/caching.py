"""The knowledge base's generation: one row, bumped after every committed write.

Cached pages and conditional-GET validators are keyed by it (kb/page_cache.py), so a page
cached before an edit is never served after the edit commits. It lives in the database, not
in a process's memory, so every application process sees the same number.
"""
from django.db import models

GENERATION_ROW = 1


class KbGeneration(models.Model):
    value = models.BigIntegerField(default=1)
    # Seconds since 1970 (UTC): read on every request with one plain SQL statement, a number
    # needs no conversion on either database.
    changed_at = models.FloatField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=GENERATION_ROW), name="kbgeneration_one_row")]

    def __str__(self):
        return f"generation {self.value} (changed at {self.changed_at:.0f})"
