import sys

from django.core.management.base import BaseCommand

from questions.bank import export_bank


class Command(BaseCommand):
    help = "Write the whole question bank as fixture JSON (tags, sources, questions, choices, key points)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, output=None, **options):
        text = export_bank()
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text + "\n")
            self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))
        else:
            sys.stdout.write(text + "\n")
