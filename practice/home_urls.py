"""The site's root page, outside the practice namespace: `{% url 'home' %}` is the landing page or the dashboard."""

from django.urls import path

from . import views

urlpatterns = [path("", views.home, name="home")]
