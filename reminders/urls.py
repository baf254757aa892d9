from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("delivery/", views.DeliveryListView.as_view(), name="delivery"),
    path("delivery/<int:pk>/retry/", views.RetryView.as_view(), name="retry"),
]
