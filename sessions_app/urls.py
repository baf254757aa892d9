from django.urls import path

from .views import carer, clock, flow, link, pdf, printing, rating, steps

app_name = "sessions"

urlpatterns = [
    path("start/<str:patient_code>/", flow.start, name="start"),
    path("rating-link/<str:patient_code>/", link.link_create, name="link_create"),
    path("carer/", carer.carer_home, name="carer_home"),
    path("carer/<str:code>/", carer.carer_summary, name="carer_summary"),
    path("carer/<str:code>/pdf/", pdf.carer_summary_pdf, name="carer_summary_pdf"),
    path("<str:code>/", flow.resume, name="resume"),
    path("<str:code>/abandon/", flow.abandon, name="abandon"),
    path("<str:code>/heartbeat/", clock.heartbeat, name="heartbeat"),
    path("<str:code>/rating-link/revoke/", link.link_revoke, name="link_revoke"),
    path("<str:code>/review-actions/", flow.review_actions, name="review_actions"),
    path(
        "<str:code>/review-actions/<int:action_id>/",
        flow.review_action_save,
        name="review_action_save",
    ),
    path("<str:code>/rate/", rating.rate_start, name="rate"),
    path("<str:code>/rate/done/", rating.rate_done, name="rate_done"),
    path("<str:code>/rate/<int:position>/", rating.rate_item, name="rate_item"),
    path("<str:code>/handover/", rating.handover, name="handover"),
    path("<str:code>/handback/", rating.handback, name="handback"),
    path("<str:code>/review/", flow.review, name="review"),
    path("<str:code>/select/", flow.select, name="select"),
    path("<str:code>/ratings-only/", flow.ratings_only, name="ratings_only"),
    path("<str:code>/areas/<int:area_id>/", steps.step, {"step": 1}, name="area"),
    path("<str:code>/areas/<int:area_id>/step/<int:step>/", steps.step, name="step"),
    path("<str:code>/areas/<int:area_id>/seen/", steps.steps_seen, name="steps_seen"),
    path("<str:code>/areas/<int:area_id>/actions/", steps.action_add, name="action_add"),
    path("<str:code>/areas/<int:area_id>/think/", steps.area_think, name="area_think"),
    path("<str:code>/actions/<int:action_id>/", steps.action_edit, name="action_edit"),
    path(
        "<str:code>/areas/<int:area_id>/step/<int:step>/note/",
        steps.step_note,
        name="step_note",
    ),
    path("<str:code>/actions/<int:action_id>/remove/", steps.action_remove, name="action_remove"),
    path("<str:code>/summary/", flow.summary, name="summary"),
    path("<str:code>/print/", printing.print_summary, name="print"),
    path("<str:code>/pdf/", pdf.summary_pdf, name="summary_pdf"),
]
