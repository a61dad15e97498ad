from django.urls import path

from . import views

app_name = "leaderboard"

urlpatterns = [
    path("", views.board_view, name="board"),
    path("snapshot/", views.snapshot, name="snapshot"),
    path("layar/", views.kiosk, name="kiosk"),
    path("layar/kelola/", views.kiosk_links, name="kiosk_links"),
    path("layar/kelola/<int:pk>/cabut/", views.kiosk_link_revoke, name="kiosk_link_revoke"),
    path("beri/", views.give, name="give"),
    path("beri/cari/", views.search_recipients, name="search"),
    path("saya/", views.mine, name="mine"),
    path("saya/privasi/", views.privacy, name="privacy"),
    path("tinjau/", views.review, name="review"),
    path("apresiasi/<int:pk>/cabut/", views.revoke, name="revoke"),
    path("lencana/penerbit.json", views.issuer, name="issuer"),
    path("lencana/kelas/<slug:slug>.json", views.badge_class, name="badge_class"),
    path("lencana/kelas/<slug:slug>.svg", views.badge_image, name="badge_image"),
    path("lencana/<uuid:uid>.json", views.assertion, name="assertion"),
    path("lencana/<uuid:uid>/", views.award_page, name="award"),
]
