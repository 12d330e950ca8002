"""Long option lists (countries, organisations, ethnicities, provinces), kept per process.

The reception form and a case's overview offer selects of 100–250 organisations and
countries. Building them on every request (a query, a model per row, a label per row in
the user's language) and rendering them with Django's per-option templates was about half
of those pages' CPU time. Here each list is built once per process and language and kept
for `TTL` seconds, and `FastSelect` writes the options as one string.

Only what is *shown* is cached: a submitted value is still checked against the field's
queryset, so an organisation deactivated a moment ago may still be listed (for at most
`TTL` seconds in other processes) but is refused when chosen. Saving or deleting one of the
listed models empties this process's cache at once.
"""

import threading
import time
from collections.abc import Callable, Iterable
from functools import lru_cache

from django import forms
from django.db.models.signals import post_delete, post_save
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TTL = 60.0  # seconds an option list is kept

_lock = threading.Lock()
_lists: dict[tuple[str, str], tuple[float, list[tuple[str, str]]]] = {}


def options(key: str, build: Callable[[], Iterable]) -> list[tuple[str, str]]:
    """The (value, label) pairs `build()` gives, as strings, kept per `key` and language."""
    slot = (key, get_language() or "")
    now = time.monotonic()
    with _lock:
        hit = _lists.get(slot)
    if hit is not None and now - hit[0] < TTL:
        return hit[1]
    built = [(str(value), str(label)) for value, label in build()]
    with _lock:
        _lists[slot] = (now, built)
    return built


def forget(*_args, **_kwargs) -> None:
    """Drop every kept list (a listed model changed)."""
    with _lock:
        _lists.clear()


def _watch() -> None:
    from haven.agencies.models import Organisation
    from haven.places.models import Country, Ethnicity, Province

    for model in (Organisation, Country, Ethnicity, Province):
        post_save.connect(forget, sender=model, dispatch_uid=f"choices-{model.__name__}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"choices-{model.__name__}-del")


_watch()


@lru_cache(maxsize=8192)
def _option(value: str, label: str) -> tuple[str, str]:
    """The escaped halves of an option, around where " selected" goes."""
    return f'<option value="{escape(value)}"', f">{escape(label)}</option>"


class FastSelect(forms.Select):
    """A single select whose options are written as one string, not a template each.
    `options` are (value, label) pairs of strings."""

    def __init__(self, attrs=None, options=()):
        super().__init__(attrs)
        self.options = list(options)

    def use_required_attribute(self, initial):
        # As Select: not when the first option is a real choice rather than a placeholder.
        first = self.options[0] if self.options else None
        return super(forms.Select, self).use_required_attribute(initial) and (
            first is not None and first[0] == ""
        )

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        chosen = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{flatatt(final)}>']
        for option_value, label in self.options:
            start, end = _option(option_value, label)
            parts.append(f"{start} selected{end}" if option_value in chosen else start + end)
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every value and label is escaped


def use_kept_options(field, key: str, *, exclude: Iterable = ()) -> None:
    """Show `field` (a ModelChoiceField) with its options kept under `key`, leaving out the
    values in `exclude`. Validation still uses the field's queryset."""
    show_options(field, options(key, lambda: field.choices), exclude=exclude)


def show_options(field, shown: Iterable, *, exclude: Iterable = ()) -> None:
    """Render `field` with `FastSelect` offering `shown` ((value, label) pairs) less the
    values in `exclude`. Validation still uses the field's queryset."""
    skip = {str(value) for value in exclude}
    shown = [(str(value), str(label)) for value, label in shown if str(value) not in skip]
    widget = FastSelect(attrs=field.widget.attrs, options=shown)
    widget.is_required = field.required
    widget.is_localized = field.widget.is_localized
    field.widget = widget


def fast_selects(*forms_) -> None:
    """Give every plain single select of `forms_` a `FastSelect` with the same options (a
    model field's options are read here, as rendering would have)."""
    for form in forms_:
        for field in form.fields.values():
            if type(field.widget) is forms.Select:
                show_options(field, list(field.choices))


def organisation_options(field) -> list[tuple[str, str]]:
    """The options of a select of active organisations, read as plain values (no model per
    row): the empty choice, then each organisation's name in the request's language, in the
    order of `Organisation.Meta.ordering`."""
    from haven.agencies.models import Organisation

    english = (get_language() or "vi").startswith("en")  # as Organisation.name
    rows = Organisation.objects.filter(is_active=True).values_list("pk", "name_vi", "name_en")
    shown = [] if field.empty_label is None else [("", field.empty_label)]
    return shown + [(str(pk), en if english else vi) for pk, vi, en in rows]
