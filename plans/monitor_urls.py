"""The monitor, mounted at ``/<municipality>/monitor/``."""

from django.urls import path

from .views import monitor

app_name = "monitor"
urlpatterns = [
    path("", monitor.MonitorView.as_view(), name="monitor"),
    path("indicators/", monitor.IndicatorMonitorView.as_view(), name="indicators"),
    path("report.pdf", monitor.MonitorReportView.as_view(), name="report"),
    path("export/<slug:table>.<slug:fmt>", monitor.ExportView.as_view(), name="export"),
]
