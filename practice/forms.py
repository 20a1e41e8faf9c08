from django import forms

from accounts.models import FeedbackMode
from questions.models import Difficulty, Tag

from .models import DifficultyMix, SelfRating

LENGTH_PRESETS = [5, 10, 20]
MAX_ANSWER_LENGTH = 10_000


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
        choices=[("any", "Any"), *Difficulty.choices],
        initial="any",
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


class InterviewAnswerForm(forms.Form):
    text = forms.CharField(
        required=False,
        strip=False,
        max_length=MAX_ANSWER_LENGTH,
        widget=forms.Textarea,
        error_messages={"max_length": "Your answer is too long: keep it to 10,000 characters."},
    )
    revision = forms.IntegerField(min_value=0, max_value=2**63 - 1, required=False)


class SelfRatingForm(forms.Form):
    position = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=50)
    rating = forms.TypedChoiceField(
        coerce=int,
        choices=SelfRating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating.", "invalid_choice": "Choose a rating from 0 to 4."},
    )
