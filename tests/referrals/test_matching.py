"""Matching rules, on plain data: no database."""

from decimal import Decimal

from haven.referrals.matching import (
    FundingFacts,
    Profile,
    ProviderFacts,
    languages_in,
    rank,
    speaks_vietnamese,
)

ALL = frozenset({"essential_needs", "medical", "psychological", "legal_aid", "vocational"})
FUNDS = (FundingFacts("IOM", Decimal("20000000")),)


def provider(pid, name, **fields):
    defaults = {
        "services": frozenset({"essential_needs", "psychological"}),
        "provinces": frozenset({1}),
    }
    defaults.update(fields)
    return ProviderFacts(id=pid, name=name, **defaults)


def her(**fields):
    defaults = {
        "needs": frozenset({"essential_needs", "psychological"}),
        "eligible": ALL,
        "sex": "F",
        "current_province": 1,
    }
    defaults.update(fields)
    return Profile(**defaults)


def names(matches):
    return [m.provider.name for m in matches]


def test_a_provider_with_funds_and_a_place_ranks_above_one_without():
    full_and_broke = provider(1, "A full shelter", places=10, occupancy=10)
    open_and_funded = provider(2, "B open shelter", places=10, occupancy=4, fundings=FUNDS)
    funded_but_full = provider(3, "C full funded", places=10, occupancy=10, fundings=FUNDS)
    matches, excluded = rank(her(), [full_and_broke, open_and_funded, funded_but_full])
    assert excluded == []
    assert names(matches) == ["B open shelter", "C full funded", "A full shelter"]
    best = matches[0]
    assert any(r.points > 0 and "6 of 10 places free" in r.text for r in best.reasons)
    assert any(r.points > 0 and "20,000,000 VND" in r.text for r in best.reasons)
    assert best.score == sum(r.points for r in best.reasons)


def test_spent_or_expired_funds_count_as_none():
    spent = provider(1, "Spent", places=5, fundings=(FundingFacts("UN", Decimal(0)),))
    funded = provider(2, "Funded", places=5, fundings=FUNDS)
    matches, _ = rank(her(), [spent, funded])
    assert names(matches) == ["Funded", "Spent"]
    assert any("no funds left" in r.text for r in matches[1].reasons)


def test_funds_earmarked_for_other_services_do_not_count():
    earmarked = (FundingFacts("Donor", Decimal(10**7), frozenset({"vocational"})),)
    p = provider(1, "Earmarked", fundings=earmarked)
    matches, _ = rank(her(), [p])
    assert any("no funds left" in r.text for r in matches[0].reasons)


def test_a_child_is_never_matched_to_an_adults_only_shelter():
    adults_only = provider(
        1,
        "Adults only",
        takes_children=False,
        places=50,
        fundings=FUNDS,
        languages=frozenset({"km"}),
        nationwide=True,
    )
    for_children = provider(2, "Children's house", takes_children=True, places=1, occupancy=1)
    matches, excluded = rank(
        her(is_child=True, languages=frozenset({"km"})), [adults_only, for_children]
    )
    assert names(matches) == ["Children's house"]
    assert [x.provider.name for x in excluded] == ["Adults only"]
    assert "she is a child" in excluded[0].reasons[0]


def test_an_adult_is_not_matched_to_a_children_only_house():
    matches, excluded = rank(her(), [provider(1, "Kids", takes_children=True, takes_adults=False)])
    assert matches == [] and excluded[0].reasons == ["takes children only"]


def test_sex_and_services_are_hard_filters():
    women_only = provider(1, "Women only")
    no_overlap = provider(2, "Legal aid only", services=frozenset({"legal_aid"}), takes_men=True)
    matches, excluded = rank(her(sex="M"), [women_only, no_overlap])
    assert matches == []
    assert {x.provider.name: x.reasons for x in excluded} == {
        "Women only": ["does not take men"],
        "Legal aid only": ["offers none of the services she needs"],
    }


def test_a_khmer_speaking_person_ranks_a_khmer_speaking_provider_higher():
    plain = provider(1, "A plain", places=5, fundings=FUNDS)
    khmer = provider(2, "Z Khmer", places=5, fundings=FUNDS, languages=frozenset({"km"}))
    matches, _ = rank(her(languages=frozenset({"km"})), [plain, khmer])
    assert names(matches) == ["Z Khmer", "A plain"]
    assert any("Khmer" in r.text and r.points > 0 for r in matches[0].reasons)


def test_the_language_of_her_ethnic_group_counts_when_she_named_none():
    plain = provider(1, "A plain")
    khmer = provider(2, "Z Khmer", languages=frozenset({"km"}))
    matches, _ = rank(her(ethnic_language="km"), [plain, khmer])
    assert names(matches) == ["Z Khmer", "A plain"]
    assert any("ethnic group" in r.text for r in matches[0].reasons)


def test_no_common_language_costs_points_when_she_needs_one():
    matches, _ = rank(
        her(languages=frozenset({"km"}), speaks_vietnamese=False), [provider(1, "Only Vietnamese")]
    )
    assert any(r.points < 0 and "interpreter" in r.text for r in matches[0].reasons)


def test_where_she_is_and_where_she_wishes_to_go():
    here = provider(1, "A here", provinces=frozenset({1}))
    home = provider(2, "B home", provinces=frozenset({2}))
    matches, _ = rank(her(home_province=2, wish="go_home"), [here, home])
    assert names(matches) == ["B home", "A here"]
    matches, _ = rank(her(home_province=2, wish="facility"), [here, home])
    assert names(matches) == ["A here", "B home"]


def test_status_eligibility_lowers_services_she_is_not_entitled_to():
    vocational = provider(1, "School", services=frozenset({"vocational"}))
    matches, _ = rank(her(needs=frozenset({"vocational"}), eligible=frozenset()), [vocational])
    assert matches[0].reasons[0].points == 5
    assert "does not entitle" in matches[0].reasons[0].text


def test_special_care_and_stale_entries():
    hiv = provider(1, "HIV care", care=frozenset({"hiv"}))
    stale = provider(2, "Stale", stale=True)
    matches, _ = rank(her(care=frozenset({"hiv"})), [stale, hiv])
    assert names(matches) == ["HIV care", "Stale"]
    assert any("check by phone" in r.text for r in matches[1].reasons)


def test_languages_are_read_from_free_text():
    assert languages_in("Tiếng Việt, tiếng Khơ-me") == {"km"}
    assert languages_in("H'Mông; Tày") == {"hmn", "tyz"}
    assert languages_in("") == frozenset()
    assert speaks_vietnamese("tiếng Việt")
    assert not speaks_vietnamese("Khmer")
