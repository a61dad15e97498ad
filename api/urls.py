from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("kepegawaian/token-api/", views.tokens, name="tokens"),
    path("kepegawaian/token-api/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
]
