from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kb.services.curation import CurationError, curation_load, fixture_files


class Command(BaseCommand):
    help = (
        "Load curated entities, claims (written by quote), not-claim marks and source links from "
        "fixtures/ (or the given YAML files). Every quote is resolved to its range; a missing or "
        "ambiguous quote refuses the whole load. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="validate and resolve, write nothing")

    def handle(self, *args, files, dry_run=False, **options):
        paths = [Path(f) for f in files] or fixture_files(settings.CLAIMBOOK_FIXTURES_DIR)
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        try:
            report = curation_load(paths, dry_run=dry_run)
        except CurationError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(error.problems)} problems; nothing was loaded.") from None
        prefix = "Checked (dry run, nothing written): " if dry_run else "Loaded "
        self.stdout.write(prefix + report.summary())
