from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views
from .staffing import team_views as staffing_team_views
from .staffing import views as staffing_views

app_urls = (
    [
        path("beranda/", views.beranda, name="beranda"),
        path("beranda/data-saya/", views.personal_data_download, name="personal_data"),
        path("notifikasi/", views.notifications, name="notifications"),
        # staffing (issue 17): Admin BKPSDM, unit heads (team), supervisors (delegation)
        path("kepegawaian/", staffing_views.staffing_home, name="staffing_home"),
        path(
            "kepegawaian/pegawai/<int:pk>/",
            staffing_views.staffing_person,
            name="staffing_person",
        ),
        path(
            "kepegawaian/pegawai/<int:pk>/mutasi/",
            staffing_views.staffing_transfer,
            name="staffing_transfer",
        ),
        path(
            "kepegawaian/pegawai/<int:pk>/akhiri/",
            staffing_views.staffing_end,
            name="staffing_end",
        ),
        path("kepegawaian/plt/", staffing_views.staffing_acting, name="staffing_acting"),
        path(
            "kepegawaian/plt/<int:pk>/akhiri/",
            staffing_views.staffing_acting_end,
            name="staffing_acting_end",
        ),
        path("kepegawaian/penilai/", staffing_views.staffing_raters, name="staffing_raters"),
        path(
            "kepegawaian/penilai/<int:pk>/",
            staffing_views.staffing_designate,
            name="staffing_designate",
        ),
        path("kepegawaian/alih-tim/", staffing_team_views.staffing_team, name="staffing_team"),
        path("delegasi/", staffing_team_views.delegations, name="delegations"),
        path("beranda/riwayat-jabatan/", staffing_team_views.my_posts, name="my_posts"),
        path(
            "delegasi/<int:pk>/batal/",
            staffing_team_views.delegation_cancel,
            name="delegation_cancel",
        ),
    ],
    "portal",
)

# Superusers only; they log in through allauth like everybody else.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # allauth's address page, using an added address only once it is confirmed (issue 14).
    path("accounts/email/", views.account_email, name="account_email"),
    path("accounts/", include("allauth.urls")),
    # Wagtail's own login and password pages are replaced by allauth's.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/password_reset/", RedirectView.as_view(pattern_name="account_reset_password")),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("", include(app_urls)),
    path("", include("api.urls")),
    path("", include("api.v1_urls")),
    path("papan/", include("leaderboard.urls")),
    path("kinerja/", include("performance.urls")),
    path("", include("training.urls")),
    path("", include("cms.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's catch-all stays last.
urlpatterns += [path("", include(wagtail_urls))]

handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"
