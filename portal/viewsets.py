"""Wagtail admin for people: the portal's own user forms (NIP, unit, atasan) in Wagtail's Users area."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm, UserForm
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .models import OrgUnit
from .people import email_in_use, may_edit, may_manage_powers, save_person
from .staffing.checks import refusal_messages

PORTAL_USER_FIELDS = [
    "nip",
    "email",
    "full_name",
    "jabatan",
    "jenis_jabatan",
    "pangkat_golongan",
    "status_kepegawaian",
    "org_unit",
    "atasan",
    "board_opt_out",
]


class PortalUserFormMixin:
    """The portal's user form: no password fields (nobody sets another person's password; a
    new account gets the "Lupa kata sandi" e-mail), superuser and roles read-only unless the
    person editing is a superuser, and every save through `portal.people.save_person`."""

    def __init__(self, *args, for_user=None, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.request = request
        for name in ("password1", "password2"):
            self.fields.pop(name, None)
        if not may_manage_powers(for_user):
            for name in ("is_superuser", "groups"):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Hanya superuser yang dapat mengubah status superuser dan peran."
                    )

    def clean_email(self):
        email = self.cleaned_data.get("email", "")
        if email_in_use(email, exclude_user_id=self.instance.pk):
            raise forms.ValidationError(_("E-mail ini sudah dipakai pegawai lain."))
        return email

    def save(self, commit=True):
        user = super(UserForm, self).save(commit=False)  # ModelForm's: no password handling
        if commit:
            groups = self.cleaned_data["groups"] if "groups" in self.fields else None
            # A PermissionDenied here (a path the disabled fields do not cover) is a 403.
            save_person(actor=self.for_user, user=user, groups=groups, request=self.request)
        return user


class PortalUserCreationForm(PortalUserFormMixin, UserCreationForm):
    first_name = None
    last_name = None

    class Meta(UserCreationForm.Meta):
        fields = [*PORTAL_USER_FIELDS, "is_superuser", "groups"]
        widgets = {"groups": forms.CheckboxSelectMultiple}


class PortalUserEditForm(PortalUserFormMixin, UserEditForm):
    first_name = None
    last_name = None

    class Meta(UserEditForm.Meta):
        fields = [*PORTAL_USER_FIELDS, "is_active", "is_superuser", "groups"]
        widgets = {"groups": forms.CheckboxSelectMultiple}


class _FormKwargsMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user, "request": self.request}

    def form_valid(self, form):
        # The staffing service may refuse the new post (an assignment already recorded after
        # today, a closed reporting period, a post naming the editor themselves): the form
        # shows why and nothing is saved.
        try:
            return super().form_valid(form)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, ValidationError(refusal_messages(exc)))
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class UserCreateView(_FormKwargsMixin, wagtail_users.CreateView):
    pass


class UserEditView(_FormKwargsMixin, wagtail_users.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not may_edit(request.user, self.object):
            raise PermissionDenied


class UserViewSet(WagtailUserViewSet):
    create_template_name = "portal/admin/user_create.html"
    edit_template_name = "portal/admin/user_edit.html"
    add_view_class = UserCreateView
    edit_view_class = UserEditView

    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm


class OrgUnitViewSet(ModelViewSet):
    model = OrgUnit
    icon = "group"
    menu_label = _("Unit organisasi")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]
    form_fields = ["name", "short_name", "kind", "code", "parent"]
    ordering = ["name"]
