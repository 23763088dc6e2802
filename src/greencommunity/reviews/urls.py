from django.urls import URLPattern, path

from . import views_applications as apps
from . import views_decisions as decisions

app_name = "reviews"
urlpatterns: list[URLPattern] = [
    path("inbox/", decisions.inbox_view, name="inbox"),
    path("applications/", apps.application_list_view, name="application_list"),
    path("applications/new/", apps.application_start_view, name="application_start"),
    path("applications/forms.zip", decisions.approval_forms_zip_view, name="approval_forms_zip"),
    path("applications/<int:pk>/", apps.application_detail_view, name="application_detail"),
    path("applications/<int:pk>/submit/", apps.application_submit_view, name="application_submit"),
    path(
        "applications/<int:pk>/withdraw/",
        apps.application_withdraw_view,
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/attachments/",
        apps.attachment_upload_view,
        name="attachment_upload",
    ),
    path(
        "applications/<int:pk>/form.docx", decisions.approval_form_docx_view, name="approval_docx"
    ),
    path("applications/<int:pk>/form.pdf", decisions.approval_form_pdf_view, name="approval_pdf"),
    path(
        "applications/<int:pk>/decide/",
        decisions.application_decide_view,
        name="application_decide",
    ),
    path(
        "applications/<int:pk>/joint-opinions/",
        decisions.joint_opinion_view,
        name="joint_opinion",
    ),
    path(
        "applications/<int:pk>/score/", decisions.application_score_view, name="application_score"
    ),
    path(
        "applications/<int:pk>/score/<int:criterion_id>/",
        decisions.reviewer_answer_view,
        name="reviewer_answer",
    ),
    path("attachments/<int:attachment_id>/", apps.attachment_file_view, name="attachment_file"),
    path(
        "attachments/<int:attachment_id>/delete/",
        apps.attachment_delete_view,
        name="attachment_delete",
    ),
    path("decisions/<int:decision_id>/seal", decisions.decision_seal_view, name="decision_seal"),
]
