"""``haven dedupe``: the thin Django command around ``linkage.csvfiles.dedupe_csv``."""

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from haven.people.linkage.csvfiles import INPUT_COLUMNS

HEADER = ",".join(INPUT_COLUMNS)


def run(*args):
    err = StringIO()
    call_command("dedupe", *args, stderr=err, stdout=StringIO())
    return err.getvalue()


def test_writes_pairs_and_reports_progress(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "\n".join([
            HEADER,
            "2,Nguyễn,Thị,Hoa,F,1998,3,12,Hà Giang,002198001234,",
            "10,Nguyen,Thi,Hoa,F,1998,12,3,Tuyen Quang,,",
            "3,Lò,Văn,Páo,M,1990,1,1,Lai Châu,,",
        ]) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "pairs.csv"
    err = run(str(source), "--out", str(out))
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["rec_id_a", "rec_id_b", "score"]
    assert [r[:2] for r in rows[1:]] == [["10", "2"]]  # "10" < "2" as strings
    assert "read 3 records" in err
    assert "wrote 1 pairs" in err


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="absent.csv: no such file"):
        run(str(tmp_path / "absent.csv"), "--out", str(tmp_path / "pairs.csv"))


def test_missing_columns_are_a_command_error(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("rec_id,surname\n1,Lê\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        run(str(source), "--out", str(tmp_path / "pairs.csv"))


def test_bad_rows_are_listed_with_line_numbers(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(f"{HEADER}\n1,Lê,Thị,Lan\n2,Lê,Thị,Lan,F,1990,1,2,,,\n", encoding="utf-8")
    err = run(str(source), "--out", str(tmp_path / "pairs.csv"))
    assert "line 2: expected 11 cells, found 4; row skipped" in err


def test_threshold_outside_zero_to_one_is_refused(tmp_path):
    with pytest.raises(CommandError, match="threshold"):
        run(str(tmp_path / "in.csv"), "--out", str(tmp_path / "p.csv"), "--threshold", "2")


def test_the_command_needs_no_system_checks():
    from haven.people.management.commands.dedupe import Command

    assert Command.requires_system_checks == []


def test_the_commune_column_is_read_when_present(tmp_path):
    """Namesakes born the same day in one province: the home commune decides. The same
    woman under her commune's old and new names is one pair; her namesake is not in it."""
    source = tmp_path / "in.csv"
    source.write_text(
        "\n".join([
            HEADER + ",commune",
            "1,Nguyễn,Thị,Linh,F,1996,12,10,Cần Thơ,,,Xã Mỹ Khánh",
            "2,Nguyen,Thi,Linh,F,1996,12,10,Can Tho,,,Phuong An Binh",
            "3,Nguyễn,Thị,Linh,F,1996,12,10,Cần Thơ,,,Phường Cái Khế",
        ]) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "pairs.csv"
    run(str(source), "--out", str(out), "--processes", "1")
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert [r[:2] for r in rows[1:]] == [["1", "2"]]


@pytest.mark.parametrize("processes", ["0", "-2"])
def test_processes_must_be_at_least_one(tmp_path, processes):
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--processes must be 1 or more"):
        run(str(source), "--out", str(tmp_path / "pairs.csv"), "--processes", processes)
