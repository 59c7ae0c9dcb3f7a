"""Pages of the kerngroep, mounted under ``/<municipality>/coregroup/``."""

from django.urls import include, path

from . import calendar, documents, views, working_groups

app_name = "coregroup"
urlpatterns = [
    path("", views.CompositionView.as_view(), name="composition"),
    path("print/", views.CompositionPrintView.as_view(), name="composition-print"),
    path("composition.pdf", views.CompositionPdfView.as_view(), name="composition-pdf"),
    path("history/", views.CompositionHistoryView.as_view(), name="composition-history"),
    path("setup/", views.SetUpView.as_view(), name="setup"),
    path("seats/new/", views.SeatAddView.as_view(), name="seat-add"),
    path("seats/<int:pk>/holder/", views.SeatHolderView.as_view(), name="seat-holder"),
    path("seats/<int:pk>/state/", views.SeatStateView.as_view(), name="seat-state"),
    path("working-groups/", include(working_groups.urlpatterns)),
    path("", include("coregroup.meetings")),  # meetings/, meetings/<pk>/, meetings/tasks/, …
    path("meetings/", include(calendar.urlpatterns)),  # the calendar feed
    path("", include(documents.urlpatterns)),
]
