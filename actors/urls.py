"""Pages of the app, mounted under ``/<municipality>/actors/``; they arrive with their issue."""

app_name = "actors"
urlpatterns: list = []
