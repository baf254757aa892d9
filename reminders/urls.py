from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("delivery/", views.DeliveryListView.as_view(), name="delivery"),
    path("delivery/<int:pk>/retry/", views.RetryView.as_view(), name="retry"),
    path("agenda/", views.AgendaView.as_view(), name="agenda"),
    path("patients/<str:code>/contact/", views.ContactPreferenceView.as_view(), name="contact"),
    path(
        "patients/<str:code>/carers/<int:carer_id>/",
        views.CarerReminderView.as_view(),
        name="carer",
    ),
    path("patients/<str:code>/appointment/", views.AppointmentView.as_view(), name="appointment"),
    path(
        "patients/<str:code>/appointment/cancel/",
        views.AppointmentCancelView.as_view(),
        name="appointment_cancel",
    ),
]
