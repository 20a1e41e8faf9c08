from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.bank import BankImportError, import_bank


class Command(BaseCommand):
    help = (
        "Import a question bank file in fixture format: every record is created or updated by primary key, "
        "in one transaction. A file with any bad record changes nothing and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            text = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from None
        try:
            counts = import_bank(text)
        except BankImportError as exc:
            for line in exc.problems:
                self.stdout.write(line)
            raise CommandError(f"Nothing was imported: {len(exc.problems)} problem(s).") from None
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Imported {summary}."))
