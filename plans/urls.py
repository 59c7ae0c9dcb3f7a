"""Pages of the app, mounted under ``/<municipality>/plans/``; they arrive with their issue."""

app_name = "plans"
urlpatterns: list = []
