from django.urls import path

from . import views

app_name = "training"

# Mounted at the site root, before Wagtail's catch-all: the catalogue, modules and lessons
# themselves are Wagtail pages below /pelatihan/; these are the flows around them.
urlpatterns = [
    path("pelatihan/status/", views.catalogue_status, name="catalogue_status"),
    path("pelatihan/progres/<int:module_id>/", views.module_progress_view, name="progress"),
    path(
        "pelatihan/pelajaran/<int:lesson_id>/selesai/",
        views.complete_lesson,
        name="complete_lesson",
    ),
    path("pelatihan/kuis/<int:module_id>/", views.quiz, name="quiz"),
    path("pelatihan/kuis/hasil/<int:pk>/", views.attempt_result, name="attempt"),
    path("pelatihan/pemantauan/", views.oversight, name="oversight"),
    path("pelatihan/pemantauan/csv/", views.oversight_csv, name="oversight_csv"),
    path("pelatihan/pemantauan/xlsx/", views.oversight_xlsx, name="oversight_xlsx"),
    path("pelatihan/pemantauan/percobaan/", views.attempts_admin, name="attempts_admin"),
    path("pelatihan/pemantauan/percobaan/tambah/", views.grant_attempts, name="grant_attempts"),
    path("sertifikat/", views.certificate_lookup, name="certificate_lookup"),
    path("pelatihan/pengesahan/", views.confirmations, name="confirmations"),
    path(
        "pelatihan/pengesahan/<int:module_id>/",
        views.confirm_module,
        name="confirm_module",
    ),
    path("sertifikat/<str:code>/", views.certificate_check, name="certificate"),
    path("sertifikat/<str:code>/pdf/", views.certificate_pdf, name="certificate_pdf"),
]
