from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kb.services.counts import counts_drift, counts_recount_all


class Command(BaseCommand):
    help = (
        "Recount what the writes keep counted (each entity's and tag's published claims, each claim's contested "
        "flag) and report every kept value that differs; exits non-zero if any does. With --fix, "
        "rewrite them all from the rows. Both scan the whole knowledge base: run it off-peak."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="rewrite every kept count from the rows")

    def handle(self, *args, fix=False, **options):
        found = counts_drift()
        for line in found:
            self.stderr.write(line)
        if fix and found:
            with transaction.atomic():
                counts_recount_all()
            self.stdout.write(f"Rewrote the kept counts: {len(found)} differed (listing stops at 50).")
            return
        self.stdout.write(f"Checked the kept counts: {len(found)} differ from a recount.")
        if found:
            raise CommandError(f"{len(found)} kept counts differ from a recount: run check_counts --fix")
