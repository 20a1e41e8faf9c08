from django.contrib import admin

from .models import Card, QuestionNote, ReviewLog


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ("user", "question", "state", "due", "stability", "difficulty", "reps", "lapses", "last_rating")
    list_filter = ("state", "last_rating")
    search_fields = ("user__username", "question__prompt")
    raw_id_fields = ("user", "question")
    list_select_related = ("user", "question")


@admin.register(ReviewLog)
class ReviewLogAdmin(admin.ModelAdmin):
    list_display = ("user", "question", "rating", "source", "state_before", "reviewed_at", "due_after")
    list_filter = ("rating", "source")
    search_fields = ("user__username",)
    raw_id_fields = ("card", "user", "question")
    list_select_related = ("user", "question")


@admin.register(QuestionNote)
class QuestionNoteAdmin(admin.ModelAdmin):
    list_display = ("user", "question", "starred", "updated_at")
    list_filter = ("starred",)
    search_fields = ("user__username",)
    raw_id_fields = ("user", "question")
    list_select_related = ("user", "question")
