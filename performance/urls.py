from django.urls import path

from . import views, views_evaluation

app_name = "performance"

urlpatterns = [
    path("", views.home, name="home"),
    path("skp/buat/", views.skp_create, name="skp_create"),
    path("skp/<int:pk>/", views.skp_detail, name="skp_detail"),
    path("skp/<int:pk>/rhk/", views.rhk_add, name="rhk_add"),
    path("skp/<int:pk>/rincian/", views.skp_details, name="skp_details"),
    path("skp/<int:pk>/ekspektasi/", views.skp_expectation, name="skp_expectation"),
    path("skp/<int:pk>/ajukan/", views.skp_submit, name="skp_submit"),
    path("skp/<int:pk>/setujui/", views.skp_approve, name="skp_approve"),
    path("skp/<int:pk>/kembalikan/", views.skp_return, name="skp_return"),
    path(
        "skp/<int:pk>/periode/<int:period_pk>/laporan/",
        views.report_start,
        name="report_start",
    ),
    path("rhk/<int:pk>/hapus/", views.rhk_delete, name="rhk_delete"),
    path("rhk/<int:pk>/indikator/", views.indicator_add, name="indicator_add"),
    path("indikator/<int:pk>/hapus/", views.indicator_delete, name="indicator_delete"),
    path("laporan/<int:pk>/", views.report_detail, name="report_detail"),
    path("laporan/<int:pk>/simpan/", views.report_save, name="report_save"),
    path("laporan/<int:pk>/ajukan/", views.report_submit, name="report_submit"),
    path("laporan/<int:pk>/bukti/", views.evidence_upload, name="evidence_upload"),
    path("laporan/<int:pk>/tautan/", views.evidence_link, name="evidence_link"),
    path("laporan/<int:pk>/kembalikan/", views.report_return, name="report_return"),
    path("laporan/<int:pk>/nilai/", views.report_rate, name="report_rate"),
    path("laporan/<int:pk>/umpan-balik/", views.report_feedback, name="report_feedback"),
    path("bukti/<int:pk>/unduh/", views.evidence_download, name="evidence_download"),
    path("bukti/<int:pk>/hapus/", views.evidence_delete, name="evidence_delete"),
    path("tim/", views.team, name="team"),
    path("matriks/", views.cascade_matrix, name="matrix"),
    path("matriks/<int:user_pk>/", views.cascade_matrix, name="matrix_for"),
    path("notifikasi/", views.notifications, name="notifications"),
    path("admin/", views.admin_cycles, name="admin_cycles"),
    path("admin/siklus/<int:pk>/", views.admin_cycle, name="admin_cycle"),
    path("admin/penilai/", views_evaluation.admin_penilai, name="admin_penilai"),
    path(
        "admin/penilai/<int:user_pk>/",
        views_evaluation.penilai_reassign,
        name="penilai_reassign",
    ),
    # Annual evaluation (issue 7)
    path("evaluasi/", views_evaluation.annual_home, name="annual_home"),
    path("evaluasi/<int:year>/unit/<int:pk>/", views_evaluation.unit_detail, name="unit_detail"),
    path(
        "evaluasi/<int:year>/unit/<int:pk>/capaian/",
        views_evaluation.unit_capaian,
        name="unit_capaian",
    ),
    path(
        "evaluasi/<int:year>/unit/<int:pk>/tetapkan/",
        views_evaluation.unit_finalise,
        name="unit_finalise",
    ),
    path("evaluasi/skp/<int:pk>/", views_evaluation.annual_detail, name="annual_detail"),
    path("evaluasi/skp/<int:pk>/nilai/", views_evaluation.annual_rate, name="annual_rate"),
    path(
        "evaluasi/skp/<int:pk>/keberatan/",
        views_evaluation.keberatan_lodge,
        name="keberatan_lodge",
    ),
    path(
        "evaluasi/skp/<int:pk>/keberatan/putuskan/",
        views_evaluation.keberatan_decide,
        name="keberatan_decide",
    ),
    path(
        "evaluasi/skp/<int:pk>/dokumen.pdf", views_evaluation.evaluation_pdf, name="evaluation_pdf"
    ),
    path("evaluasi/<int:year>/predikat.xlsx", views_evaluation.predikat_xlsx, name="predikat_xlsx"),
    path("pemantauan/", views_evaluation.monitoring, name="monitoring"),
    path("pemantauan/unduh.xlsx", views_evaluation.monitoring_xlsx, name="monitoring_xlsx"),
    path(
        "pemantauan/nama.xlsx",
        views_evaluation.monitoring_names_xlsx,
        name="monitoring_names_xlsx",
    ),
    path(
        "pemantauan/<int:pk>/terlambat/",
        views_evaluation.monitoring_late,
        name="monitoring_late",
    ),
]
