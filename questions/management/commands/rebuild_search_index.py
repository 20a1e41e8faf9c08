from django.core.management.base import BaseCommand

from questions import search


class Command(BaseCommand):
    help = (
        "Rebuild the search index and its vocabulary from every question. Edits, deletes, `loaddata` and bank "
        "imports keep it current on their own; run this after changing questions/search_terms.py."
    )

    def handle(self, *args, **options):
        count = search.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} question{'s' if count != 1 else ''}."))
