from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("cards/<int:pk>/rate/", views.card_rate, name="card_rate"),
    path("questions/<int:pk>/add/", views.question_add, name="question_add"),
    path("questions/<int:pk>/rate/", views.question_rate, name="question_rate"),
    path("questions/<int:pk>/note/", views.question_note, name="question_note"),
    path("questions/<int:pk>/bookmark/", views.question_bookmark, name="question_bookmark"),
    path("export.apkg", views.export_apkg, name="export_apkg"),
    path("log.csv", views.export_log, name="export_log"),
    path("reset/", views.schedule_reset, name="reset"),
]
