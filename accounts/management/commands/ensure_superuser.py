import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

VARIABLES = ("DJANGO_SUPERUSER_USERNAME", "DJANGO_SUPERUSER_EMAIL", "DJANGO_SUPERUSER_PASSWORD")


class Command(BaseCommand):
    help = (
        "Create a superuser from DJANGO_SUPERUSER_USERNAME, DJANGO_SUPERUSER_EMAIL and DJANGO_SUPERUSER_PASSWORD "
        "when all three are set. Does nothing otherwise, or when that user already exists."
    )

    def handle(self, *args, **options):
        values = {name: os.environ.get(name, "").strip() for name in VARIABLES}
        if not any(values.values()):
            return
        missing = [name for name, value in values.items() if not value]
        if missing:
            raise CommandError(f"Set all three superuser variables; missing: {', '.join(missing)}.")
        username = values["DJANGO_SUPERUSER_USERNAME"]
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            self.stdout.write(f"Superuser {username!r} already exists; left unchanged.")
            return
        user_model.objects.create_superuser(
            username=username,
            email=values["DJANGO_SUPERUSER_EMAIL"],
            password=os.environ["DJANGO_SUPERUSER_PASSWORD"],
        )
        self.stdout.write(self.style.SUCCESS(f"Created superuser {username!r}."))
