"""The portal's URLs (namespace `portal`). Each new URL needs a case in tests/portal/isolation_cases/
(the isolation test fails without one)."""

from django.urls import path, register_converter

from portal.converters import IsoDateConverter, MonthConverter
from portal.views import auth, concerns, documents, reports, sites

register_converter(IsoDateConverter, "isodate")
register_converter(MonthConverter, "month")

app_name = "portal"

urlpatterns = [
    path("", sites.home, name="home"),
    path("login", auth.login_view, name="login"),
    path("logout", auth.logout_view, name="logout"),
    path("password", auth.password_change_view, name="password_change"),
    # Sites and their verified attendance.
    path("sites/<int:site_id>/attendance", sites.attendance, name="attendance"),
    path("shifts/<int:shift_id>/ask", concerns.ask_about_shift, name="ask_shift"),
    # Approved incident reports.
    path("reports", reports.report_list, name="reports"),
    path("reports/<uuid:report_id>", reports.report_detail, name="report"),
    path("reports/<uuid:report_id>/ask", concerns.ask_about_report, name="ask_report"),
    path("reports/<uuid:report_id>/photos/<uuid:photo_id>/<slug:variant>", reports.report_photo, name="report_photo"),
    # Concerns and their threads.
    path("concerns", concerns.concern_list, name="concerns"),
    path("concerns/<int:concern_id>", concerns.concern_detail, name="concern"),
    path("concerns/<int:concern_id>/reply", concerns.concern_reply_view, name="concern_reply"),
    # Daily activity reports, monthly summaries and their PDFs (documents).
    path("sites/<int:site_id>/dar/<isodate:day>", documents.dar, name="dar"),
    path("sites/<int:site_id>/dar/<isodate:day>/ask", documents.dar_ask, name="dar_ask"),
    path("sites/<int:site_id>/dar/<isodate:day>/pdf", documents.dar_pdf, name="dar_pdf"),
    path("reports/<uuid:report_id>/pdf", documents.report_pdf, name="report_pdf"),
    path("summaries", documents.summaries, name="summaries"),
    path("summaries/<month:month>", documents.summary, name="summary"),
    path("summaries/<month:month>/pdf", documents.summary_pdf, name="summary_pdf"),
    path("documents/<int:document_id>", documents.document_status, name="document"),
    path("documents/<int:document_id>/download", documents.document_download, name="document_download"),
    path("preferences", documents.preferences, name="preferences"),
    # Public: anyone holding a PDF checks that GuardOps issued it.
    path("verify/<str:content_hash>", documents.verify, name="verify"),
]
