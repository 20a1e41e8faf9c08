from django import forms

from .models import NOTE_MAX_LENGTH, Rating


class RateForm(forms.Form):
    """A recall rating. `reps` is the card's review count when the page was shown: a stale form is a repeat."""

    rating = forms.TypedChoiceField(
        choices=Rating.choices,
        coerce=int,
        error_messages={"invalid_choice": "Rate your recall with Again, Hard, Good or Easy (1 to 4)."},
    )
    reps = forms.IntegerField(min_value=0, max_value=2**31 - 1, required=False)
    answer = forms.CharField(
        label="Your answer (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    keep_answer = forms.BooleanField(label="Add my answer to my note on this question", required=False)

    def first_error(self) -> str:
        return next(iter(self.errors.values()))[0]


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Your private note",
        required=False,
        strip=False,
        max_length=NOTE_MAX_LENGTH,
        help_text=f"Markdown, at most {NOTE_MAX_LENGTH:,} characters. Only you can see it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": f"A note can be at most {NOTE_MAX_LENGTH:,} characters long (this one has "
            "%(show_value)d); nothing was saved."
        },
    )


class BookmarkForm(forms.Form):
    starred = forms.TypedChoiceField(choices=[("1", "Bookmark"), ("0", "Remove bookmark")], coerce=lambda v: v == "1")


class ResetForm(forms.Form):
    confirm = forms.ChoiceField(
        choices=[("yes", "Yes")],
        error_messages={"required": "Tick the box to confirm. Nothing was reset."},
    )
