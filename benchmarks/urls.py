from django.urls import include, path

from .baselines import views

urlpatterns = [
    path("_baseline/hello/", views.hello),
    path("_baseline/ranking/", views.ranking),
    path("_baseline/insert/", views.insert),
    path("", include("portal.urls")),
]
