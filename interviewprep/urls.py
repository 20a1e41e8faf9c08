from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "InterviewPrep administration"
admin.site.site_title = "InterviewPrep admin"
admin.site.index_title = "Question bank and accounts"

# The apps are included by name: interviewprep/ imports no app.
urlpatterns = [
    path("", include("practice.home_urls")),
    path("accounts/", include("accounts.urls")),
    path("questions/", include("questions.urls")),
    path("", include("practice.urls")),
    path("review/", include("reviews.urls")),
    path("admin/", admin.site.urls),
]
