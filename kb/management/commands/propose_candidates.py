import time

from django.core.management.base import BaseCommand, CommandError

from kb.services.candidates import candidates_propose
from kb.models import Source


class Command(BaseCommand):
    help = (
        "Propose candidate claims for sources (the step `import_source --no-candidates` leaves for "
        "later). Safe to repeat: sentences that already carry a citation, a candidate or a "
        "not-a-claim mark are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="sources to mine (current versions)")
        parser.add_argument("--all", action="store_true", help="every current, non-synthetic source")
        parser.add_argument("--enqueue", action="store_true",
                            help="queue one job per source for the workers and print the job ids")

    def handle(self, *args, slugs, all=False, enqueue=False, **options):
        if not slugs and not all:
            raise CommandError("Name sources by slug, or pass --all.")
        sources = Source.objects.current().real().order_by("pk")
        if slugs:
            sources = sources.filter(slug__in=slugs)
            missing = sorted(set(slugs) - set(sources.values_list("slug", flat=True)))
            if missing:
                raise CommandError(f"No current source with slug: {', '.join(missing)}")
        if enqueue:
            return self._enqueue(sources)
        began = time.perf_counter()
        count = total = 0
        for source in sources.iterator(chunk_size=100):
            made = candidates_propose(source=source)
            count += 1
            total += len(made)
            if options.get("verbosity", 1) >= 2:
                self.stdout.write(f"{source.slug}: {len(made)} candidates")
        self.stdout.write(
            f"Proposed {total} candidate claims for {count} sources in {time.perf_counter() - began:.1f}s."
        )

    def _enqueue(self, sources) -> None:
        import uuid

        from django.db import transaction

        from kb.services.jobs import candidates_job_create

        batch, count = uuid.uuid4().hex, 0
        with transaction.atomic():
            for source in sources.defer("text", "original").iterator(chunk_size=100):
                job = candidates_job_create(source=source, batch=batch)
                count += 1
                self.stdout.write(f"job {job.pk}: {source.slug}")
        self.stdout.write(f"Queued {count} candidate jobs (batch {batch}); `manage.py jobs_worker` runs them.")
