"""Names of the linkage engine's fields and levels, in the reader's language.

The engine (``people.linkage``) works without Django and labels its evidence in English;
these filters translate those labels where a person reads them. A label not listed here
(one kept in an old review-queue record, say) is shown as it was stored.
"""

from django import template
from django.utils.translation import pgettext_lazy

register = template.Library()

_CONTEXT = "match evidence"
FIELDS = {
    "family_name": pgettext_lazy(_CONTEXT, "family name"),
    "middle_name": pgettext_lazy(_CONTEXT, "middle name"),
    "given_name": pgettext_lazy(_CONTEXT, "given name"),
    "birth_date": pgettext_lazy(_CONTEXT, "date of birth"),
    "sex": pgettext_lazy(_CONTEXT, "sex"),
    "home": pgettext_lazy(_CONTEXT, "home province and commune"),
    "national_id": pgettext_lazy(_CONTEXT, "identity number"),
    "phone": pgettext_lazy(_CONTEXT, "phone"),
}
LEVELS = {
    "same": pgettext_lazy(_CONTEXT, "same"),
    "typo": pgettext_lazy(_CONTEXT, "typo"),
    "different": pgettext_lazy(_CONTEXT, "different"),
    "one edit": pgettext_lazy(_CONTEXT, "one character apart"),
    "day and month swapped": pgettext_lazy(_CONTEXT, "day and month swapped"),
    "year off by one (day and month may be swapped)": pgettext_lazy(
        _CONTEXT, "year off by one (day and month may be swapped)"
    ),
    "month or day differs (may also be swapped)": pgettext_lazy(
        _CONTEXT, "month or day differs (may also be swapped)"
    ),
    "partial, known parts agree": pgettext_lazy(_CONTEXT, "partial, known parts agree"),
    "same commune": pgettext_lazy(_CONTEXT, "same commune"),
    "commune name one edit apart": pgettext_lazy(_CONTEXT, "commune name one character apart"),
    "same province, commune not known on both": pgettext_lazy(
        _CONTEXT, "same province, commune not known on both"
    ),
    "different commune": pgettext_lazy(_CONTEXT, "different commune"),
    "different province": pgettext_lazy(_CONTEXT, "different province"),
}


@register.filter
def evidence_field(name: str) -> str:
    return FIELDS.get(name, name)


@register.filter
def evidence_level(label: str) -> str:
    return LEVELS.get(label, label)
