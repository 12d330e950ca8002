import datetime

import pytest
from vietnamadminunits import convert_address

from haven.places.models import Commune, Country, Ethnicity, Province

pytestmark = pytest.mark.django_db


def test_the_34_current_provinces_and_their_communes_are_loaded():
    current = Province.objects.current(datetime.date(2026, 1, 1))
    assert current.count() == 34
    assert Commune.objects.filter(valid_to__isnull=True).count() == 3321
    assert set(Commune.objects.values_list("province__valid_to", flat=True)) == {None}


def test_the_63_former_provinces_are_kept_with_their_validity():
    former = Province.objects.filter(valid_to__isnull=False)
    assert former.count() == 63
    assert set(former.values_list("valid_to", flat=True)) == {datetime.date(2025, 6, 30)}
    assert Province.objects.current(datetime.date(2024, 1, 1)).count() == 63
    assert not former.filter(successor__isnull=True).exists()


@pytest.mark.parametrize(
    ("former_name", "current_name"),
    [
        ("Hà Giang", "Tuyên Quang"),
        ("Yên Bái", "Lào Cai"),
        ("Lào Cai", "Lào Cai"),
        ("Bắc Giang", "Bắc Ninh"),
        ("Kiên Giang", "An Giang"),
        ("Hà Nội", "Thành phố Hà Nội"),
    ],
)
def test_former_provinces_map_to_the_unit_that_succeeded_them(former_name, current_name):
    former = Province.objects.get(name_vi=former_name, valid_to__isnull=False)
    assert former.current_unit().name_vi == current_name
    assert former.current_unit().is_current


def test_every_former_province_maps_as_vietnamadminunits_converts_it():
    for former in Province.objects.filter(valid_to__isnull=False).select_related("successor"):
        converted = convert_address(f"Tỉnh {former.name_vi}")
        if not converted.province_code:
            converted = convert_address(f"Thành phố {former.name_vi}")
        assert former.successor.gso_code == converted.province_code, former.name_vi


def test_units_have_vietnamese_and_english_names_and_stable_codes():
    lao_cai = Province.objects.get(code="15")
    assert lao_cai.name_vi == "Lào Cai"
    assert lao_cai.name_en == "Lao Cai Province"
    assert Province.objects.get(code="01").name_en == "Ha Noi City"
    assert Commune.objects.get(code="02788").name_vi == "Xã Bản Lầu"


def test_countries_have_vietnamese_names():
    assert Country.objects.count() >= 249
    assert Country.objects.get(code="KH").name_vi == "Campuchia"
    assert Country.objects.get(code="CN").name_vi == "Trung Quốc"
    assert Country.objects.get(code="VN").alpha3 == "VNM"


def test_the_54_ethnic_groups_are_listed():
    assert Ethnicity.objects.exclude(code__in=["98", "99"]).count() == 54
    assert Ethnicity.objects.get(code="08").name_vi == "Mông"


def test_commune_options_for_a_former_province_list_its_successors_communes(
    client, django_user_model
):
    client.force_login(django_user_model.objects.create_user("u", password="x" * 12))
    former = Province.objects.get(name_vi="Yên Bái", valid_to__isnull=False)
    html = client.get("/places/communes/", {"province": former.pk}).content.decode()
    assert "Xã Bản Lầu" in html  # now in Lào Cai, which Yên Bái merged into


def test_commune_options_require_login(client):
    response = client.get("/places/communes/", {"province": "1"})
    assert response.status_code == 302
