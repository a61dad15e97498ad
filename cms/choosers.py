"""A searchable employee chooser for the story editor: a plain <select> of 16,000 ASN
would be megabytes of HTML in every inline form."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from portal.validators import normalize_nip


class EmployeeSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Cari nama, NIP, atau e-mail"),
        widget=forms.TextInput(attrs={"placeholder": _("Cari nama, NIP, atau e-mail")}),
        required=False,
        max_length=100,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            nip = normalize_nip(query)
            condition = Q(full_name__icontains=query) | Q(email__icontains=query)
            if nip.isdigit():
                condition |= Q(nip__startswith=nip)
            objects = objects.filter(condition)
            self.is_searching = True
            self.search_query = query
        return objects


class EmployeeChooseViewMixin:
    filter_form_class = EmployeeSearchForm

    def get_object_list(self):
        return self.model_class.objects.filter(is_active=True).select_related("org_unit")

    @property
    def columns(self):
        return [
            self.title_column,
            Column("jabatan", label=_("jabatan")),
            Column("org_unit", label=_("unit kerja")),
        ]


class EmployeeChooseView(EmployeeChooseViewMixin, ChooseView):
    pass


class EmployeeChooseResultsView(EmployeeChooseViewMixin, ChooseResultsView):
    pass


class EmployeeChooserViewSet(ChooserViewSet):
    model = "portal.User"
    icon = "user"
    choose_one_text = _("Pilih pegawai")
    choose_another_text = _("Ganti pegawai")
    choose_view_class = EmployeeChooseView
    choose_results_view_class = EmployeeChooseResultsView
    ordering = ["full_name", "pk"]
    per_page = 20


employee_chooser_viewset = EmployeeChooserViewSet("employee_chooser", url_prefix="pegawai-pilih")
