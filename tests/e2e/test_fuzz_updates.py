"""Hypothesis throws random and forged updates at the real Application (over HTTP, through the emulator).

Every property runs on one bot that stays up for all its examples, so earlier examples leave the people in all
sorts of states (mid-question, at results, with a pending question) and later examples hit those states. After each
example: no error logged by anyone (the app's error handler logs "unhandled error" at ERROR), no API call the
emulator refused, every button press answered, and nothing of the other person's rows changed. At the end each
person still gets a normal answer to a normal message. Seeds are fixed (derandomize) so CI sees the same examples.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.flood import FloodGate
from bot.handlers.guard import EDITED
from sandbox.emulator import Sent
from tests.e2e.harness import (
    Chat,
    World,
    channel_post,
    deliver,
    live_world,
    person_rows,
    run,
    scale,
    settle,
    user_message,
    world,
)
from tests.e2e.test_conversation import onboard_by_buttons

FUZZ = settings(
    max_examples=scale(45, 400),
    deadline=None,  # one example is a round trip through a real bot; its time says nothing about correctness
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)

VICTIM, FUZZER, OTHER = 5001, 5002, 5003
# flood control has its own test (test_flood_and_replay.py); here it would drop the fuzz unread
UNTHROTTLED = {"app_options": {"flood": FloodGate(burst=1e9, rate=1e9)}}
GROUP, CHANNEL = -100_777, -100_888

MARKUP = [
    "<b>",
    "</i>",
    "&",
    "&amp;",
    "&lt;",
    "&#0;",
    '<a href="javascript:alert(1)">x</a>',
    "<tg-spoiler>",
    "<",
    ">",
    "</b></b>",
    "<pre><code>",
    "*bold* _it_ `code`",
    "[x](http://e.org)",
    "'\"",
    "${{7*7}}",
    "%s%n",
]
SCRIPTS = [
    "مرحبا بك",
    "שלום עולם",
    "\u202eevil\u202c",
    "\u200f\u200e",
    "👩\u200d💻",
    "🏳️\u200d🌈",
    "🙂" * 30,
    "\ufeff",
    "Z\u0364\u0351\u0313a\u0308\u0347l\u036e",
    "日本語のテキスト",
    "ß Ǆ ﬁ",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
]
CONTROL = ["\x00", "\x07", "\x1b[2J", "\r\n", "\t", "\u2028", "\x7f", "\x0b", "\u0085"]
ANSWERS = ["/start", "teacher", "data analyst", "skip", "/skip", "back", "/back", "5", "banana", "3 months",
           "free", "online", "either", "cheaper", "shorter", "reset", "more", "thanks", "/cancel", "/recommend",
           "/help", "/path", "/settings", "cancel", "/frobnicate", "/start@credbot_test_bot", "/a&b", "/x<b>", "0",
           "-3", "1e308", "99999999999999999999", "NaN", "by 30 February", "in -2 weeks", "Berlin"]  # fmt: skip

command = st.builds(  # a command word with something odd glued on: "/a&b", "/x<b>", "/start\x00"
    lambda name, tail: f"/{name}{tail}",
    st.sampled_from(["start", "skip", "back", "help", "a", "stats", "broadcast", "x" * 40]),
    st.sampled_from(["", *MARKUP, *CONTROL, "@credbot_test_bot", "@other_bot", " now", "_"]),
)
fragment = st.one_of(command, st.sampled_from(MARKUP + SCRIPTS + CONTROL + ANSWERS), st.text(max_size=12))
texts = st.one_of(
    st.text(min_size=1, max_size=300),
    st.lists(fragment, min_size=1, max_size=8).map(" ".join),
    st.sampled_from(ANSWERS),
    command,
    st.builds(  # over Telegram's 4,096 characters
        lambda piece, n: (piece * n)[:n],
        st.one_of(st.sampled_from(MARKUP + SCRIPTS), st.text(min_size=1, max_size=5)),
        st.integers(4090, 5000),
    ),
)

# every prefix and action the bot makes (bot/callbacks.py, bot/keyboards.py, bot/nudges/scheduler.py)
ACTIONS = {
    "ob": ["pick", "back", "skip"], "rec": ["d", "e", "u", "x"], "res": ["more", "path", "change", "edit", "restart"],
    "enr": ["d"], "prog": list("hlmcpwrd"), "set": ["cad", "q", "tz"], "fgt": ["yes", "no"],
    "ndg": ["log", "s", "set", "stop", "keep"], "adm": ["send", "no"],
}  # fmt: skip
garbage = st.text(alphabet=string.ascii_letters + string.digits + ":._+-", max_size=16)
number = st.one_of(st.integers(-3, 40), st.integers(10**9, 10**40)).map(str)  # past SQLite's 64-bit integers too


def forged_data(victim: list[str]) -> st.SearchStrategy[str]:
    """Callback data: the victim's own buttons replayed, known prefixes with garbage or the victim's ids as
    arguments, over-long, and plain junk."""
    known = st.sampled_from(sorted(ACTIONS)).flatmap(
        lambda prefix: st.builds(
            lambda action, args: ":".join([prefix, action, *args]),
            st.sampled_from(ACTIONS[prefix]) | garbage,
            st.lists(st.one_of(garbage, number, st.sampled_from(victim_args(victim))), max_size=3),
        )
    )
    return st.one_of(
        st.sampled_from(victim),
        known,
        st.builds(lambda d, n: d + ":" + "9" * n, st.sampled_from(victim), st.integers(40, 200)),
        st.text(max_size=100),
        st.just(""),
    )


def victim_args(victim: list[str]) -> list[str]:
    return sorted({part for data in victim for part in data.split(":")[2:]}) or ["0"]


def fresh(w: World, caplog: pytest.LogCaptureFixture) -> None:
    """Start an example with a clean slate, so a failure names the example that caused it (not every later one)."""
    caplog.clear()
    w.emu.errors.clear()


def healthy(w: World, caplog: pytest.LogCaptureFixture) -> None:
    logged = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]
    assert not logged, logged
    assert not w.emu.errors, w.emu.errors


def keyboard_messages(w: World, chat_id: int) -> list[Sent]:
    return [s for s in w.emu.sent if s.chat_id == chat_id and s.reply_markup and s.reply_markup.get("inline_keyboard")]


async def say(w: World, user_id: int, *lines: str, **kw: Any) -> list[Sent]:
    start = len(w.emu.sent)
    for line in lines:
        w.emu.send_text(user_id, line, **kw)
    return await settle(w.emu, start)


async def press(w: World, user_id: int, message_id: int, data: str, chat_id: int | None = None) -> list[Sent]:
    start = len(w.emu.sent)
    w.emu.press(user_id, message_id, data, chat_id=chat_id)
    return await settle(w.emu, start)


async def still_answers(w: World, user_id: int) -> None:
    """A normal message after all that still gets a normal answer."""
    sent = await say(w, user_id, "/start")
    mine = [s for s in sent if s.chat_id == user_id]
    assert mine and "1 of 7" in (mine[-1].text or ""), [s.text for s in mine]


async def victim_with_everything(w: World) -> list[str]:
    """Person A: onboarded, enrolled, 3.5 h logged, progress buttons shown. Returns A's button data."""
    a = Chat(w.emu, VICTIM, first_name="Victim")
    await onboard_by_buttons(a)
    await a.press("Enroll")
    await a.press("relaxed")
    await a.say("/progress", until="sendPhoto")
    await a.press("Log hours")
    logged = (await a.say("3.5 h"))[-1].text or ""
    assert "Logged 3.5 h" in logged and "3.5 of" in logged  # the mark a leak to someone else would show
    enrollment = w.services.store.enrollments(VICTIM)[0]
    data = [d for s in keyboard_messages(w, VICTIM) for _, d in w.emu.buttons(s)]
    return sorted({*data, f"ndg:log:{enrollment.id}"})  # what A's next reminder would carry too


