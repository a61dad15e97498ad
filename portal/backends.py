"""Django's and allauth's authentication backends, loading the user with their groups.

Every logged-in page asks for the user's groups (the MFA rule in `RequireMfaMiddleware`, the
menu, the roles of `in_group`), so `get_user` reads them with the user: one query per request
instead of two. They are read again on every request, so a change of role, or a removal from
a group, shows on the user's next request.
"""

from allauth.account import auth_backends
from asgiref.sync import sync_to_async
from django.contrib.auth import backends, get_user_model


class _UserWithGroups:
    def get_user(self, user_id):
        user = get_user_model()._default_manager.get_with_groups(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)


class ModelBackend(_UserWithGroups, backends.ModelBackend):
    pass


class AuthenticationBackend(_UserWithGroups, auth_backends.AuthenticationBackend):
    pass
