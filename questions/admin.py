from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.text import Truncator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from .bank import MAX_IMPORT_BYTES, BankImportError, answer_problem, export_bank, import_bank, normalised_prompt
from .markdown import markdown_problems
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


SHOWN_PROBLEMS = 20
SHOWN_PROBLEM_CHARS = 300


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
        problems = [answer_problem(answer), *markdown_problems(answer)]  # what import_bank would refuse
        problems = [p for p in problems if p]
        if problems:
            raise ValidationError([p[0].upper() + p[1:] + ("" if p.endswith(".") else ".") for p in problems])
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
    change_form_template = "admin/questions/question/change_form.html"

    class Media:
        css = {"all": ["css/rendered.css"]}
        js = ["js/admin_preview.js"]

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
            # Not admin_view: a fetch() by anyone but staff gets a plain 404 (403 without the permission), not a
            # redirect to the login page.
            path(
                "preview/",
                csrf_protect(never_cache(self.preview_view)),
                name="questions_question_preview",
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

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The answer and the choices of the question form being edited, rendered as candidates will see them.

        Takes the change form's own fields (POST, with its CSRF token) and returns an HTML fragment: the same
        renderer as the site's pages, plus what validate_bank would refuse in each field."""
        if not (request.user.is_active and request.user.is_staff):
            raise Http404
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        data = request.POST
        answer = data.get("answer", "")
        choices = []
        for n in range(min(_int(data.get("choices-TOTAL_FORMS")), ChoiceInline.max_num)):
            if data.get(f"choices-{n}-DELETE"):
                continue
            text, explanation = data.get(f"choices-{n}-text", ""), data.get(f"choices-{n}-explanation", "")
            choices.append(
                {
                    "number": n + 1,
                    "text": text,
                    "explanation": explanation,
                    "is_correct": bool(data.get(f"choices-{n}-is_correct")),
                    "problems": [f"choice: {p}" for p in markdown_problems(text)]
                    + [f"explanation: {p}" for p in markdown_problems(explanation)],
                }
            )
        context = {"answer": answer, "answer_problems": markdown_problems(answer), "choices": choices}
        return render(request, "admin/questions/question/preview.html", context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            return redirect("admin:index")
        form = ImportBankForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_IMPORT_BYTES:  # refused before it is read into memory
                    raise BankImportError([f"the file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB"])
                counts = import_bank(upload.read())
            except BankImportError as exc:
                total = len(exc.problems)
                # A short page whatever the file: the first problems, each cut to a line.
                problems = [Truncator(line).chars(SHOWN_PROBLEM_CHARS) for line in exc.problems[:SHOWN_PROBLEMS]]
                listed = "listed below" if total <= SHOWN_PROBLEMS else f"the first {SHOWN_PROBLEMS} are listed below"
                messages.error(request, f"Nothing was imported: the file has {total} problem(s), {listed}.")
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


def _int(value) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


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
