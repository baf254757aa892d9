from django.urls import path

from . import views

app_name = "scale"

urlpatterns = [
    path("", views.WordingListView.as_view(), name="wording_list"),
    path("suggestions/", views.SuggestionsView.as_view(), name="suggestions"),
    path("new/", views.DraftStartView.as_view(), name="draft_start"),
    path("<int:pk>/", views.VersionView.as_view(), name="version"),
    path("<int:pk>/propose/", views.ProposeView.as_view(), name="propose"),
    path("<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("<int:pk>/reject/", views.RejectView.as_view(), name="reject"),
    path("<int:pk>/<str:language>/", views.WordingEditView.as_view(), name="wording_edit"),
]
