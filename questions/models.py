from django.db import models
from django.urls import reverse

from .cache import bump_bank_version


class Difficulty(models.TextChoices):
    BASIC = "basic", "Basic"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"

    @classmethod
    def rank(cls, value: str) -> int:
        return cls.values.index(value)


class Tag(models.Model):
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="questions_tag_slug_unique"),
            models.UniqueConstraint(fields=["name"], name="questions_tag_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    """An article the bank was built from, or the editors for questions written in-house."""

    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["title"], name="questions_source_title_unique")]

    def __str__(self) -> str:
        return self.title


class QuestionQuerySet(models.QuerySet):
    def published(self) -> "QuestionQuerySet":
        return self.filter(is_published=True)

    def update(self, **kwargs) -> int:
        """update() sends no post_save: it bumps the bank cache's version itself (admin publish actions)."""
        count = super().update(**kwargs)
        bump_bank_version()
        return count


class Question(models.Model):
    prompt = models.TextField()
    answer = models.TextField(help_text="The model answer, in Markdown.")
    difficulty = models.CharField(max_length=12, choices=Difficulty.choices, default=Difficulty.INTERMEDIATE)
    tags = models.ManyToManyField(Tag, related_name="questions")
    sources = models.ManyToManyField(Source, related_name="questions", blank=True)
    is_published = models.BooleanField("published", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            # The question list filters published questions by difficulty.
            models.Index(fields=["is_published", "difficulty"], name="questions_pub_difficulty_idx"),
        ]

    def __str__(self) -> str:
        return self.prompt if len(self.prompt) <= 80 else self.prompt[:79] + "…"

    def get_absolute_url(self) -> str:
        return reverse("questions:detail", args=[self.pk])


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=300)
    is_correct = models.BooleanField("correct", default=False)
    explanation = models.TextField(help_text="One sentence: why this choice is right or wrong.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"], condition=models.Q(is_correct=True), name="questions_choice_one_correct"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class KeyPoint(models.Model):
    """A point a good spoken answer covers, and the words that show it was covered."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="key_points")
    text = models.CharField("point", max_length=200)
    keywords = models.JSONField(
        default=list, help_text="Words or phrases, with synonyms; any one of them shows the point was covered."
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class SearchDocument(models.Model):
    """A question's text as the search indexes it (questions.search): normalised, by weight.

    Rebuilt from the question and its key points on every save; the database indexes it (migration 0002): on
    PostgreSQL in a generated tsvector column `document` with a GIN index, on SQLite in an FTS5 table kept in
    step by triggers. Neither is a model field, so the ORM never reads or writes them.
    """

    question = models.OneToOneField(Question, on_delete=models.CASCADE, primary_key=True, related_name="+")
    prompt = models.TextField()
    key_points = models.TextField()
    answer = models.TextField()

    def __str__(self) -> str:
        return f"search document of question {self.question_id}"


class SearchTerm(models.Model):
    """A word of the bank, for suggesting close words when a query finds nothing (typos)."""

    word = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["word"], name="questions_searchterm_word_unique")]

    def __str__(self) -> str:
        return self.word
