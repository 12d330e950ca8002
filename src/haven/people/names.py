"""Weighted Vietnamese name lists for demo data and synthetic benchmarks.

Each constant is a tuple of ``(name, weight)`` pairs; weights are relative frequencies
(family names in per cent of the population, the rest in rough relative units). Family-name
shares follow published surveys (Nguyễn ≈ 38%, Trần ≈ 11%, Lê ≈ 9.5% …); the tail includes
names common among ethnic minorities of the northern uplands (Hmong, Thái, Tày, Dao), who are
over-represented among trafficking victims. All strings are NFC. Nothing here is random at
import time: callers pass their own ``random.Random`` so runs are reproducible.
"""

import random
import unicodedata
from functools import cache
from itertools import accumulate

FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.1),
    ("Hoàng", 3.4),  # Hoàng and its southern form Huỳnh together ≈ 5.1%
    ("Huỳnh", 1.7),
    ("Phan", 4.5),
    ("Vũ", 2.2),  # Vũ and its southern form Võ together ≈ 3.9%
    ("Võ", 1.7),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    # Kinh tail
    ("Đoàn", 0.9),
    ("Trương", 0.9),
    ("Đinh", 0.8),
    ("Đào", 0.7),
    ("Lâm", 0.5),
    ("Mai", 0.5),
    ("Trịnh", 0.5),
    ("Lương", 0.4),
    ("Cao", 0.4),
    ("Lưu", 0.3),
    ("Tạ", 0.3),
    ("Tô", 0.2),
    ("Châu", 0.2),
    ("Thái", 0.2),
    ("Kiều", 0.1),
    ("Quách", 0.1),
    ("Tôn", 0.1),
    # ethnic-minority family names (Hmong, Thái, Tày, Nùng, Dao)
    ("Hà", 0.6),
    ("Nông", 0.5),
    ("Triệu", 0.4),
    ("Giàng", 0.3),
    ("Sùng", 0.3),
    ("Lò", 0.3),
    ("Vàng", 0.3),
    ("Thào", 0.3),
    ("Lường", 0.2),
    ("Mùa", 0.2),
    ("Cầm", 0.2),
    ("Lầu", 0.2),
    ("Vi", 0.2),
    ("Lục", 0.1),
    ("Quàng", 0.1),
)

FEMALE_MIDDLE_NAMES: tuple[tuple[str, float], ...] = (
    ("Thị", 60.0),
    ("Ngọc", 8.0),
    ("Thu", 5.0),
    ("Thanh", 5.0),
    ("Minh", 3.0),
    ("Kim", 3.0),
    ("Hồng", 3.0),
    ("Thùy", 2.5),
    ("Phương", 2.0),
    ("Mỹ", 2.0),
    ("Bích", 1.5),
    ("Hoài", 1.0),
    ("Diệu", 1.0),
    ("Tuyết", 1.0),
    ("Quỳnh", 1.0),
    ("Bảo", 1.0),
)

MALE_MIDDLE_NAMES: tuple[tuple[str, float], ...] = (
    ("Văn", 55.0),
    ("Đức", 8.0),
    ("Minh", 7.0),
    ("Quang", 5.0),
    ("Hữu", 5.0),
    ("Công", 4.0),
    ("Thanh", 3.0),
    ("Xuân", 3.0),
    ("Ngọc", 2.0),
    ("Đình", 2.0),
    ("Tuấn", 1.5),
    ("Quốc", 1.5),
    ("Trung", 1.0),
    ("Hoàng", 1.0),
    ("Thế", 1.0),
)

