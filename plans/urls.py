"""Pages of the app, mounted under ``/<municipality>/plans/``."""

from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("follow-up/", views.FollowUpBoardView.as_view(), name="follow-up"),
]
