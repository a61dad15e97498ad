"""A searchable employee chooser for the story editor: a plain <select> of 16,000 ASN
would be megabytes of HTML in every inline form.

Tim Komunikasi needs to find a person to feature, not their identifiers: the chooser shows
name, jabatan and unit only, and searches by name (never by NIP or e-mail, which would turn
it into a look-up of personal data for the whole city).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser


def employee_label(user) -> str:
    """What the chooser shows for a person: their name and jabatan, no identifier."""
    name = user.full_name or _("(tanpa nama)")
    return f"{name} — {user.jabatan}" if user.jabatan else str(name)


class EmployeeSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Cari nama pegawai"),
        widget=forms.TextInput(attrs={"placeholder": _("Cari nama pegawai")}),
        required=False,
        max_length=100,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            for word in query.split()[:5]:  # every word of the name, in any order
                objects = objects.filter(full_name__icontains=word)
            self.is_searching = True
            self.search_query = query
        return objects


class EmployeeChooseViewMixin:
    filter_form_class = EmployeeSearchForm

    def get_object_list(self):
        return self.model_class.objects.filter(is_active=True).select_related("org_unit")

    @property
    def columns(self):
        title = super().title_column
        title.label = _("nama")
        title.accessor = lambda user: user.full_name or _("(tanpa nama)")
        return [
            title,
            Column("jabatan", label=_("jabatan")),
            Column("org_unit", label=_("unit kerja")),
        ]


class EmployeeChooseView(EmployeeChooseViewMixin, ChooseView):
    pass


class EmployeeChooseResultsView(EmployeeChooseViewMixin, ChooseResultsView):
    pass


class EmployeeChosenView(ChosenView):
    def get_display_title(self, instance):
        return employee_label(instance)


class EmployeeChooserWidget(BaseChooser):
    def get_display_title(self, instance):
        return employee_label(instance)


class EmployeeChooserViewSet(ChooserViewSet):
    model = "portal.User"
    icon = "user"
    choose_one_text = _("Pilih pegawai")
    choose_another_text = _("Ganti pegawai")
    choose_view_class = EmployeeChooseView
    choose_results_view_class = EmployeeChooseResultsView
    chosen_view_class = EmployeeChosenView
    base_widget_class = EmployeeChooserWidget
    ordering = ["full_name", "pk"]
    per_page = 20


employee_chooser_viewset = EmployeeChooserViewSet("employee_chooser", url_prefix="pegawai-pilih")
