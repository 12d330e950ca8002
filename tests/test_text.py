import pytest

from haven.people.identifiers import normalise_document_number, normalise_phone
from haven.people.text import fold, fold_tokens, nfc


@pytest.mark.parametrize(
    "value",
    ["Nguyễn Thị Hoà", "Nguyễn Thị Hòa", "nguyễn thị hòa", "NGUYEN THI HOA", " Nguyen  Thi Hoa "],
)
def test_names_fold_alike_with_or_without_diacritics(value):
    assert fold(value) == "nguyen thi hoa"


def test_d_with_stroke_folds_to_d():
    assert fold("Đặng Đức") == "dang duc"


def test_nfc_composes_decomposed_input():
    decomposed = "Nguye\u0302\u0303n"
    assert nfc(decomposed) == "Nguyễn"
    assert len(nfc(decomposed)) == 6


def test_fold_tokens_drop_punctuation():
    assert fold_tokens("Lò Thị, Mỷ-Hoa") == ["lo", "thi", "my", "hoa"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+84 912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084912345678", "0912345678"),
        ("+855 12 345 678", "+85512345678"),
        ("", ""),
    ],
)
def test_phone_numbers_normalise(raw, expected):
    assert normalise_phone(raw) == expected


def test_document_numbers_normalise():
    assert normalise_document_number(" c 1234-567 ") == "C1234567"
