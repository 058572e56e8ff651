"""Row ids read from button data: only what SQLite can hold, so a forged id finds nothing instead of crashing."""

from bot.callbacks import MAX_ROW_ID, row_id


def test_row_ids_are_positive_ascii_integers_sqlite_can_hold() -> None:
    assert row_id("1") == 1 and row_id(str(MAX_ROW_ID)) == MAX_ROW_ID
    for bad in ("", "0", "-1", "1.5", "12a", "²", "٣", str(MAX_ROW_ID + 1), "9" * 40):
        assert row_id(bad) is None, bad
