from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from .bank import BankImportError, answer_problem, export_bank, import_bank, normalised_prompt
from .models import Choice, KeyPoint, Question, Source, Tag


class ChoiceInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        correct = sum(bool(f.cleaned_data.get("is_correct")) for f in kept)
        if correct != 1:
            raise ValidationError(
                f"Mark exactly one choice as correct: {correct} {'is' if correct == 1 else 'are'} marked now."
            )
        if len(kept) != 4:
            raise ValidationError(f"A question needs exactly four choices: it has {len(kept)}.")


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceInlineFormSet
    extra = 0
    min_num = 4
    max_num = 4
    fields = ("text", "is_correct", "explanation")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}


class KeywordsField(forms.CharField):
    """Keywords edited as comma-separated text, stored as a JSON list."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return [part.strip() for part in value.split(",") if part.strip()]

    def validate(self, value):
        if not value:
            raise ValidationError("Give at least one keyword.")


class KeyPointForm(forms.ModelForm):
    keywords = KeywordsField(
        help_text="Comma-separated words or phrases; any one of them shows the point was covered.",
        widget=forms.TextInput(attrs={"size": 60}),
    )

    class Meta:
        model = KeyPoint
        fields = ("text", "keywords")


class KeyPointInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if len(kept) < 2:
            raise ValidationError(f"A question needs at least two key points: it has {len(kept)}.")


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    form = KeyPointForm
    formset = KeyPointInlineFormSet
    extra = 0
    min_num = 2


class QuestionAdminForm(forms.ModelForm):
    """The rules of `validate_bank` on a question's own fields, so a saved question never breaks an import later.

    Choices and key points are checked by their inline formsets; the rule texts come from questions/bank.py.
    """

    class Meta:
        model = Question
        fields = ("prompt", "answer", "difficulty", "tags", "sources", "is_published")

    def clean_prompt(self) -> str:
        prompt = self.cleaned_data["prompt"]
        key = normalised_prompt(prompt)
        if not key:
            raise ValidationError("The prompt is empty.")
        others = Question.objects.exclude(pk=self.instance.pk).values_list("pk", "prompt")
        for pk, other in others.iterator():
            if normalised_prompt(other) == key:
                raise ValidationError(f"Question {pk} already asks this: {other!r}.")
        return prompt

    def clean_answer(self) -> str:
        answer = self.cleaned_data["answer"]
        if problem := answer_problem(answer):
            raise ValidationError(problem[0].upper() + problem[1:] + ".")
        return answer


class ImportBankForm(forms.Form):
    file = forms.FileField(label="Bank file (JSON, fixture format)")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ("short_prompt", "difficulty", "tag_list", "choice_count", "is_published", "updated_at")
    list_filter = ("is_published", "difficulty", "tags", "sources")
    list_editable = ()
    search_fields = ("prompt", "answer")
    filter_horizontal = ("tags", "sources")
    inlines = [ChoiceInline, KeyPointInline]
    actions = ["publish", "unpublish"]
    fields = ("prompt", "answer", "difficulty", "tags", "sources", "is_published")
    change_list_template = "admin/questions/question/change_list.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(num_choices=Count("choices", distinct=True))
        return queryset.prefetch_related("tags")

    @admin.display(description="Prompt", ordering="prompt")
    def short_prompt(self, obj: Question) -> str:
        return str(obj)

    @admin.display(description="Tags")
    def tag_list(self, obj: Question) -> str:
        return ", ".join(t.name for t in obj.tags.all())

    @admin.display(description="Choices", ordering="num_choices")
    def choice_count(self, obj: Question) -> int:
        return obj.num_choices

    @admin.action(description="Publish the selected questions")
    def publish(self, request, queryset):
        count = queryset.update(is_published=True)
        self.message_user(request, f"Published {count} question{'s' if count != 1 else ''}.", messages.SUCCESS)

    @admin.action(description="Unpublish the selected questions")
    def unpublish(self, request, queryset):
        count = queryset.update(is_published=False)
        self.message_user(request, f"Unpublished {count} question{'s' if count != 1 else ''}.", messages.SUCCESS)

    def get_urls(self):
        return [
            path("export/", self.admin_site.admin_view(self.export_view), name="questions_question_export"),
            path("import/", self.admin_site.admin_view(self.import_view), name="questions_question_import"),
            path(
                "<int:pk>/unpublish/",
                self.admin_site.admin_view(self.unpublish_view),
                name="questions_question_unpublish",
            ),
            *super().get_urls(),
        ]

    def unpublish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Offered instead of deleting a question that candidates have answered (their histories keep it)."""
        if request.method != "POST" or not self.has_change_permission(request):
            return redirect("admin:questions_question_changelist")
        count = Question.objects.filter(pk=pk).update(is_published=False)  # update() bumps the bank cache
        if count:
            self.message_user(request, "Unpublished: the question is out of the bank and of new practice.")
            return redirect("admin:questions_question_change", pk)
        return redirect("admin:questions_question_changelist")

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return redirect("admin:index")
        response = HttpResponse(export_bank(), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="interviewprep-bank.json"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            return redirect("admin:index")
        form = ImportBankForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            try:
                counts = import_bank(form.cleaned_data["file"].read())
            except BankImportError as exc:
                problems = exc.problems
                messages.error(request, f"Nothing was imported: the file has {len(problems)} problem(s), listed below.")
            else:
                summary = ", ".join(f"{n} {label}" for label, n in counts.items())
                messages.success(request, f"Imported {summary}.")
                return redirect(reverse("admin:questions_question_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import the question bank",
            "form": form,
            "problems": problems,
            "opts": self.model._meta,
        }
        return render(request, "admin/questions/question/import.html", context, status=400 if problems else 200)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "question_count")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_questions=Count("questions"))

    @admin.display(description="Questions", ordering="num_questions")
    def question_count(self, obj: Tag) -> int:
        return obj.num_questions


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "question_count")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_questions=Count("questions"))

    @admin.display(description="Questions", ordering="num_questions")
    def question_count(self, obj: Source) -> int:
        return obj.num_questions
