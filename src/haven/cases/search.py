"""Case search: by name with or without diacritics, by reference, province, status, route."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.cases.models import CaseStatus, EntryRoute
from haven.people.text import fold, fold_tokens
from haven.places.models import Province


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or reference"), required=False, max_length=200)
    province = forms.ModelChoiceField(
        label=_("Province"), required=False, queryset=Province.objects.filter(valid_to__isnull=True)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any"))] + list(CaseStatus.choices)
    )
    route = forms.ChoiceField(
        label=_("Entry route"), required=False, choices=[("", _("any"))] + list(EntryRoute.choices)
    )
    children = forms.BooleanField(label=_("Children only"), required=False)


def filter_cases(queryset, data: dict, *, identity_visible=None):
    """Narrow an access-scoped queryset by the cleaned search form.

    `identity_visible` is the queryset of cases whose identity section the user sees; names
    are matched only among those, so a search cannot reveal a name that was not shared.
    """
    query = (data.get("q") or "").strip()
    if query:
        by_reference = Q(reference__iexact=query) | Q(reference__istartswith=fold(query))
        by_name = Q()
        # Every word of the query must start a word of the name, in any order.
        for token in fold_tokens(query):
            by_name &= Q(person__name_key__contains=f" {token}")
        if identity_visible is not None:
            by_name &= Q(id__in=identity_visible.values("id"))
        queryset = queryset.filter(by_reference | by_name)
    if data.get("province"):
        queryset = queryset.filter(province=data["province"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("route"):
        queryset = queryset.filter(receptions__entry_route=data["route"]).distinct()
    if data.get("children"):
        queryset = queryset.filter(receptions__is_child=True).distinct()
    return queryset
