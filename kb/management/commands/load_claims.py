from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load curated claims from fixtures/ (being written)."

    def handle(self, *args, **options):
        self.stdout.write("load_claims: no claims loaded yet")
