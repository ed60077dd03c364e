"""Watch lists: the billers of a scheduled capture without a plan each, validated like a plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from robot.core.errors import PlanError
from robot.plan.watchlist import load_watch_list

HEADER = "id,guid,name,environment,expected_partner"
ROW_1 = "90001,F0000000-0000-4000-8000-000000090001,Sim Biller 001,UAT,IMT MIPS APPS"
ROW_2 = "90002,F0000000-0000-4000-8000-000000090002,Sim Biller 002,PROD,"


def _write(tmp_path: Path, text: str, suffix: str = ".csv") -> Path:
    path = tmp_path / f"watch{suffix}"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_csv_list_gives_each_biller_its_folder_and_default_partner(tmp_path: Path) -> None:
    watched = load_watch_list(_write(tmp_path, f"{HEADER}\n{ROW_1}\n{ROW_2}\n"))
    assert [(w.biller.id, w.biller_slug, w.biller.expected_partner) for w in watched] == [
        ("90001", "sim-biller-001", "IMT MIPS APPS"),
        ("90002", "sim-biller-002", "IMT MIPS APPS"),  # an empty optional cell: the default
    ]
    assert watched[1].source == f"{tmp_path / 'watch.csv'} row 3"


def test_a_toml_list_of_biller_tables_is_read_too(tmp_path: Path) -> None:
    text = (
        '[[biller]]\nid = 90001\nguid = "F0000000-0000-4000-8000-000000090001"\n'
        'name = "Sim Biller 001"\nenvironment = "UAT"\n'
    )
    (watched,) = load_watch_list(_write(tmp_path, text, ".toml"))
    assert (watched.biller.id, watched.biller.name) == ("90001", "Sim Biller 001")


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        (
            ["9000x,F0000000-0000-4000-8000-000000090001,A,UAT,"],
            "row 2, column id: must be the numeric Biller ID",
        ),
        ([ROW_1, "90002,not-a-guid,B,UAT,"], "row 3, column guid:"),
        (
            [ROW_1, "90002,F0000000-0000-4000-8000-000000090002,B,QA,"],
            'row 3, column environment: must be "UAT" or "PROD"',
        ),
        (
            [ROW_1, ROW_1.replace("Sim Biller 001", "Again")],
            "row 3, column id: biller 90001 is already on row 2",
        ),
        ([ROW_1 + ",extra"], "row 2, column (extra cells): unknown key"),
        ([], "no billers; list at least one"),
    ],
)
def test_a_bad_row_is_named_with_its_column_before_anything_runs(
    tmp_path: Path, rows: list[str], says: str
) -> None:
    path = _write(tmp_path, "\n".join([HEADER, *rows]) + "\n")
    with pytest.raises(PlanError) as caught:
        load_watch_list(path)
    assert f"{path}: {says}" in caught.value.message
    assert caught.value.exit_code == 2


def test_an_unknown_column_is_named_with_the_ones_allowed(tmp_path: Path) -> None:
    allowed = r"row 2, column partner: unknown key; .*allowed here: id, guid, name"
    with pytest.raises(PlanError, match=allowed):
        load_watch_list(_write(tmp_path, "id,guid,name,environment,partner\n" + ROW_1 + "\n"))


@pytest.mark.parametrize(
    ("name", "says"),
    [("watch.txt", "must be a .csv or a .toml file"), ("missing.csv", "watch list not found")],
)
def test_a_file_that_is_not_a_watch_list_is_refused(tmp_path: Path, name: str, says: str) -> None:
    path = tmp_path / name
    if name.endswith(".txt"):
        path.write_text(HEADER)
    with pytest.raises(PlanError, match=says):
        load_watch_list(path)
