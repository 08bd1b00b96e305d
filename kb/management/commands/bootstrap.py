from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kb.importing.decode import ImportRefused
from kb.management.commands.import_source import document_paths, import_path


class Command(BaseCommand):
    help = (
        "Set up a working knowledge base: migrate, import every document in sources/, then load "
        "the curated claims in fixtures/. Idempotent: a second run changes nothing."
    )

    def handle(self, *args, **options):
        verbosity = options.get("verbosity", 1)
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        documents = document_paths([str(settings.CLAIMBOOK_SOURCES_DIR)])
        counts = {"created": 0, "version": 0, "unchanged": 0}
        for path in documents:
            try:
                result = import_path(path)
            except ImportRefused as refused:
                self.stderr.write(self.style.ERROR(f"refused {refused.message}"))
                raise SystemExit(1)
            counts[result.status] += 1
            self.stdout.write(result.summary())
        claims_dir = settings.CLAIMBOOK_FIXTURES_DIR
        if claims_dir.exists():
            call_command("load_claims", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            self.style.SUCCESS(
                f"Bootstrap done: {len(documents)} sources ({counts['created']} new, "
                f"{counts['version']} new versions, {counts['unchanged']} unchanged)."
            )
        )