FEMALE_GIVEN_NAMES: tuple[tuple[str, float], ...] = (
    ("Linh", 6.0),
    ("Hương", 5.0),
    ("Trang", 5.0),
    ("Hoa", 5.0),
    ("Lan", 5.0),
    ("Anh", 5.0),
    ("Mai", 4.5),
    ("Hà", 4.5),
    ("Thảo", 4.5),
    ("Ngọc", 4.0),
    ("Phương", 4.0),
    ("Hằng", 4.0),
    ("Nhung", 3.5),
    ("Huyền", 3.5),
    ("Yến", 3.5),
    ("Thủy", 3.0),
    ("Dung", 3.0),
    ("Hạnh", 3.0),
    ("Nga", 3.0),
    ("Loan", 2.5),
    ("Vân", 2.5),
    ("Hiền", 2.5),
    ("Thu", 2.5),
    ("Oanh", 2.0),
    ("Hòa", 2.0),
    ("Lệ", 1.5),
    ("Quyên", 1.5),
    ("Tuyết", 1.5),
    ("Giang", 1.5),
    ("Chi", 1.5),
    ("Nhi", 1.5),
    ("Vy", 1.5),
    ("Dương", 1.0),
    ("Mỹ", 1.0),
    ("Diễm", 1.0),
    ("Xuân", 1.0),
    ("Sợi", 0.5),  # Hmong names, frequent in upland provinces
    ("Mỷ", 0.5),
    ("Dở", 0.3),
    ("Pằng", 0.3),
)

MALE_GIVEN_NAMES: tuple[tuple[str, float], ...] = (
    ("Hùng", 5.0),
    ("Dũng", 5.0),
    ("Nam", 5.0),
    ("Tuấn", 5.0),
    ("Minh", 5.0),
    ("Hải", 4.5),
    ("Long", 4.5),
    ("Sơn", 4.0),
    ("Thắng", 4.0),
    ("Cường", 4.0),
    ("Hưng", 3.5),
    ("Hiếu", 3.5),
    ("Đức", 3.5),
    ("Trung", 3.5),
    ("Quân", 3.0),
    ("Phong", 3.0),
    ("Huy", 3.0),
    ("Bình", 3.0),
    ("Thành", 3.0),
    ("Tùng", 3.0),
    ("Khoa", 2.5),
    ("Việt", 2.5),
    ("Hoàng", 2.5),
    ("Tâm", 2.0),
    ("Phúc", 2.0),
    ("Khánh", 2.0),
    ("Thịnh", 2.0),
    ("Tài", 2.0),
    ("Lâm", 1.5),
    ("Vinh", 1.5),
    ("Quang", 1.5),
    ("Anh", 1.5),
    ("Tiến", 1.5),
    ("Chiến", 1.0),
    ("Duy", 1.0),
    ("Sử", 0.5),  # Hmong names
    ("Páo", 0.5),
    ("Chứ", 0.3),
    ("Seo", 0.3),
)

SEXES = ("F", "M")


class _Table:
    """A weighted list with precomputed cumulative weights, for fast repeated draws."""

    def __init__(self, pairs: tuple[tuple[str, float], ...]):
        self.names = [unicodedata.normalize("NFC", name) for name, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.names, cum_weights=self.cumulative, k=1)[0]


@cache
def _table(pairs: tuple[tuple[str, float], ...]) -> _Table:
    return _Table(pairs)


def random_name(rng: random.Random, sex: str) -> tuple[str, str, str]:
    """Draw ``(family, middle, given)`` for ``sex`` ("F" or "M") from the weighted lists.

    Deterministic for a given ``rng`` state. Raises ``ValueError`` for any other sex.
    """
    if sex == "F":
        middle, given = FEMALE_MIDDLE_NAMES, FEMALE_GIVEN_NAMES
    elif sex == "M":
        middle, given = MALE_MIDDLE_NAMES, MALE_GIVEN_NAMES
    else:
        raise ValueError(f"sex must be 'F' or 'M', not {sex!r}")
    family_name = _table(FAMILY_NAMES).draw(rng)
    middle_name = _table(middle).draw(rng)
    given_name = _table(given).draw(rng)
    # "Nguyễn Ngọc Ngọc" does not occur: redraw the middle name once if it repeats the given.
    if middle_name == given_name:
        middle_name = _table(middle).draw(rng)
    return family_name, middle_name, given_name
