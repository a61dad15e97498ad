from django.urls import path

from .views import evaluation, evidence, monitoring, penilai, planning, reports, review, workspace

app_name = "performance"

urlpatterns = [
    path("", workspace.home, name="home"),
    path("skp/buat/", workspace.skp_create, name="skp_create"),
    path("skp/<int:pk>/", planning.skp_detail, name="skp_detail"),
    path("skp/<int:pk>/rhk/", planning.rhk_add, name="rhk_add"),
    path("skp/<int:pk>/rincian/", planning.skp_details, name="skp_details"),
    path("skp/<int:pk>/ekspektasi/", planning.skp_expectation, name="skp_expectation"),
    path("skp/<int:pk>/ajukan/", planning.skp_submit, name="skp_submit"),
    path("skp/<int:pk>/setujui/", planning.skp_approve, name="skp_approve"),
    path("skp/<int:pk>/kembalikan/", planning.skp_return, name="skp_return"),
    path(
        "skp/<int:pk>/periode/<int:period_pk>/laporan/",
        reports.report_start,
        name="report_start",
    ),
    path("rhk/<int:pk>/hapus/", planning.rhk_delete, name="rhk_delete"),
    path("rhk/<int:pk>/indikator/", planning.indicator_add, name="indicator_add"),
    path("indikator/<int:pk>/hapus/", planning.indicator_delete, name="indicator_delete"),
    path("laporan/<int:pk>/", reports.report_detail, name="report_detail"),
    path("laporan/<int:pk>/simpan/", reports.report_save, name="report_save"),
    path("laporan/<int:pk>/ajukan/", reports.report_submit, name="report_submit"),
    path("laporan/<int:pk>/bukti/", evidence.evidence_upload, name="evidence_upload"),
    path("laporan/<int:pk>/tautan/", evidence.evidence_link, name="evidence_link"),
    path("laporan/<int:pk>/kembalikan/", review.report_return, name="report_return"),
    path("laporan/<int:pk>/nilai/", review.report_rate, name="report_rate"),
    path("laporan/<int:pk>/umpan-balik/", review.report_feedback, name="report_feedback"),
    path("bukti/<int:pk>/unduh/", evidence.evidence_download, name="evidence_download"),
    path("bukti/<int:pk>/hapus/", evidence.evidence_delete, name="evidence_delete"),
    path("tim/", workspace.team, name="team"),
    path("tim/setujui-skp/", workspace.skp_bulk_approve, name="skp_bulk_approve"),
    path("matriks/", workspace.cascade_matrix, name="matrix"),
    path("matriks/<int:user_pk>/", workspace.cascade_matrix, name="matrix_for"),
    path("notifikasi/", workspace.notifications, name="notifications"),
    path("admin/", planning.admin_cycles, name="admin_cycles"),
    path("admin/siklus/<int:pk>/", planning.admin_cycle, name="admin_cycle"),
    path("admin/penilai/", penilai.admin_penilai, name="admin_penilai"),
    path(
        "admin/penilai/<int:user_pk>/",
        penilai.penilai_reassign,
        name="penilai_reassign",
    ),
    # Annual evaluation
    path("evaluasi/", evaluation.annual_home, name="annual_home"),
    path("evaluasi/<int:year>/unit/<int:pk>/", evaluation.unit_detail, name="unit_detail"),
    path(
        "evaluasi/<int:year>/unit/<int:pk>/capaian/",
        evaluation.unit_capaian,
        name="unit_capaian",
    ),
    path(
        "evaluasi/<int:year>/unit/<int:pk>/tetapkan/",
        evaluation.unit_finalise,
        name="unit_finalise",
    ),
    path("evaluasi/skp/<int:pk>/", evaluation.annual_detail, name="annual_detail"),
    path("evaluasi/skp/<int:pk>/nilai/", evaluation.annual_rate, name="annual_rate"),
    path(
        "evaluasi/skp/<int:pk>/keberatan/",
        evaluation.keberatan_lodge,
        name="keberatan_lodge",
    ),
    path(
        "evaluasi/skp/<int:pk>/keberatan/putuskan/",
        evaluation.keberatan_decide,
        name="keberatan_decide",
    ),
    path("evaluasi/skp/<int:pk>/dokumen.pdf", monitoring.evaluation_pdf, name="evaluation_pdf"),
    path("evaluasi/<int:year>/predikat.xlsx", monitoring.predikat_xlsx, name="predikat_xlsx"),
    path("pemantauan/", monitoring.monitoring, name="monitoring"),
    path("pemantauan/unduh.xlsx", monitoring.monitoring_xlsx, name="monitoring_xlsx"),
    path(
        "pemantauan/nama.xlsx",
        monitoring.monitoring_names_xlsx,
        name="monitoring_names_xlsx",
    ),
    path(
        "pemantauan/<int:pk>/terlambat/",
        monitoring.monitoring_late,
        name="monitoring_late",
    ),
]
