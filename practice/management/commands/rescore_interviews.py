from django.core.management.base import BaseCommand, CommandError

from practice import services
from practice.models import Attempt


class Command(BaseCommand):
    help = (
        "Recompute the automatic hint and the score of finished interviews with today's scorer. Finished interviews "
        "keep the scores they were stored with until this is run: name attempts by id, or pass --all."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="attempt ids")
        parser.add_argument("--all", action="store_true", help="every finished interview")

    def handle(self, *args, ids, all=False, **options):
        if not ids and not all:
            raise CommandError("Name the interviews to rescore by id, or pass --all.")
        attempts = Attempt.objects.interviews().finished()
        if ids:
            attempts = attempts.filter(pk__in=ids)
            missing = set(ids) - set(attempts.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"not finished interviews: {sorted(missing)}")
        count = 0
        for attempt in attempts.order_by("pk").iterator():
            before = attempt.score
            attempt = services.interview_rescore(attempt=attempt)
            self.stdout.write(f"interview {attempt.pk}: {before} -> {attempt.score}")
            count += 1
        self.stdout.write(self.style.SUCCESS(f"Rescored {count} interview{'s' if count != 1 else ''}."))
