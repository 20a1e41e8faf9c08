import factory
from django.contrib.auth import get_user_model

from questions.models import Choice, Difficulty, KeyPoint, Question, Source, Tag


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"candidate{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("title",)

    title = factory.Sequence(lambda n: f"Article {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    prompt = factory.Sequence(lambda n: f"What is concept number {n}?")
    answer = factory.Sequence(
        lambda n: f"Concept {n} is explained here in enough words to be a real answer about gradients and layers."
    )
    difficulty = Difficulty.BASIC

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create:
            obj.tags.set(extracted if extracted is not None else [TagFactory(slug="fundamentals", name="Fundamentals")])

    @factory.post_generation
    def choices(obj, create, extracted, **kwargs):
        """Four choices, the first one correct, unless choices=False."""
        if create and extracted is not False:
            for i in range(4):
                Choice.objects.create(
                    question=obj,
                    text=f"Option {i + 1} for question {obj.pk}",
                    is_correct=i == 0,
                    explanation=f"Explanation of option {i + 1}.",
                )

    @factory.post_generation
    def key_points(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            KeyPoint.objects.create(question=obj, text="Mentions gradients", keywords=["gradient", "slope"])
            KeyPoint.objects.create(question=obj, text="Mentions layers", keywords=["layer", "depth"])


def quiz_of(user, question_ids: list[int], *, now=None, feedback_mode: str = "end"):
    """A quiz of exactly these questions, in this order (practice.services.quiz_start)."""
    from django.utils import timezone

    from practice.services import quiz_start

    return quiz_start(
        user=user,
        tags=[],
        difficulty="any",
        question_count=len(question_ids),
        feedback_mode=feedback_mode,
        now=now or timezone.now(),
        question_ids=question_ids,
    )
