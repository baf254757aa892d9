from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("log/", views.AccessLogView.as_view(), name="log"),
    path("patients/<str:code>/history/", views.ChangeHistoryView.as_view(), name="history"),
    path("patients/<str:code>/who-saw/", views.AccessReportView.as_view(), name="access_report"),
]
