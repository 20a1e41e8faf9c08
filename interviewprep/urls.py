from django.contrib import admin
from django.urls import include, path

from practice import views as practice_views

admin.site.site_header = "InterviewPrep administration"
admin.site.site_title = "InterviewPrep admin"
admin.site.index_title = "Question bank and accounts"

urlpatterns = [
    path("", practice_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("questions/", include("questions.urls")),
    path("", include("practice.urls")),
    path("review/", include("reviews.urls")),
    path("admin/", admin.site.urls),
]
