from django.urls import path

from . import views

app_name = "scale"

urlpatterns = [
    path("", views.WordingListView.as_view(), name="wording_list"),
    path("suggestions/", views.SuggestionsView.as_view(), name="suggestions"),
    path("<str:language>/", views.WordingEditView.as_view(), name="wording_edit"),
]
