from django.urls import path

from . import feeds, views

app_name = "cms"

urlpatterns = [
    path("cari/", views.search, name="search"),
    path("cerita/feed/rss/", feeds.StoriesFeed(), name="feed_rss"),
    path("cerita/feed/atom/", feeds.StoriesAtomFeed(), name="feed_atom"),
    path("cerita/persetujuan/<int:pk>/", views.consent, name="consent"),
]
