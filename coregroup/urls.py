"""Pages of the app, mounted under ``/<municipality>/coregroup/``; they arrive with their issue."""

app_name = "coregroup"
urlpatterns: list = []
