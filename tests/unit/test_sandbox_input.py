"""The sandbox's terminal client: only `#N` presses a button, so a typed number stays an answer."""

from sandbox.chat import Button, read_input

BUTTONS = [Button(7, "2 h", "ob:pick:hours_per_week:0"), Button(7, "5 h", "ob:pick:hours_per_week:1"),
           Button(7, "10 h", "ob:pick:hours_per_week:2")]  # fmt: skip


def test_hash_and_a_number_press_that_button() -> None:
    assert read_input("#2", BUTTONS) == BUTTONS[1]
    assert read_input(" # 3 ", BUTTONS) == BUTTONS[2]


def test_bare_numbers_and_other_text_are_messages_to_send() -> None:
    for text in ("5", "2", "10", "2 h", "#python", "about #2 hours", "##2", "#", "#-1", "1.5"):
        assert read_input(text, BUTTONS) is None, text


def test_a_hash_number_that_names_no_button_gets_a_note_not_a_message() -> None:
    assert read_input("#4", BUTTONS) == "(no button #4; choose #1-#3)"
    assert read_input("#0", BUTTONS) == "(no button #0; choose #1-#3)"
    assert "no buttons" in str(read_input("#1", []))
