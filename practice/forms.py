from django import forms

from accounts.models import FeedbackMode
from questions.models import Difficulty, Tag

from .models import DifficultyMix, SelfRating
from .services import AnswerDraft

LENGTH_PRESETS = [5, 10, 20]
MAX_ANSWER_LENGTH = 10_000
MAX_REVISION = 2**63 - 1  # PostgreSQL's bigint


class TopicsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Tag.objects.all(),
            to_field_name="slug",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Topics",
            help_text="Leave all unticked to draw from every topic.",
            error_messages={"invalid_choice": "The topic “%(value)s” does not exist."},
            **kwargs,
        )


class QuizStartForm(forms.Form):
    tags = TopicsField()
    difficulty = forms.ChoiceField(
        label="Difficulty",
        choices=[(DifficultyMix.ANY, DifficultyMix.ANY.label), *Difficulty.choices],
        initial=DifficultyMix.ANY,
        widget=forms.RadioSelect,
    )
    # One control on the page: the number input, with the presets offered as suggestions. `length` (a preset
    # or "custom") is still accepted from older forms and scripts; a number typed in custom_length always wins.
    length = forms.ChoiceField(
        label="Number of questions",
        choices=[(str(n), str(n)) for n in LENGTH_PRESETS] + [("custom", "Another number")],
        required=False,
    )
    custom_length = forms.IntegerField(
        label="Number of questions",
        required=False,
        min_value=1,
        max_value=50,
        initial=10,
        help_text="1 to 50: 5, 10 or 20 are suggested.",
        widget=forms.NumberInput(attrs={"min": 1, "max": 50, "inputmode": "numeric", "list": "quiz-lengths"}),
    )
    feedback_mode = forms.ChoiceField(
        label="Feedback", choices=FeedbackMode.choices, initial=FeedbackMode.EACH, widget=forms.RadioSelect
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not self.is_bound:
            self.initial.update(custom_length=user.quiz_length, feedback_mode=user.quiz_feedback)

    def clean(self):
        data = super().clean()
        if data.get("custom_length") is not None:
            data["question_count"] = data["custom_length"]
        elif data.get("length") and data["length"] != "custom":
            data["question_count"] = int(data["length"])
        elif "custom_length" not in self.errors and "length" not in self.errors:
            self.add_error("custom_length", "Enter a number of questions from 1 to 50.")
        return data


class AnswerChoiceForm(forms.Form):
    """One submitted quiz answer; the choices offered are those of the current item, in their stored order."""

    position = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=50)
    choice = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose an answer before submitting.",
            "invalid_choice": "That answer is not one of this question's choices.",
        },
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(c.pk, c.text) for c in choices]


class SampleAnswerForm(forms.Form):
    """The landing page's sample question, answered by a visitor (a GET: nothing is stored)."""

    choice = forms.TypedChoiceField(
        label="Your answer",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose an answer to see the feedback.",
            "invalid_choice": "That answer is not one of this question's choices.",
        },
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(c.pk, c.text) for c in choices]


class InterviewStartForm(forms.Form):
    tags = TopicsField()
    difficulty = forms.ChoiceField(
        label="Difficulty mix", choices=DifficultyMix.choices, initial=DifficultyMix.ANY, widget=forms.RadioSelect
    )
    question_count = forms.IntegerField(
        label="Number of questions",
        min_value=3,
        max_value=15,
        initial=5,
        widget=forms.NumberInput(attrs={"min": 3, "max": 15, "inputmode": "numeric"}),
        help_text="3 to 15.",
    )
    minutes = forms.IntegerField(
        label="Time limit in minutes",
        min_value=5,
        max_value=120,
        required=False,
        widget=forms.NumberInput(attrs={"min": 5, "max": 120, "inputmode": "numeric"}),
        help_text="5 to 120. Leave empty for the default: 3 minutes per question (at least 5).",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.minutes_per_question = 3
        if user is not None:
            self.minutes_per_question = user.interview_minutes_per_question
            if not self.is_bound:
                self.initial["question_count"] = user.interview_length
            self.fields[
                "minutes"
            ].help_text = (
                f"5 to 120. Leave empty for the default: {self.minutes_per_question} minutes per question (at least 5)."
            )

    def clean(self):
        data = super().clean()
        if data.get("question_count") and not data.get("minutes") and "minutes" not in self.errors:
            data["minutes"] = min(120, max(5, self.minutes_per_question * data["question_count"]))
        return data


def _answer_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        strip=False,
        max_length=MAX_ANSWER_LENGTH,
        widget=forms.Textarea,
        error_messages={"max_length": "Your answer is too long: keep it to 10,000 characters."},
    )


def _revision_field() -> forms.IntegerField:
    """The revision of the answer the tab last saw (the server assigns them; 0: none yet)."""
    message = "This page's copy of the answer is not valid: reload the page (your text is kept in the box)."
    return forms.IntegerField(
        min_value=0,
        max_value=MAX_REVISION,
        required=False,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


def _tab_field() -> forms.RegexField:
    # A random id the page's script gives itself, so a tab's own saves in flight never clash with each other.
    return forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{0,40}$",
        required=False,
        error_messages={"invalid": "This page is out of date: reload it (your text is kept in the box)."},
    )


class InterviewAnswerForm(forms.Form):
    """One autosave (JSON endpoint)."""

    position = forms.IntegerField(
        min_value=1,
        max_value=50,
        error_messages={
            "required": "Which question? The position is missing.",
            "invalid": "That question is not part of this interview.",
            "min_value": "That question is not part of this interview.",
            "max_value": "That question is not part of this interview.",
        },
    )
    text = _answer_field()
    revision = _revision_field()
    tab = _tab_field()

    def draft(self) -> AnswerDraft:
        data = self.cleaned_data
        return AnswerDraft(data["position"], data["text"], data["revision"] or 0)


class InterviewAnswersForm(forms.Form):
    """Every answer box of the interview page, as "Save answers" (no JavaScript) and "Finish" post them.

    `answer-N` is the text of question N and `revision-N` the revision the page last saw of it; a box missing
    from the post is left alone. `clock` is set by the page's script when it submits itself at 00:00.
    """

    tab = _tab_field()
    clock = forms.BooleanField(required=False)

    def __init__(self, *args, positions: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.positions = positions
        for position in positions:
            self.fields[f"answer-{position}"] = _answer_field()
            self.fields[f"revision-{position}"] = _revision_field()

    def posted_positions(self) -> list[int]:
        return [p for p in self.positions if f"answer-{p}" in self.data]

    def drafts(self) -> list[AnswerDraft]:
        data = self.cleaned_data
        return [AnswerDraft(p, data[f"answer-{p}"], data[f"revision-{p}"] or 0) for p in self.posted_positions()]

    def box_errors(self) -> dict[int, str]:
        """The first error of each box, by position."""
        errors = {}
        for position in self.positions:
            for name in (f"answer-{position}", f"revision-{position}"):
                if name in self.errors and position not in errors:
                    errors[position] = self.errors[name][0]
        return errors


class SelfRatingForm(forms.Form):
    position = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=50)
    rating = forms.TypedChoiceField(
        coerce=int,
        choices=SelfRating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating.", "invalid_choice": "Choose a rating from 0 to 4."},
    )