def test_random_text_from_two_people_never_breaks_the_bot(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    with live_world(tmp_path, **UNTHROTTLED) as (w, call):

        @FUZZ
        @given(who=st.sampled_from([FUZZER, OTHER]), lines=st.lists(texts, min_size=1, max_size=3))
        @example(who=FUZZER, lines=["/a&b", "/x<b>"])  # an unknown command's name is echoed back
        @example(who=FUZZER, lines=["/start", "<b>teacher</b> & more", "x" * 5000])
        @example(who=OTHER, lines=["\u202eabc", "\x00", "👩\u200d💻" * 2000])
        def prop(who: int, lines: list[str]) -> None:
            fresh(w, caplog)
            sent = call(say(w, who, *lines))
            assert all(len(s.text or "") <= 4096 for s in sent)
            healthy(w, caplog)

        prop()
        fresh(w, caplog)
        for who in (FUZZER, OTHER):
            call(still_answers(w, who))
        healthy(w, caplog)


def test_forged_button_data_is_answered_and_never_touches_another_persons_rows(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with live_world(tmp_path, **UNTHROTTLED) as (w, call):
        victim = call(victim_with_everything(w))
        call(onboard_by_buttons(Chat(w.emu, FUZZER, first_name="Mallory")))
        before = person_rows(w.services.db, VICTIM)
        healthy(w, caplog)

        @FUZZ
        @given(data=forged_data(victim), pick=st.integers(0, 10**6))
        @example(data="prog:h:99999999999999999999:1", pick=0)  # an id no SQLite integer can hold
        @example(data="ndg:log:18446744073709551616", pick=0)
        def prop(data: str, pick: int) -> None:
            fresh(w, caplog)
            # a press arrives on one of the fuzzer's own bot messages with a keyboard (Telegram allows no other)
            own = keyboard_messages(w, FUZZER) or [s for s in w.emu.sent if s.chat_id == FUZZER]
            target = own[-1 - pick % min(len(own), 8)]
            sent = call(press(w, FUZZER, target.message_id, data))
            assert [s for s in sent if s.method == "answerCallbackQuery"], f"{data!r} left the button spinning"
            assert not [s for s in sent if s.chat_id == VICTIM], "someone else's press wrote to the victim"
            assert not any("3.5 of" in (s.text or "") for s in sent), "the victim's progress was shown"
            assert person_rows(w.services.db, VICTIM) == before
            healthy(w, caplog)

        prop()
        fresh(w, caplog)
        call(still_answers(w, FUZZER))
        healthy(w, caplog)


def _file(kind: str, n: int) -> dict[str, Any]:
    return {"file_id": f"{kind}-{n}", "file_unique_id": f"u{kind}{n}"}


def other_kinds(w: World) -> st.SearchStrategy[Callable[[], dict[str, Any]]]:
    """Makers of updates that are not a plain new text message: media, edits, groups, channels, no sender."""

    def private(content: dict[str, Any], user: int = FUZZER) -> Callable[[], dict[str, Any]]:
        return lambda: {"message": user_message(w.emu, user, content)}

    def group(content: dict[str, Any], chat_type: str) -> Callable[[], dict[str, Any]]:
        return lambda: {"message": user_message(w.emu, OTHER, content, chat_type=chat_type, chat_id=GROUP)}

    def edited(text: str) -> Callable[[], dict[str, Any]]:
        def make() -> dict[str, Any]:
            message = user_message(w.emu, FUZZER, {"text": text})
            return {"edited_message": {**message, "edit_date": message["date"] + 5}}

        return make

    def channel(text: str, edit: bool) -> Callable[[], dict[str, Any]]:
        return lambda: {"edited_channel_post" if edit else "channel_post": channel_post(w.emu, CHANNEL, {"text": text})}

    def anonymous_admin(text: str) -> Callable[[], dict[str, Any]]:
        def make() -> dict[str, Any]:
            message = user_message(w.emu, 1087968824, {"text": text}, chat_type="supergroup", chat_id=GROUP)
            return {"message": {**message, "sender_chat": message["chat"]}}

        return make

    def poll(n: int) -> Callable[[], dict[str, Any]]:  # no chat and no sender at all
        return lambda: {
            "poll": {"id": f"p{n}", "question": "?", "total_voter_count": 1,
                     "options": [{"text": "a", "voter_count": 1, "persistent_id": "o1"}],
                     "is_closed": False, "is_anonymous": True, "type": "regular", "allows_multiple_answers": False,
                     "allows_revoting": False, "members_only": False}
        }  # fmt: skip

    def member(status: str) -> Callable[[], dict[str, Any]]:  # the person blocks or unblocks the bot
        def make() -> dict[str, Any]:
            message = user_message(w.emu, FUZZER, {"text": "x"})
            old, new = ("member", status) if status == "kicked" else ("kicked", status)

            def state(value: str) -> dict[str, Any]:
                return {"user": w.emu.bot_user, "status": value, **({"until_date": 0} if value == "kicked" else {})}

            return {
                "my_chat_member": {"chat": message["chat"], "from": message["from"], "date": message["date"],
                                   "old_chat_member": state(old), "new_chat_member": state(new)}
            }  # fmt: skip

        return make

    n = st.integers(0, 10**6)
    return st.one_of(
        texts.map(edited),
        st.builds(lambda i: private({"sticker": {**_file("s", i), "type": "regular", "width": 512, "height": 512,
                                                  "is_animated": False, "is_video": False, "emoji": "🙂"}}), n),
        st.builds(lambda i, c: private({"photo": [{**_file("p", i), "width": 90, "height": 90}], "caption": c}), n,
                  texts.map(lambda t: t[:1024])),
        st.builds(lambda i: private({"document": {**_file("d", i), "file_name": "cv<b>.pdf", "mime_type": "x/y"}}), n),
        st.just(private({"location": {"latitude": 52.5, "longitude": 13.4}})),
        st.just(private({"contact": {"phone_number": "+100", "first_name": "<i>"}})),
        st.just(private({"dice": {"emoji": "🎲", "value": 3}})),
        st.builds(lambda t: private({"text": t, "forward_origin": {"type": "hidden_user", "date": 1,
                                                                    "sender_user_name": "&"}}), texts),
        st.builds(lambda t, kind: group({"text": t}, kind), texts, st.sampled_from(["group", "supergroup"])),
        st.just(group({"new_chat_members": [{"id": 1, "is_bot": True, "first_name": "credbot"}]}, "group")),
        st.builds(lambda t: group({"sticker": {**_file("s", 1), "type": "regular", "width": 1, "height": 1,
                                                "is_animated": False, "is_video": False}}, "supergroup"), texts),
        st.builds(channel, texts, st.booleans()),
        texts.map(anonymous_admin),
        n.map(poll),
        st.sampled_from(["kicked", "member"]).map(member),
    )  # fmt: skip


def test_media_edits_groups_channels_and_senderless_updates_never_break_the_bot(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with live_world(tmp_path, **UNTHROTTLED) as (w, call):
        call(say(w, FUZZER, "/start", "teacher"))

        @FUZZ
        @given(makers=st.lists(other_kinds(w), min_size=1, max_size=3))
        def prop(makers: list[Callable[[], dict[str, Any]]]) -> None:
            fresh(w, caplog)
            payloads = [make() for make in makers]
            for payload in payloads:  # the shapes Telegram sends: PTB can read them (else this test is wrong)
                assert Update.de_json({"update_id": 0, **payload}, None) is not None
            sent = call(deliver(w.emu, *payloads))
            assert all(s.chat_id in (FUZZER, GROUP, CHANNEL) for s in sent)
            healthy(w, caplog)
            assert w.services.store.get_user(OTHER) is None  # group chats keep nothing about anyone

        prop()
        fresh(w, caplog)
        call(still_answers(w, FUZZER))
        healthy(w, caplog)


def test_group_presses_are_declined_and_change_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    with live_world(tmp_path, **UNTHROTTLED) as (w, call):
        call(say(w, OTHER, "/start", chat_type="group", chat_id=GROUP))
        notice = [s for s in w.emu.sent if s.chat_id == GROUP][-1]

        @FUZZ
        @given(data=forged_data(["prog:h:1:1", "rec:e:0123456789", "res:more", "fgt:yes"]))
        def prop(data: str) -> None:
            fresh(w, caplog)
            sent = call(press(w, OTHER, notice.message_id, data, chat_id=GROUP))
            assert [s.method for s in sent] == ["answerCallbackQuery"]
            healthy(w, caplog)

        prop()
        assert w.services.store.get_user(OTHER) is None


def test_blocking_the_bot_marks_the_person_blocked_instead_of_counting_as_activity(tmp_path: Path) -> None:
    """Telegram reports a block as a my_chat_member update from the person: it is not them coming back."""

    async def scenario() -> None:
        async with world(tmp_path, **UNTHROTTLED) as w:
            await say(w, FUZZER, "/start")
            chat = {"id": FUZZER, "type": "private", "first_name": "Ana"}
            person = {"id": FUZZER, "is_bot": False, "first_name": "Ana"}

            def member(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
                return {"my_chat_member": {"chat": chat, "from": person, "date": 1,
                                           "old_chat_member": {"user": w.emu.bot_user, **old},
                                           "new_chat_member": {"user": w.emu.bot_user, **new}}}  # fmt: skip

            kicked, joined = {"status": "kicked", "until_date": 0}, {"status": "member"}
            assert await deliver(w.emu, member(joined, kicked)) == []
            assert w.services.store.get_user(FUZZER).blocked  # type: ignore[union-attr]
            await deliver(w.emu, member(kicked, joined))  # unblocking alone says nothing yet
            assert w.services.store.get_user(FUZZER).blocked  # type: ignore[union-attr]
            await say(w, FUZZER, "/start")  # writing again is coming back
            assert not w.services.store.get_user(FUZZER).blocked  # type: ignore[union-attr]
            assert not w.emu.errors

    run(scenario())


def test_an_edited_earlier_answer_is_not_read_as_the_answer_to_the_current_question(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path, **UNTHROTTLED) as w:
            await say(w, FUZZER, "/start", "teacher")
            message = user_message(w.emu, FUZZER, {"text": "teaching assistant"})
            sent = await deliver(w.emu, {"edited_message": {**message, "edit_date": message["date"] + 5}})
            assert [s.text for s in sent] == [EDITED]
            assert w.services.store.get_user(FUZZER).draft == {"role": "teacher"}  # type: ignore[union-attr]
            after = await say(w, FUZZER, "data analyst")  # the next new message answers the goal question
            assert "3 of 7" in (after[-1].text or "")
            assert not w.emu.errors

    run(scenario())


def test_an_edited_old_command_is_not_run_again(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path, **UNTHROTTLED) as w:
            await say(w, FUZZER, "/start", "teacher")
            message = user_message(w.emu, FUZZER, {"text": "/forget"})
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": 7}]
            sent = await deliver(w.emu, {"edited_message": {**message, "edit_date": message["date"] + 5}})
            assert [s.text for s in sent] == [EDITED]
            assert [s.reply_markup for s in sent] == [None]  # no "forget everything?" buttons either
            assert w.services.store.get_user(FUZZER).draft == {"role": "teacher"}  # type: ignore[union-attr]
            assert not w.emu.errors

    run(scenario())
