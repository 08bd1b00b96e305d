from django.core.management.base import BaseCommand, CommandError

from kb.reports.integrity import structure_problems
from kb.models import Citation, NonClaim


class Command(BaseCommand):
    help = (
        "Verify every citation (and not-claim mark) against its source: source.text[start:end] must "
        "equal the quote. Also checks that passages tile each source. Exits non-zero on any mismatch."
    )

    def handle(self, *args, **options):
        bad = 0
        checked = 0
        for model in (Citation, NonClaim):
            rows = model.objects.select_related("source").only(
                "start", "end", "quote", "source__text", "source__slug"
            )
            if model is Citation:
                rows = rows.exclude(anchoring=Citation.Anchoring.ORPHANED)
            for row in rows.iterator(chunk_size=500):
                checked += 1
                if row.source.text[row.start : row.end] != row.quote:
                    bad += 1
                    self.stderr.write(
                        f"{model.__name__} {row.pk} in {row.source.slug} [{row.start}:{row.end}]: "
                        f"text is {row.source.text[row.start:row.end][:60]!r}, quote is {row.quote[:60]!r}"
                    )
        problems = structure_problems()
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(f"Checked {checked} quotes: {bad} mismatches; {len(problems)} structure problems.")
        if bad or problems:
            raise CommandError("Some ranges do not match their source text.")
