import pytest

from haven.people.linkage.normalise import (
    BirthDate,
    NameKey,
    birth_date,
    identity_number,
    name_key,
    phone_number,
)
from haven.people.linkage.places import new_province, province_key


@pytest.mark.parametrize(
    "written",
    [
        "Nguyễn Thị Hoà",
        "Nguyễn Thị Hòa",  # new-style tone placement
        "Nguye\u0302\u0303n Thi\u0323 Hoa\u0300",  # decomposed (NFD) input
        "Nguyen Thi Hoa",
        "NGUYEN THI HOA",
        "  nguyen   thi  hoa ",
        "Thị Hoà Nguyễn",  # passport order, family name last
        "Hoa Thi Nguyen",  # Western order
    ],
)
def test_name_forms_normalise_alike(written):
    assert name_key(written) == NameKey("nguyen", "thi", "hoa")


def test_d_with_stroke_is_d():
    assert name_key("Đặng Thị Đào") == name_key("Dang Thi Dao")


@pytest.mark.parametrize(("a", "b"), [("Lê Thị Mỹ", "Le Thi Mi"), ("Lý Văn Kỳ", "Lí Văn Kì")])
def test_final_y_after_a_consonant_is_i(a, b):
    assert name_key(a) == name_key(b)


def test_y_after_a_vowel_is_kept():
    assert name_key("Trần Thị Thuỳ").given == "thuy"
    assert name_key("Trần Văn Huy") != name_key("Trần Văn Hui")


def test_a_rare_family_name_first_is_kept_first():
    assert name_key("Lý Thị Hà") == NameKey("li", "thi", "ha")
    assert name_key("Giàng Thị Sợi").family == "giang"


def test_unaccented_van_last_may_be_the_given_name():
    # "Quỳnh Vân Đỗ" in passport order: Vân is her given name, not the middle name Văn.
    assert name_key("Quynh Van Do") == NameKey("do", "quynh", "van")


def test_a_name_without_family_name():
    assert name_key("Thị Hoà") == NameKey("", "thi", "hoa")
    assert name_key("") == NameKey("", "", "")


def test_month_above_twelve_is_read_as_swapped_day():
    assert birth_date(1995, 25, 3) == BirthDate(1995, 3, 25)


def test_impossible_date_parts_become_unknown():
    assert birth_date(1995, 13, 13) == BirthDate(1995, None, 13)
    assert birth_date(1850, 2, 40) == BirthDate(None, 2, None)
    assert birth_date(1995, None, None) == BirthDate(1995, None, None)


@pytest.mark.parametrize(
    "written",
    ["0912345678", "+84 912 345 678", "84912345678", "0912.345.678", "0084 912-345-678",
     "912345678"],
)  # fmt: skip
def test_phone_prefixes_and_separators(written):
    assert phone_number(written) == "0912345678"


def test_old_eleven_digit_mobile_becomes_ten_digits():
    assert phone_number("0168 123 4567") == "0381234567"


@pytest.mark.parametrize("written", ["", "123", "0000000000", "0999 999 999"])
def test_unusable_phones_are_unknown(written):
    assert phone_number(written) is None


def test_foreign_phone_keeps_its_country_code():
    assert phone_number("+855 12 345 678") == "+85512345678"


def test_identity_numbers_by_kind():
    assert identity_number("0123 4567 8901") == ("cccd", "012345678901")
    assert identity_number("012.345.678") == ("cmnd", "012345678")
    assert identity_number("c1234567") == ("passport", "C1234567")
    assert identity_number("") is None
    assert identity_number("000000000") is None


@pytest.mark.parametrize(
    ("written", "new"),
    [
        ("Hà Giang", "Tuyên Quang"),  # old province merged into a new one
        ("Tỉnh Hà Giang", "Tuyên Quang"),
        ("HA GIANG", "Tuyên Quang"),
        ("Tuyên Quang", "Tuyên Quang"),
        ("Tỉnh Lào Cai", "Lào Cai"),
        ("Lao Cai", "Lào Cai"),
        ("Yên Bái", "Lào Cai"),
        ("Bình Dương", "Hồ Chí Minh"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("Thành phố Hà Nội", "Hà Nội"),
        ("Thừa Thiên Huế", "Huế"),
        ("Dak Lak", "Đắk Lắk"),
    ],
)
def test_old_and_new_province_names_map_to_the_new_province(written, new):
    assert new_province(written) == new


def test_unknown_province_still_compares_with_itself():
    assert new_province("Atlantis") is None
    assert province_key("Atlantis") == province_key("ATLANTIS") == "atlantis"
    assert province_key("") is None
