from __future__ import annotations

from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("progress/", views.progress, name="progress"),
    path("coach/", views.coach, name="coach"),
]
