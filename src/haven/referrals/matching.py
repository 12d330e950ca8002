"""Matching a person's needs to providers, with the reasons for each rank.

`rank` is a pure function over plain data (`Profile`, `ProviderFacts`), so the rules are
tested without a database; `suggest` is the thin layer that reads a case and the directory
(a fixed number of queries, whatever the size of the directory).

Scoring, in points (each shown to the user as a reason):
- hard filters, never overridden: a child is never matched to a provider that takes adults
  only, an adult never to one for children only; her sex must be one the provider takes;
  the provider must offer at least one of her needs;
- each needed service offered: +20 (+5 when her status does not make her eligible for it
  under Art. 37, so only the provider's own means can cover it);
- a free place: +50, residential but full: -50; funds left for her needs: +50, none: -50.
  So a provider with a place and funds ranks above one without, all else equal, by 200;
- a language she speaks: +25; the language of her ethnic group: +15; no common language
  when she needs one: -20;
- serves the province where she is: +15; her home province: +20 if she wishes to go home
  (+10 if she has not said), her home commune: +10; nationwide: +5; a residential provider
  when she wishes to go to a facility: +10;
- special care she needs (HIV, disability, mental health) offered: +15 each, missing: -15;
- an entry not confirmed current within the stale period: -10.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from haven.people.text import fold_tokens
from haven.referrals.models import Care, Language
from haven.support.models import SupportType

SERVICE = 20
SERVICE_NOT_ELIGIBLE = 5
FREE_PLACE, NO_PLACE = 50, -50
FUNDS, NO_FUNDS = 50, -50
LANGUAGE, ETHNIC_LANGUAGE, NO_COMMON_LANGUAGE = 25, 15, -20
WHERE_SHE_IS, HOME_WISHED, HOME_UNSTATED, HOME_COMMUNE, NATIONWIDE = 15, 20, 10, 10, 5
WISHES_FACILITY = 10
CARE, NO_CARE = 15, -15
STALE = -10

# Words (folded, diacritics stripped) by which a language is written in `Person.languages`.
LANGUAGE_WORDS = {
    Language.KHMER: {"khmer", "khome", "kho me", "campuchia", "cambodian"},
    Language.HMONG: {"hmong", "mong", "h mong", "meo"},
    Language.TAY: {"tay"},
    Language.THAI: {"thai"},
    Language.NUNG: {"nung"},
    Language.DAO: {"dao", "yao"},
    Language.MUONG: {"muong"},
    Language.CHINESE: {"hoa", "trung", "chinese", "quan thoai", "mandarin", "quang dong"},
    Language.JARAI: {"jarai", "gia rai"},
    Language.EDE: {"ede", "e de", "rhade"},
    Language.BAHNAR: {"bahnar", "ba na"},
    Language.CHAM: {"cham"},
    Language.LAO: {"lao"},
    Language.ENGLISH: {"english", "anh"},
    Language.SIGN: {"ky hieu", "sign"},
}
VIETNAMESE_WORDS = {"viet", "kinh", "vietnamese"}
# Ethnic group (GSO code) → its language, for a person who did not name her languages.
ETHNIC_LANGUAGE_OF = {
    "02": Language.TAY,
    "03": Language.THAI,
    "04": Language.CHINESE,
    "05": Language.KHMER,
    "06": Language.MUONG,
    "07": Language.NUNG,
    "08": Language.HMONG,
    "09": Language.DAO,
    "10": Language.JARAI,
    "12": Language.EDE,
    "13": Language.BAHNAR,
    "17": Language.CHAM,
    "37": Language.LAO,
}


def _phrases(text: str) -> set[str]:
    tokens = fold_tokens(text)
    return {" ".join(tokens[i : i + n]) for n in (1, 2) for i in range(len(tokens) - n + 1)}


def languages_in(text: str) -> frozenset[str]:
    """Language codes named in free text such as "Tiếng Việt, tiếng Khơ-me"."""
    phrases = _phrases(text)
    return frozenset(code for code, words in LANGUAGE_WORDS.items() if words & phrases)


def speaks_vietnamese(text: str) -> bool:
    return bool(VIETNAMESE_WORDS & _phrases(text))


@dataclasses.dataclass(frozen=True)
class Profile:
    """What matching needs to know about her: no name, no identifiers."""

    needs: frozenset[str]
    eligible: frozenset[str]
    is_child: bool = False
    sex: str = "U"
    languages: frozenset[str] = frozenset()
    ethnic_language: str | None = None
    speaks_vietnamese: bool = True
    needs_interpreter: bool = False
    care: frozenset[str] = frozenset()
    current_province: int | None = None
    home_province: int | None = None
    home_commune: int | None = None
    wish: str = ""


@dataclasses.dataclass(frozen=True)
class FundingFacts:
    source: str
    remaining: Decimal
    services: frozenset[str] = frozenset()  # empty: any service


@dataclasses.dataclass(frozen=True)
class ProviderFacts:
    id: int
    name: str
    services: frozenset[str]
    provinces: frozenset[int] = frozenset()
    communes: frozenset[int] = frozenset()
    nationwide: bool = False
    takes_women: bool = True
    takes_men: bool = False
    takes_children: bool = False
    takes_adults: bool = True
    languages: frozenset[str] = frozenset()
    care: frozenset[str] = frozenset()
    places: int | None = None
    occupancy: int = 0
    fundings: tuple[FundingFacts, ...] = ()
    stale: bool = False
    organisation_id: int | None = None


@dataclasses.dataclass(frozen=True)
class Reason:
    points: int
    text: str


@dataclasses.dataclass
class Match:
    provider: ProviderFacts
    reasons: list[Reason]
    services: list[str]  # her needs this provider offers

    @property
    def score(self) -> int:
        return sum(r.points for r in self.reasons)


@dataclasses.dataclass
class Exclusion:
    provider: ProviderFacts
    reasons: list[str]


def _label(code: str, choices) -> str:
    return str(dict(choices).get(code, code))


def _labels(codes, choices) -> str:
    return ", ".join(_label(c, choices) for c in sorted(codes))


def exclusions(profile: Profile, p: ProviderFacts) -> list[str]:
    """Why this provider cannot take her at all (empty: it can)."""
    why = []
    if profile.is_child and not p.takes_children:
        why.append(_("takes adults only; she is a child"))
    if not profile.is_child and not p.takes_adults:
        why.append(_("takes children only"))
    if profile.sex == "F" and not p.takes_women:
        why.append(_("does not take women"))
    if profile.sex == "M" and not p.takes_men:
        why.append(_("does not take men"))
    if profile.needs and not (profile.needs & p.services):
        why.append(_("offers none of the services she needs"))
    return why


def _service_reasons(profile: Profile, p: ProviderFacts) -> tuple[list[Reason], list[str]]:
    offered = sorted(profile.needs & p.services)
    eligible = [s for s in offered if s in profile.eligible]
    own_means = [s for s in offered if s not in profile.eligible]
    reasons = []
    if eligible:
        reasons.append(
            Reason(
                SERVICE * len(eligible),
                _("offers %(services)s") % {"services": _labels(eligible, SupportType.choices)},
            )
        )
    if own_means:
        reasons.append(
            Reason(
                SERVICE_NOT_ELIGIBLE * len(own_means),
                _(
                    "offers %(services)s, which her status does not entitle her to: only the "
                    "provider's own means can cover it"
                )
                % {"services": _labels(own_means, SupportType.choices)},
            )
        )
    return reasons, offered


def _capacity_reasons(p: ProviderFacts, offered: list[str]) -> list[Reason]:
    reasons = []
    if p.places is not None:
        free = p.places - p.occupancy
        if free > 0:
            reasons.append(
                Reason(
                    FREE_PLACE,
                    _("%(free)s of %(places)s places free") % {"free": free, "places": p.places},
                )
            )
        else:
            reasons.append(
                Reason(NO_PLACE, _("no free place (%(places)s taken)") % {"places": p.places})
            )
    usable = [
        f
        for f in p.fundings
        if f.remaining > 0 and (not f.services or not offered or f.services & set(offered))
    ]
    if usable:
        total = sum(f.remaining for f in usable)
        sources = ", ".join(sorted({f.source for f in usable}))
        reasons.append(
            Reason(
                FUNDS,
                _("%(amount)s VND left for her needs (%(sources)s)")
                % {"amount": f"{total:,.0f}", "sources": sources},
            )
        )
    elif p.fundings:
        reasons.append(Reason(NO_FUNDS, _("no funds left for her needs")))
    else:
        reasons.append(Reason(NO_FUNDS, _("no funds listed")))
    return reasons


def _language_reasons(profile: Profile, p: ProviderFacts) -> list[Reason]:
    shared = profile.languages & p.languages
    reasons = []
    if shared:
        reasons.append(
            Reason(
                LANGUAGE,
                _("speaks %(languages)s, as she does")
                % {"languages": _labels(shared, Language.choices)},
            )
        )
    ethnic = profile.ethnic_language
    if ethnic and ethnic not in profile.languages and ethnic in p.languages:
        reasons.append(
            Reason(
                ETHNIC_LANGUAGE,
                _("speaks %(language)s, her ethnic group's language")
                % {"language": _label(ethnic, Language.choices)},
            )
        )
    needs_language = profile.needs_interpreter or not profile.speaks_vietnamese
    common = shared or (ethnic in p.languages if ethnic else False)
    if needs_language and not common:
        reasons.append(
            Reason(NO_COMMON_LANGUAGE, _("no one speaks her language: an interpreter is needed"))
        )
    return reasons


def _place_reasons(profile: Profile, p: ProviderFacts) -> list[Reason]:
    reasons = []
    if profile.current_province in p.provinces:
        reasons.append(Reason(WHERE_SHE_IS, _("serves the province where she is")))
    if profile.home_province is not None and profile.home_province in p.provinces:
        if profile.wish == "go_home":
            reasons.append(
                Reason(HOME_WISHED, _("serves her home province, where she wishes to go"))
            )
        elif not profile.wish:
            reasons.append(Reason(HOME_UNSTATED, _("serves her home province")))
    if profile.home_commune is not None and profile.home_commune in p.communes:
        reasons.append(Reason(HOME_COMMUNE, _("serves her home commune")))
    if p.nationwide:
        reasons.append(Reason(NATIONWIDE, _("serves the whole country")))
    if profile.wish == "facility" and p.places is not None:
        reasons.append(Reason(WISHES_FACILITY, _("a residential facility, as she wishes")))
    return reasons


def _care_reasons(profile: Profile, p: ProviderFacts) -> list[Reason]:
    reasons = []
    for code in sorted(profile.care):
        label = _label(code, Care.choices)
        if code in p.care:
            reasons.append(Reason(CARE, _("offers %(care)s") % {"care": label}))
        else:
            reasons.append(Reason(NO_CARE, _("no %(care)s") % {"care": label}))
    return reasons


def score(profile: Profile, p: ProviderFacts) -> Match:
    reasons, offered = _service_reasons(profile, p)
    reasons += _capacity_reasons(p, offered)
    reasons += _language_reasons(profile, p)
    reasons += _place_reasons(profile, p)
    reasons += _care_reasons(profile, p)
    if p.stale:
        reasons.append(Reason(STALE, _("entry not confirmed recently: check by phone")))
    return Match(provider=p, reasons=reasons, services=offered)


def rank(profile: Profile, providers) -> tuple[list[Match], list[Exclusion]]:
    """Providers that can take her, best first (ties by name), and those that cannot."""
    matches, excluded = [], []
    for provider in providers:
        why_not = exclusions(profile, provider)
        if why_not:
            excluded.append(Exclusion(provider, why_not))
        else:
            matches.append(score(profile, provider))
    matches.sort(key=lambda m: (-m.score, m.provider.name, m.provider.id))
    return matches, excluded


# --- The database layer ---------------------------------------------------------------

IMMEDIATE_NEEDS = {
    "need_shelter": "essential_needs",
    "need_food": "essential_needs",
    "need_clothing": "essential_needs",
    "need_medical": "medical",
}
CONFERENCE_CARE = {
    "hiv": Care.HIV,
    "disability": Care.DISABILITY,
    "mental_health": Care.MENTAL_HEALTH,
}


def needs_of(case) -> frozenset[str]:
    """Her needs: the planned services of her plan and her latest reception's immediate
    needs."""
    from haven.support.models import Service

    needs = set(
        case.services.filter(status=Service.Status.PLANNED).values_list("support_type", flat=True)
    )
    reception = case.receptions.order_by("-received_at").first()
    if reception is not None:
        needs |= {code for field, code in IMMEDIATE_NEEDS.items() if getattr(reception, field)}
    return frozenset(needs)


def care_needed(case) -> frozenset[str]:
    """Special care recorded for her, from the reasons of her case conferences."""
    reasons = set(case.conferences.values_list("reason", flat=True))
    return frozenset(CONFERENCE_CARE[r] for r in reasons if r in CONFERENCE_CARE)


def profile_for(case, *, need: str | None = None) -> Profile:
    from haven.support import eligibility

    person = case.person
    needs = frozenset({need}) if need else needs_of(case)
    home = person.home_province.current_unit() if person.home_province_id else None
    ethnicity_code = person.ethnicity.code if person.ethnicity_id else None
    return Profile(
        needs=needs,
        eligible=frozenset(eligibility.eligible_types(case)),
        is_child=person.is_child,
        sex=person.sex,
        languages=languages_in(person.languages),
        ethnic_language=ETHNIC_LANGUAGE_OF.get(ethnicity_code),
        speaks_vietnamese=not person.languages or speaks_vietnamese(person.languages),
        needs_interpreter=person.needs_interpreter,
        care=care_needed(case),
        current_province=case.province_id,
        home_province=home.pk if home else None,
        home_commune=person.home_commune_id,
        wish=case.return_wish,
    )


def facts_of(provider, *, on: datetime.date, stale_after_days: int, now=None) -> ProviderFacts:
    """Plain facts of a provider whose provinces, communes and fundings are prefetched."""
    return ProviderFacts(
        id=provider.pk,
        name=provider.name,
        services=frozenset(provider.service_codes),
        provinces=frozenset(p.pk for p in provider.provinces.all()),
        communes=frozenset(c.pk for c in provider.communes.all()),
        nationwide=provider.nationwide,
        takes_women=provider.takes_women,
        takes_men=provider.takes_men,
        takes_children=provider.takes_children,
        takes_adults=provider.takes_adults,
        languages=frozenset(provider.language_codes),
        care=frozenset(provider.care_codes),
        places=provider.places,
        occupancy=provider.occupancy,
        fundings=tuple(
            FundingFacts(f.source, f.remaining, frozenset(f.service_codes))
            for f in provider.fundings.all()
            if f.is_current(on)
        ),
        stale=provider.is_stale(stale_after_days, now),
        organisation_id=provider.organisation_id,
    )


def listed_providers():
    from haven.referrals.models import Provider

    return (
        Provider.objects.filter(is_active=True)
        .select_related("organisation")
        .prefetch_related("provinces", "communes", "fundings")
    )


def stale_after_days(on: datetime.date | None = None) -> int:
    from haven.rules import lookup as rules

    return int(rules.value("directory.stale_after_days", on=on))


def suggest(case, *, need: str | None = None):
    """Ranked matches and exclusions for her case, with the providers they are about."""
    from django.utils import timezone

    today = timezone.localdate()
    stale_days = stale_after_days(today)
    profile = profile_for(case, need=need)
    providers = {p.pk: p for p in listed_providers()}
    facts = [facts_of(p, on=today, stale_after_days=stale_days) for p in providers.values()]
    matches, excluded = rank(profile, facts)
    return profile, matches, excluded, providers
