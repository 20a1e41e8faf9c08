from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "display_name", "is_staff", "date_joined", "last_login")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            "Preferences",
            {
                "fields": (
                    "display_name",
                    "time_zone",
                    "quiz_length",
                    "quiz_feedback",
                    "interview_length",
                    "interview_minutes_per_question",
                )
            },
        ),
    )
