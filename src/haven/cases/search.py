"""Case search: by name with or without diacritics, by reference, province, status, route."""

import functools

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Func, TextField
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from haven.cases.models import CaseStatus, EntryRoute
from haven.people import names
from haven.people.text import fold, fold_tokens
from haven.places.models import Province

# The most rows a case search counts and pages through.
SEARCH_CAP = 1000


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


def looks_like_reference(query: str) -> bool:
    """Whether a search is for a case reference (PROVINCE-YEAR-NUMBER, e.g. 15-2026-00042):
    every reference holds digits, no name does. Such a query is matched against references
    only, and a name query against names only, so neither pays for the other's scan."""
    return any(ch.isdigit() for ch in query)


@functools.cache
def _common_words() -> frozenset[str]:
    """Words that start a large share of names: family names of 2% of people or more
    (Nguyễn alone is 38%) and the most common middle names (Thị, Văn)."""
    families = {fold(name) for name, share in names.FAMILY_NAMES if share >= 2}
    middles = {fold(name) for name, _w in names.FEMALE_MIDDLE_NAMES[:1]}
    middles |= {fold(name) for name, _w in names.MALE_MIDDLE_NAMES[:1]}
    return frozenset(families | middles)


class NamePrefixes(Func):
    """PostgreSQL's `haven_name_prefixes(key)`: every prefix of every word of the key, the
    expression of the index case_name_prefixes (cases migration 0006)."""

    function = "haven_name_prefixes"
    output_field = ArrayField(TextField())


def _frequent(token: str) -> bool:
    """Whether `token` starts a common word (Nguyễn starts 38% of names, "ng" too): its
    index entry would list a large part of the registry."""
    return any(word.startswith(token) for word in _common_words())


def _words_on_postgresql(queryset, tokens: list[str]):
    """The query's words as conditions PostgreSQL answers well. The rarer words are looked
    up together in the prefix index (one entry each, intersected); frequent words are then
    checked with LIKE on the rows found. When every word is frequent, LIKE alone: the
    organisation's newest cases, read in order, hold the first thousand matches soon, and
    the prefix function is never computed row by row (its COST keeps the planner off it)."""
    rare = [token for token in tokens if not _frequent(token)]
    if rare:
        queryset = queryset.alias(name_prefixes=NamePrefixes("name_key")).filter(
            name_prefixes__contains=rare
        )
    for token in tokens:
        if token not in rare:
            queryset = queryset.filter(name_key__contains=f" {token}")
    return queryset


def filter_cases(queryset, data: dict, *, identity_visible=None):
    """Narrow an access-scoped queryset by the cleaned search form.

    `identity_visible` is the queryset of cases whose identity section the user sees; names
    are matched only among those, so a search cannot reveal a name that was not shared.
    """
    query = (data.get("q") or "").strip()
    if query and looks_like_reference(query):
        # References are upper case; the prefix is answered by the reference index.
        queryset = queryset.filter(reference__startswith=fold(query).upper())
    elif query:
        if identity_visible is not None:
            # The same conditions joined into one WHERE clause, not `id IN (SELECT ...)`:
            # PostgreSQL then checks them on the rows the name index found instead of first
            # collecting every case of the organisation.
            queryset = queryset & identity_visible
        # Every word of the query must start a word of the name, in any order. The name is
        # matched on the case's copy of the person's key, so the organisation's cases are
        # found without reading every person of that name in the registry.
        tokens = fold_tokens(query)
        if connections[queryset.db].vendor == "postgresql":
            queryset = _words_on_postgresql(queryset, tokens)
        else:
            for token in tokens:
                queryset = queryset.filter(name_key__contains=f" {token}")
    if data.get("province"):
        queryset = queryset.filter(province=data["province"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("route"):
        queryset = queryset.filter(receptions__entry_route=data["route"]).distinct()
    if data.get("children"):
        queryset = queryset.filter(receptions__is_child=True).distinct()
    return queryset


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` rows: "more than 1000" instead of counting
    the tens of thousands of cases of a large organisation. Pages reach as far as the first
    `cap` rows; a narrower search finds the rest.

    `one_pass`: read the ordered ids of the first `cap` + 1 rows in one query, count them
    and read the page's rows by primary key. For a name search, where finding the rows is
    the cost and they are few, this runs that search once instead of twice (count, then
    page). Without it (a plain list, where the newest rows come straight from an index),
    the count stops at `cap` + 1 rows and the page is a LIMIT/OFFSET query.
    """

    def __init__(self, object_list, per_page, *, cap: int | None = None, one_pass=False, **kw):
        super().__init__(object_list, per_page, **kw)
        self.cap = SEARCH_CAP if cap is None else cap
        self.one_pass = one_pass

    @cached_property
    def _ids(self) -> list:
        return list(self.object_list.values_list("pk", flat=True)[: self.cap + 1])

    @cached_property
    def _found(self) -> int:
        """How many rows there are, up to `cap` + 1."""
        if self.one_pass:
            return len(self._ids)
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def count(self) -> int:
        return min(self._found, self.cap)

    @property
    def capped(self) -> bool:
        """Whether more rows than `cap` match."""
        return self._found > self.cap

    def page(self, number):
        if not self.one_pass:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self._ids[: self.cap][bottom : bottom + self.per_page]
        rows = []
        if ids:
            found = self.object_list.model._default_manager.filter(pk__in=ids)
            found.query.select_related = self.object_list.query.select_related
            by_id = {row.pk: row for row in found}
            rows = [by_id[pk] for pk in ids if pk in by_id]
        return self._get_page(rows, number, self)
