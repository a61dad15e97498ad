from django.urls import include, path

from .views import (
    annual_rating,
    evaluation,
    evidence,
    history,
    monitoring,
    penilai,
    planning,
    reports,
    review,
    workspace,
)

app_name = "performance"

skp_urls = [
    path("buat/", workspace.skp_create, name="skp_create"),
    path("<int:pk>/", planning.skp_detail, name="skp_detail"),
    path("<int:pk>/rhk/", planning.rhk_add, name="rhk_add"),
    path("<int:pk>/rincian/", planning.skp_details, name="skp_details"),
    path("<int:pk>/ekspektasi/", planning.skp_expectation, name="skp_expectation"),
    path("<int:pk>/ajukan/", planning.skp_submit, name="skp_submit"),
    path("<int:pk>/setujui/", planning.skp_approve, name="skp_approve"),
    path("<int:pk>/kembalikan/", planning.skp_return, name="skp_return"),
    path("<int:pk>/periode/<int:period_pk>/laporan/", reports.report_start, name="report_start"),
]

report_urls = [
    path("", reports.report_detail, name="report_detail"),
    path("simpan/", reports.report_save, name="report_save"),
    path("ajukan/", reports.report_submit, name="report_submit"),
    path("bukti/", evidence.evidence_upload, name="evidence_upload"),
    path("tautan/", evidence.evidence_link, name="evidence_link"),
    path("kembalikan/", review.report_return, name="report_return"),
    path("nilai/", review.report_rate, name="report_rate"),
    path("umpan-balik/", review.report_feedback, name="report_feedback"),
]

admin_urls = [
    path("", planning.admin_cycles, name="admin_cycles"),
    path("siklus/<int:pk>/", planning.admin_cycle, name="admin_cycle"),
    path("penilai/", penilai.admin_penilai, name="admin_penilai"),
    path("penilai/<int:user_pk>/", penilai.penilai_reassign, name="penilai_reassign"),
    # Corrections on the record
    path("riwayat/", history.admin_history, name="admin_history"),
    path("riwayat/unduh.xlsx", history.admin_history_xlsx, name="admin_history_xlsx"),
    path("koreksi/<int:pk>/", history.admin_correction, name="admin_correction"),
    path("koreksi/<int:pk>/penilaian/", history.correct_rating, name="correct_rating"),
    path("koreksi/<int:pk>/penilai/", history.correct_penilai, name="correct_penilai"),
    path("koreksi/<int:pk>/perubahan/", history.reopen_skp, name="reopen_skp"),
]

evaluation_urls = [
    path("", evaluation.annual_home, name="annual_home"),
    path("<int:year>/unit/<int:pk>/", evaluation.unit_detail, name="unit_detail"),
    path("<int:year>/unit/<int:pk>/capaian/", evaluation.unit_capaian, name="unit_capaian"),
    path("<int:year>/unit/<int:pk>/tetapkan/", evaluation.unit_finalise, name="unit_finalise"),
    path("skp/<int:pk>/", annual_rating.annual_detail, name="annual_detail"),
    path("skp/<int:pk>/nilai/", annual_rating.annual_rate, name="annual_rate"),
    path("skp/<int:pk>/keberatan/", annual_rating.keberatan_lodge, name="keberatan_lodge"),
    path(
        "skp/<int:pk>/keberatan/putuskan/", annual_rating.keberatan_decide, name="keberatan_decide"
    ),
    path("skp/<int:pk>/dokumen.pdf", monitoring.evaluation_pdf, name="evaluation_pdf"),
    path("<int:year>/predikat.xlsx", monitoring.predikat_xlsx, name="predikat_xlsx"),
    *[
        path(f"<int:year>/skp-ekinerja.{fmt}", monitoring.ekinerja_opd, {"fmt": fmt}, name=name)
        for fmt, name in (("xlsx", "ekinerja_opd_xlsx"), ("json", "ekinerja_opd_json"))
    ],
    *[
        path(f"skp/<int:pk>/ekinerja.{fmt}", monitoring.ekinerja_skp, {"fmt": fmt}, name=name)
        for fmt, name in (("xlsx", "ekinerja_skp_xlsx"), ("json", "ekinerja_skp_json"))
    ],
]

monitoring_urls = [
    path("", monitoring.monitoring, name="monitoring"),
    path("unduh.xlsx", monitoring.monitoring_xlsx, name="monitoring_xlsx"),
    path("nama.xlsx", monitoring.monitoring_names_xlsx, name="monitoring_names_xlsx"),
    path("<int:pk>/terlambat/", monitoring.monitoring_late, name="monitoring_late"),
]

urlpatterns = [
    path("", workspace.home, name="home"),
    path("skp/", include(skp_urls)),
    path("rhk/<int:pk>/hapus/", planning.rhk_delete, name="rhk_delete"),
    path("rhk/<int:pk>/indikator/", planning.indicator_add, name="indicator_add"),
    path("indikator/<int:pk>/hapus/", planning.indicator_delete, name="indicator_delete"),
    path("laporan/<int:pk>/", include(report_urls)),
    path("bukti/<int:pk>/unduh/", evidence.evidence_download, name="evidence_download"),
    path("bukti/<int:pk>/hapus/", evidence.evidence_delete, name="evidence_delete"),
    path("tim/", workspace.team, name="team"),
    path("tim/setujui-skp/", workspace.skp_bulk_approve, name="skp_bulk_approve"),
    path("matriks/", workspace.cascade_matrix, name="matrix"),
    path("matriks/<int:user_pk>/", workspace.cascade_matrix, name="matrix_for"),
    path("notifikasi/", workspace.notifications, name="notifications"),
    path("admin/", include(admin_urls)),
    path("evaluasi/", include(evaluation_urls)),
    path("pemantauan/", include(monitoring_urls)),
]
