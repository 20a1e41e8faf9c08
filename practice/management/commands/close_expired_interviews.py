from django.core.management.base import BaseCommand
from django.utils import timezone

from practice.services import close_expired_interviews


class Command(BaseCommand):
    help = (
        "Finish every mock interview whose deadline (plus the grace period) has passed, with the answers saved "
        "so far. Safe to run often and on one node only, e.g. from cron every minute."
    )

    def handle(self, *args, **options):
        closed = close_expired_interviews(now=timezone.now())
        self.stdout.write(f"Closed {closed} expired interview{'s' if closed != 1 else ''}.")
