from django import forms

from .models import Difficulty, Tag


class QuestionFilterForm(forms.Form):
    """The query string of the question list. Unknown values are reported and ignored, never an error page."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    tag = forms.ChoiceField(label="Topic", required=False)
    difficulty = forms.ChoiceField(
        label="Difficulty", required=False, choices=[("", "Any difficulty"), *Difficulty.choices]
    )

    def __init__(self, data, *, tags: list[Tag]):
        super().__init__(data)
        self.fields["tag"].choices = [("", "All topics")] + [(t.slug, t.name) for t in tags]
        self.fields["q"].widget.attrs.update(placeholder="e.g. dropout, attention, p-value", type="search")

    def filters(self) -> dict:
        """The valid filters; an invalid field is dropped (its error is shown on the page)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
