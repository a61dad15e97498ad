"""The versioned API's URLs, included at the root (its own namespace, "api-v1")."""

from django.urls import path

from .main import api

urlpatterns = [path("api/v1/", api.urls)]
