from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kb.reports.readme import database_counts, readme_counts, update_readme


class Command(BaseCommand):
    help = (
        "Compare the README's counts of claims, citations, entities and relations with the database "
        "(run after bootstrap); with --write, rewrite the README's sentence from the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="rewrite README.md with the database's counts")

    def handle(self, *args, write=False, **options):
        path = settings.BASE_DIR / "README.md"
        if write:
            changed = update_readme(path)
            self.stdout.write(f"README.md {'updated' if changed else 'already right'}: {database_counts()}")
            return
        wanted, found = database_counts(), readme_counts(path.read_text(encoding="utf-8"))
        self.stdout.write(f"database {wanted}; README {found}")
        if wanted != found:
            raise CommandError("The README's counts differ from the database; run `manage.py readme_counts --write`.")
