from django.core.management.base import BaseCommand, CommandError

from kb.reports.coverage import source_coverage
from kb.models import Source


class Command(BaseCommand):
    help = (
        "Per source: sentences, covered by a citation, marked as not a claim, uncovered (each listed). "
        "With --strict, exit non-zero if any sentence is uncovered."
    )

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true")
        parser.add_argument("--source", action="append", help="limit to these source slugs")

    def handle(self, *args, strict=False, source=None, **options):
        sources = Source.objects.current().real().order_by("slug")
        if source:
            sources = sources.filter(slug__in=source)
        total_uncovered = 0
        for item in sources:
            report = source_coverage(item)
            total_uncovered += len(report.uncovered)
            self.stdout.write(
                f"{item.slug}: {report.sentences} sentences, {report.covered} covered, "
                f"{report.marked} marked not a claim, {len(report.uncovered)} uncovered "
                f"({report.share:.1%}); {report.structure} heading/boilerplate passages"
            )
            for start, end, anchor in report.uncovered:
                self.stdout.write(f"  uncovered #{anchor} [{start}:{end}] {item.text[start:end]}")
        if strict and total_uncovered:
            raise CommandError(f"{total_uncovered} sentences are neither cited nor marked.")
