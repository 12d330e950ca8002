import csv

import pytest

from haven.people.linkage.csvfiles import INPUT_COLUMNS, InputError, dedupe_csv

HEADER = ",".join(INPUT_COLUMNS)
ROWS = [
    "b7,Nguyễn,Thị,Hoa,F,1998,3,12,Hà Giang,002198001234,0912 345 678",
    "a2,NGUYEN,THI,HOA,F,1998,12,3,Tinh Tuyen Quang,,",
    "c1,Nguyễn,Thị,Hoa,F,2001,7,25,Hà Giang,,",
    "d4,Giàng,Thị,Sợi,F,2003,5,9,Lào Cai,,+84 988 111 222",
]


def write(tmp_path, lines, name="input.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_pairs(path):
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_output_has_the_header_and_ordered_ids(tmp_path):
    out = tmp_path / "pairs.csv"
    count, problems = dedupe_csv(write(tmp_path, [HEADER, *ROWS]), out)
    rows = read_pairs(out)
    assert rows[0] == ["rec_id_a", "rec_id_b", "score"]
    assert count == len(rows) - 1 == 1
    a, b, score = rows[1]
    assert (a, b) == ("a2", "b7")  # the same woman; ids ordered as strings
    assert 0.5 <= float(score) <= 1
    assert problems == []


def test_columns_may_come_in_any_order_and_a_bom_is_accepted(tmp_path):
    columns = list(reversed(INPUT_COLUMNS))
    lines = [",".join(columns)] + [",".join(reversed(r.split(","))) for r in ROWS]
    path = tmp_path / "input.csv"
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    dedupe_csv(path, out)
    assert [r[:2] for r in read_pairs(out)[1:]] == [["a2", "b7"]]


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        dedupe_csv(tmp_path / "absent.csv", tmp_path / "pairs.csv")
    assert not (tmp_path / "pairs.csv").exists()


def test_missing_columns_are_named(tmp_path):
    path = write(tmp_path, ["rec_id,surname,given_name", "1,Lê,Lan"])
    with pytest.raises(InputError, match="missing column.*middle_name.*phone"):
        dedupe_csv(path, tmp_path / "pairs.csv")


def test_an_empty_file_is_an_input_error(tmp_path):
    path = write(tmp_path, [""])
    with pytest.raises(InputError, match="missing column"):
        dedupe_csv(path, tmp_path / "pairs.csv")


def test_a_file_that_is_not_utf8_is_an_input_error(tmp_path):
    path = tmp_path / "input.csv"
    path.write_bytes((HEADER + "\n1,Nguy\xe1n,,,,,,,,,\n").encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        dedupe_csv(path, tmp_path / "pairs.csv")


def test_bad_rows_are_reported_by_line_and_do_not_stop_the_run(tmp_path):
    lines = [
        HEADER,
        ROWS[0],
        "x9,Lê,Thị,Lan,F,1990",  # line 3: too few cells
        ",Lê,Thị,Lan,F,1990,1,2,Hà Nội,,",  # line 4: no rec_id
        "b7,Lê,Thị,Lan,F,1990,1,2,Hà Nội,,",  # line 5: rec_id seen on line 2
        "e5,Lê,Thị,Lan,X,19x0,1,2,Hà Nội,,",  # line 6: bad sex and year, kept
        "",
        ROWS[1],
    ]
    out = tmp_path / "pairs.csv"
    count, problems = dedupe_csv(write(tmp_path, lines), out)
    messages = [str(p) for p in problems]
    assert messages == [
        "line 3: expected 11 cells, found 6; row skipped",
        "line 4: empty rec_id; row skipped",
        "line 5: rec_id 'b7' appears twice; row skipped",
        "line 6: birth_year '19x0' is not a whole number; value treated as unknown",
        "line 6: sex 'X' is not M or F; value treated as unknown",
    ]
    assert count == 1  # the good rows were still linked
    assert read_pairs(out)[1][:2] == ["a2", "b7"]


def test_progress_is_reported(tmp_path):
    messages = []
    dedupe_csv(write(tmp_path, [HEADER, *ROWS]), tmp_path / "p.csv", progress=messages.append)
    assert messages[0] == "read 4 records"
    assert any(m.startswith("blocking on") for m in messages)
    assert messages[-1].endswith("at or above 0.5")
