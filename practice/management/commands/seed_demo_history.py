import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import FeedbackMode
from practice import stats
from practice.models import Answer, Attempt, AttemptItem, EndReason, Kind, Status
from questions.models import Choice, Question


class Command(BaseCommand):
    help = (
        "Give USERNAME a realistic history of finished quizzes and mock interviews over the last DAYS days, "
        "with scores that improve over time. For demos and for the benchmark."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=30, help="How far back the history goes (default 30).")
        parser.add_argument("--attempts", type=int, default=60, help="Finished attempts to create (default 60).")
        parser.add_argument("--quiz-length", type=int, default=10, help="Questions per quiz (default 10).")
        parser.add_argument("--create", action="store_true", help="Create the user if missing.")
        parser.add_argument("--password", default="", help="Password of a created user (default: unusable).")
        parser.add_argument("--replace", action="store_true", help="Delete the user's attempts first.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for repeatable data.")

    @transaction.atomic
    def handle(self, *args, username, days, attempts, quiz_length, create, password, replace, seed, **options):
        if days < 1 or attempts < 1 or not 1 <= quiz_length <= 50:
            raise CommandError("--days and --attempts must be positive and --quiz-length from 1 to 50.")
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            if not create:
                raise CommandError(f"No user {username!r}. Pass --create to create one.")
            user = user_model.objects.create_user(
                username=username, email=f"{username}@example.com", password=password or None
            )
        if replace:
            Attempt.objects.for_user(user).delete()
        rng = random.Random(seed)
        questions = list(Question.objects.published().prefetch_related("key_points"))
        if len(questions) < quiz_length:
            raise CommandError("Load the question bank first: `manage.py loaddata bank`.")
        choices: dict[int, list[Choice]] = {}
        for choice in Choice.objects.filter(question__in=questions):
            choices.setdefault(choice.question_id, []).append(choice)
        now = timezone.now()
        span = timedelta(days=days).total_seconds()
        plans = sorted(rng.uniform(0, span) for _ in range(attempts))
        attempt_rows, item_plans = [], []
        for n, offset in enumerate(plans):
            started = now - timedelta(seconds=span - offset)
            skill = 0.45 + 0.4 * n / max(1, attempts - 1)  # improves over the month
            kind = Kind.INTERVIEW if rng.random() < 0.25 else Kind.QUIZ
            count = rng.randint(3, 6) if kind == Kind.INTERVIEW else quiz_length
            picked = rng.sample(questions, count)
            minutes = 3 * count
            duration = timedelta(
                seconds=rng.randint(40, 90) * count if kind == Kind.QUIZ else rng.randint(60, 60 * minutes)
            )
            attempt_rows.append(
                Attempt(
                    user=user,
                    kind=kind,
                    status=Status.FINISHED,
                    question_count=count,
                    started_at=started,
                    finished_at=started + duration,
                    feedback_mode=FeedbackMode.EACH if kind == Kind.QUIZ else "",
                    end_reason=EndReason.CANDIDATE if kind == Kind.INTERVIEW else "",
                    deadline=started + timedelta(minutes=minutes) if kind == Kind.INTERVIEW else None,
                )
            )
            item_plans.append((kind, picked, skill, started))
        Attempt.objects.bulk_create(attempt_rows)
        items, answers = [], []
        for attempt, (kind, picked, skill, started) in zip(attempt_rows, item_plans, strict=True):
            correct = answered = 0
            total = 0.0
            for position, question in enumerate(picked, 1):
                options = choices[question.pk]
                item = AttemptItem(
                    attempt=attempt,
                    question=question,
                    position=position,
                    choice_order=[c.pk for c in rng.sample(options, len(options))] if kind == Kind.QUIZ else [],
                )
                items.append(item)
                when = started + timedelta(seconds=30 * position)
                if kind == Kind.QUIZ:
                    right = rng.random() < skill
                    choice = next(c for c in options if c.is_correct == right)
                    answers.append(
                        Answer(item=item, choice=choice, choice_text=choice.text, is_correct=right, answered_at=when)
                    )
                    correct += right
                    answered += 1
                else:
                    points = list(question.key_points.all())
                    hit = [p for p in points if rng.random() < skill]
                    text = "In short: " + "; ".join(p.keywords[0] for p in hit) if hit else "I am not sure."
                    coverage = len(hit) / len(points) if points else 0
                    rating = min(4, max(0, round(skill * 4 + rng.uniform(-1, 1))))
                    answers.append(
                        Answer(
                            item=item,
                            text=text,
                            revision=1,
                            coverage=coverage,
                            covered_points=[p.pk for p in hit],
                            self_rating=rating,
                            answered_at=when,
                        )
                    )
                    total += 0.5 * coverage + 0.5 * rating / 4
                    answered += 1
            attempt.answered_count = answered
            if kind == Kind.QUIZ:
                attempt.correct_count = correct
                attempt.score = round(100 * correct / attempt.question_count, 2)
            else:
                attempt.score = round(100 * total / attempt.question_count, 2)
        AttemptItem.objects.bulk_create(items, batch_size=2000)
        Answer.objects.bulk_create(answers, batch_size=2000)
        Attempt.objects.bulk_update(attempt_rows, ["answered_count", "correct_count", "score"], batch_size=1000)
        stats.rebuild([user.pk])
        self.stdout.write(
            self.style.SUCCESS(
                f"Gave {username} {len(attempt_rows)} finished attempts and {len(answers)} answers over {days} days."
            )
        )
