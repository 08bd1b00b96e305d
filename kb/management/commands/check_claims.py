from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kb.reports.claim_rules import all_problems
from kb.selectors.claim_rules import RULES
from kb.services.curation import fixture_files


class Command(BaseCommand):
    help = (
        "Check that claims, relations and entities mean exactly what they say: corroboration only "
        "between independent sources, no relation that contradicts another or repeats it, updates "
        "forward in time, grade 1 only with two independent sources, statements that keep their "
        "attribution, dates resolved from context that quote their words, no generic entity aliases. "
        "Prints each problem with the claims it names; exits non-zero if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-fixtures", action="store_true",
                            help="skip the check of the curated YAML files for relations written twice")

    def handle(self, *args, no_fixtures=False, **options):
        paths = [] if no_fixtures else fixture_files(settings.CLAIMBOOK_FIXTURES_DIR)
        found = all_problems(fixture_paths=paths)
        named = set()
        for code, problems in found.items():
            for problem in problems:
                self.stderr.write(str(problem))
                named.update(problem.claims)
        counts = ", ".join(f"{code} {len(found[code])}" for code in RULES)
        total = sum(len(p) for p in found.values())
        self.stdout.write(f"Checked {len(RULES)} rules: {total} problems ({counts}).")
        if total:
            names = sorted(named)
            shown = ", ".join(names[:40]) + (f" and {len(names) - 40} more" if len(names) > 40 else "")
            raise CommandError(f"{total} problems in {len(names)} claims or entities: {shown}")
