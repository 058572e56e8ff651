"""`credbot chat` scripted end to end: the real bot behind the terminal client, buttons pressed as `#N`."""

import io
import json
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bot.runtime import make_services
from sandbox.chat import SANDBOX_USER, run_sandbox
from tests.e2e.harness import run, shared_recommender
from tests.fakes import FakeEncoder


def light_services(db_path: Any, *, clock: Any) -> Any:
    return make_services(db_path, clock=clock, encoder=FakeEncoder(), recommender=shared_recommender())


def test_a_bare_number_is_an_answer_and_hash_numbers_press_buttons(tmp_path: Path) -> None:
    script = [
        "/start",
        "teacher",
        "data analyst",
        "#2",  # skills question: [#1] Back  [#2] Skip
        "2",  # the hours question: 2 hours a week, not "button 2" (which is 5 h)
        "#2",  # time frame: [#1] 1 month  [#2] 3 months ...
        "#9",  # no such button: a note, nothing sent
        "#1",  # budget: Free only
        "#1",  # format: Online
    ]
    out = io.StringIO()
    db = tmp_path / "sandbox.db"
    run(run_sandbox(db, stdin=io.StringIO("\n".join(script) + "\n"), out=out, make=light_services))
    transcript = out.getvalue()
    assert "[#1] 2 h   [#2] 5 h   [#3] 10 h" in transcript
    assert "→ Skip ➡️" in transcript and "→ 3 months" in transcript and "→ Free only" in transcript
    assert "(no button #9; choose #1-#" in transcript
    assert "#2 (a plain 2 is an answer)" in transcript  # the help says how to press
    draft = json.loads(Database(db)["users"].get(SANDBOX_USER)["draft"])
    assert draft["hours_per_week"] == 2 and draft["budget"] == 0 and draft["format"] == "online"
    assert "Here are 5 picks" in transcript and "Bye!" in transcript
