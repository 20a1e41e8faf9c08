from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("quizzes/new/", views.quiz_new, name="quiz_new"),
    path("quizzes/from-questions/", views.quiz_from_questions, name="quiz_from_questions"),
    path("quizzes/diagnostic/", views.quiz_diagnostic, name="quiz_diagnostic"),
    path("quizzes/<int:pk>/", views.quiz_take, name="quiz"),
    path("quizzes/<int:pk>/result/", views.quiz_result, name="quiz_result"),
    path("quizzes/<int:pk>/retry/", views.quiz_retry, name="quiz_retry"),
    path("attempts/<int:pk>/abandon/", views.attempt_abandon, name="abandon"),
    path("interviews/new/", views.interview_new, name="interview_new"),
    path("interviews/<int:pk>/", views.interview_take, name="interview"),
    path("interviews/<int:pk>/save/", views.interview_save, name="interview_save"),
    path("interviews/<int:pk>/finish/", views.interview_finish, name="interview_finish"),
    path("interviews/<int:pk>/review/", views.interview_review, name="interview_review"),
    path("progress/", views.progress_page, name="progress"),
    path("progress/export.csv", views.progress_export, name="progress_export"),
    path("progress/reset/", views.progress_reset, name="progress_reset"),
]
