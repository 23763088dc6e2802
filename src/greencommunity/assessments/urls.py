from django.urls import URLPattern, path

from .views import evidence, pages

app_name = "assessments"
urlpatterns: list[URLPattern] = [
    path("", pages.assessment_list_view, name="list"),
    path("start/", pages.assessment_start_view, name="start"),
    path("community/<str:code>/", pages.community_card_view, name="community_card"),
    path("<int:pk>/", pages.assessment_detail_view, name="detail"),
    path("<int:pk>/answers/<int:criterion_id>/", pages.answer_view, name="answer"),
    path(
        "<int:pk>/answers/<int:criterion_id>/evidence/",
        evidence.evidence_upload_view,
        name="evidence_upload",
    ),
    path("<int:pk>/submit/", pages.assessment_submit_view, name="submit"),
    path("<int:pk>/reopen/", pages.assessment_reopen_view, name="reopen"),
    path("<int:pk>/score-sheet.xlsx", pages.score_sheet_xlsx_view, name="score_sheet_xlsx"),
    path("<int:pk>/score-sheet.pdf", pages.score_sheet_pdf_view, name="score_sheet_pdf"),
    path("evidence/<int:pk>/file", evidence.evidence_file_view, name="evidence_file"),
    path(
        "evidence/<int:pk>/thumbnail", evidence.evidence_thumbnail_view, name="evidence_thumbnail"
    ),
    path("evidence/<int:pk>/delete/", evidence.evidence_delete_view, name="evidence_delete"),
]
