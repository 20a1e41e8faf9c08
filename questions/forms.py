from django import forms

from .models import Difficulty, Tag


class QuestionFilterForm(forms.Form):
    """The query string of the question list. Unknown values are reported and ignored, never an error page."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    tag = forms.ChoiceField(label="Topic", required=False)
    difficulty = forms.ChoiceField(
        label="Difficulty", required=False, choices=[("", "Any difficulty"), *Difficulty.choices]
    )
    # Set by the "search for the words as typed" link under corrected results.
    exact = forms.BooleanField(required=False)

    def __init__(self, data, *, tags: list[Tag]):
        super().__init__(data)
        self.fields["tag"].choices = [("", "All topics")] + [(t.slug, t.name) for t in tags]
        self.fields["q"].widget.attrs.update(placeholder="e.g. dropout, attention, p-value", type="search")

    def clean_q(self) -> str:
        # Control characters (a NUL byte in a link) would reach the database: they are never part of a search.
        return "".join(ch for ch in self.cleaned_data["q"] if ch.isprintable()).strip()

    def filters(self) -> dict:
        """The valid filters; an invalid field is dropped (its error is shown on the page)."""
        self.is_valid()
        filters = {name: value for name, value in self.cleaned_data.items() if value}
        if not filters.get("q"):
            filters.pop("exact", None)
        return filters
