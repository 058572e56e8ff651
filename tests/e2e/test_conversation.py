"""End to end: the real PTB Application, the project's Bot API emulator over HTTP, a person typing and tapping."""

import json
from pathlib import Path

from sqlite_utils import Database

from tests.e2e.harness import Chat, run, world


def cards(sent: list) -> list:
    return [s for s in sent if s.reply_markup and any("Enroll" in t for t, _ in _buttons(s))]


def _buttons(s) -> list[tuple[str, str]]:
    return [(b["text"], b.get("callback_data", "")) for row in s.reply_markup["inline_keyboard"] for b in row]


async def onboard_by_buttons(chat: Chat) -> list:
    sent = await chat.say("/start")
    assert "credbot" in sent[0].text and "1 of 7" in sent[-1].text
    assert "2 of 7" in (await chat.say("teacher"))[-1].text
    assert "3 of 7" in (await chat.say("data analyst"))[-1].text
    assert "4 of 7" in (await chat.press("Skip"))[-1].text
    assert "5 of 7" in (await chat.press("5 h"))[-1].text
    assert "6 of 7" in (await chat.press("3 months"))[-1].text
    assert "7 of 7" in (await chat.press("Free only"))[-1].text
    return await chat.press("Online")


def test_full_onboarding_by_buttons_gives_five_explained_free_online_cards(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            results = await onboard_by_buttons(chat)
            picks = cards(results)
            assert len(picks) == 5
            for card in picks:
                assert "free" in card.text and "online" in card.text
                assert "at your 5 h/week" in card.text
                labels = [t for t, _ in _buttons(card)]
                assert labels == ["Details", "Enroll", "👍", "👎"]
                assert all(len(d.encode()) <= 64 for _, d in _buttons(card))
            footer = [t for t, _ in _buttons(results[-1])]
            assert footer == ["More", "My learning path", "Change my answers"]
            assert not w.emu.errors

    run(scenario())


def test_change_my_answers_changes_one_answer_and_keeps_the_rest(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            await onboard_by_buttons(chat)
            menu = await chat.press("Change my answers")
            assert "Your answers:" in menu[-1].text and "budget: free only" in menu[-1].text
            assert [t for t, _ in _buttons(menu[-1])][-1] == "Start over"
            asked = await chat.press("Budget")
            assert "What can you spend?" in asked[-1].text and "6 of 7" in asked[-1].text
            picks = cards(await chat.press("Up to $100"))
            assert picks and all("at your 5 h/week" in c.text for c in picks)  # hours kept
            assert not w.emu.errors

    run(scenario())


def test_onboarding_by_typed_text_with_back_and_a_bad_answer(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            await chat.say("/start")
            await chat.say("nurse")
            await chat.say("health informatics")
            await chat.say("patient care, excel")
            bad = await chat.say("whenever I feel like it")
            assert "couldn't find a number" in bad[-1].text and "4 of 7" in bad[-1].text
            await chat.say("about 4 hours")
            back = await chat.say("back")
            assert "4 of 7" in back[-1].text  # the hours question again
            await chat.say("4 hours")
            await chat.say("by June")
            await chat.say("$200")
            results = await chat.say("either")
            picks = cards(results)
            assert picks and all("at your 4 h/week" in c.text for c in picks)
            assert not w.emu.errors

    run(scenario())


def test_answers_given_ahead_or_sideways_are_kept_and_the_question_asked_again(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            await chat.say("/start")
            await chat.say("paralegal at a law firm")
            await chat.say("get good at e-discovery so I can run our document reviews")
            ahead = await chat.say("4 hours a week for 3 months")  # typed at the skills question
            joined = "\n".join(s.text or "" for s in ahead)
            assert "hours a week: 4" in joined and "weeks: about 13" in joined and "3 of 7" in ahead[-1].text
            assert "6 of 7" in (await chat.say("skip"))[-1].text  # hours and weeks were answered already
            sideways = await chat.say("online")  # typed at the budget question
            assert "format: online" in sideways[0].text and "6 of 7" in sideways[-1].text
            results = await chat.say("up to $1000")
            picks = cards(results)
            assert picks and all("at your 4 h/week" in c.text for c in picks)
            assert not any("in person" in c.text for c in picks)
            assert not w.emu.errors

    run(scenario())


def test_slash_back_and_skip_asap_and_a_budget_in_euro_words(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            await chat.say("/start")
            await chat.say("teacher")
            await chat.say("data analyst")
            assert "2 of 7" in (await chat.say("/back"))[-1].text  # the goal question again
            await chat.say("instructional designer")
            assert "4 of 7" in (await chat.say("/skip"))[-1].text  # skills are optional
            refused = await chat.say("/skip")  # hours are not
            assert "need" in refused[0].text and "4 of 7" in refused[-1].text
            sideways = await chat.say("0 Euro")
            assert "free only" in sideways[0].text and "4 of 7" in sideways[-1].text
            await chat.say("3")
            asap = await chat.say("asap")
            assert "No fixed end date" in asap[0].text and "7 of 7" in asap[-1].text  # budget was given already
            picks = cards(await chat.say("online"))
            assert picks and all("free" in c.text for c in picks)
            assert not w.emu.errors

    run(scenario())


def test_a_first_message_that_says_a_lot_asks_only_for_the_rest(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            sent = await chat.say("I'm a nurse and want to move into health informatics, 5h a week")
            joined = "\n".join(s.text or "" for s in sent)
            assert "role: nurse" in joined and "goal: health informatics" in joined and "hours a week: 5" in joined
            assert "3 of 7" in sent[-1].text  # skills next; role, goal and hours are not asked again
            await chat.press("Skip")
            await chat.say("6 months")
            await chat.press("Any")
            results = await chat.press("Either")
            assert len(cards(results)) == 5

    run(scenario())


def test_free_text_refines_and_reranks(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            await onboard_by_buttons(chat)
            python = await chat.say("something in Python")
            assert "more about python" in python[0].text
            assert any("python" in c.text.lower() for c in cards(python)[:3])
            shorter = await chat.say("shorter")
            assert "Okay: at most" in shorter[0].text
            limit = float(shorter[0].text.split("at most ")[1].split(" h")[0])
            for card in cards(shorter):
                hours = float(card.text.split("about ")[1].split(" h")[0])
                assert hours <= limit
            assert "Limits: free only, online, at most" in shorter[1].text and "reset" in shorter[1].text
            confused = await chat.say("hmm")
            assert "cheaper" in confused[-1].text  # a helpful answer, never silence
            assert "You're welcome" in (await chat.say("thanks!"))[-1].text
            back = await chat.say("reset")
            assert "back to your own answers" in back[0].text
            assert "at most" not in back[1].text and "Limits: free only, online." in back[1].text
            assert "reset" not in back[1].text  # nothing left to undo

    run(scenario())


def test_details_enroll_progress_chart_and_complete(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            await onboard_by_buttons(chat)
            details = await chat.press("Details", nth_from_last=0)
            assert "Provider page" in details[-1].text and "Facts from" in details[-1].text
            ask = await chat.press("Enroll")
            assert "When do you want to finish?" in ask[-1].text
            enrolled = await chat.press("your pace")
            assert "Enrolled in" in enrolled[-1].text
            await chat.press("Enroll")
            again = await chat.press("relaxed")
            assert "already enrolled" in again[-1].text and "target moved" in again[-1].text
            progress = await chat.say("/progress", until="sendPhoto")
            assert any(s.method == "sendPhoto" and s.photo and s.photo[:8] == b"\x89PNG\r\n\x1a\n" for s in progress)
            logged = await chat.press("+1 h")
            assert any(s.method == "answerCallbackQuery" and "Logged 1 h" in (s.text or "") for s in logged)
            assert any(s.method == "editMessageText" and "1 of" in (s.text or "") for s in logged)
            await chat.press("Log hours")
            typed = await chat.say("45 min")
            assert "Logged 0.75 h" in typed[-1].text
            ask_date = await chat.press("New date")
            assert "Which new date?" in ask_date[-1].text
            moved = await chat.say("in 10 weeks")
            assert "target moved" in moved[-1].text
            await chat.say("/progress", until="sendPhoto")
            done = await chat.press("Completed")
            assert any("Congratulations" in (s.text or "") for s in done)
            path = await chat.say("/path")
            assert "Your learning path" in path[-1].text and "✅ Done:" in path[-1].text  # not planned again

    run(scenario())


def test_a_typed_follow_up_reaches_the_flow_that_asked_for_it(tmp_path: Path) -> None:
    """A pending question (bot/handlers/pending.py) reads the next text: an unknown place asks again, a known one
    sets the time zone; "never mind" drops the question, and the text after it is read as usual."""

    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            await chat.say("/settings")
            await chat.press("Set time zone")
            assert "I don't know that place" in (await chat.say("Atlantis"))[-1].text
            assert "Time zone set to <b>Europe/Berlin</b>" in (await chat.say("Berlin"))[-1].text
            user = w.services.store.get_user(1001)
            assert user is not None and user.timezone == "Europe/Berlin" and not user.pending
            await chat.press("Set time zone")
            assert (await chat.say("never mind"))[-1].text == "Okay, cancelled."
            assert "of 7" in (await chat.say("Lisbon"))[-1].text  # not a time zone any more: onboarding begins
            user = w.services.store.get_user(1001)
            assert user is not None and user.timezone == "Europe/Berlin"

    run(scenario())


def test_export_and_forget(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat(user_id=2002)
            await onboard_by_buttons(chat)
            export = await chat.say("/export")
            doc = next(s for s in export if s.method == "sendDocument")
            data = json.loads(doc.document or b"{}")
            assert data["user"]["id"] == 2002 and data["profiles"] and len(data["shown"]) == 5
            await chat.say("/forget")
            gone = await chat.press("Yes, delete everything")
            assert any("deleted" in (s.text or "") for s in gone)
            assert w.services.store.get_user(2002) is None

    run(scenario())
    assert Database(tmp_path / "credbot.db")["users"].count == 0


def test_restart_mid_onboarding_resumes_where_the_person_was(tmp_path: Path) -> None:
    async def scenario() -> None:
        from sandbox.emulator import BotApiEmulator

        async with BotApiEmulator() as emu:
            async with world(tmp_path, emu=emu) as w:
                chat = w.chat()
                await chat.say("/start")
                await chat.say("retail assistant")
                assert "3 of 7" in (await chat.say("front-end web developer"))[-1].text
            async with world(tmp_path, emu=emu) as w:  # a new process on the same database
                chat = w.chat()
                resumed = await chat.say("html, css")
                assert "4 of 7" in resumed[-1].text

    run(scenario())


def test_stale_forged_buttons_and_unknown_commands_get_polite_answers(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            first = await chat.say("/start")
            q1 = first[-1].message_id
            forged = await chat.press_data(q1, "rec:d:0000000000")
            assert [s.method for s in forged] == ["answerCallbackQuery"]
            assert "out of date" in (forged[0].text or "")
            junk = await chat.press_data(q1, "zz:" + "x" * 40)
            assert [s.method for s in junk] == ["answerCallbackQuery"]
            await chat.say("teacher")
            stale = await chat.press_data(q1, "ob:pick:hours_per_week:0")  # not the current question
            assert "earlier question" in (stale[0].text or "")
            unknown = await chat.say("/frobnicate")
            assert "/help" in unknown[-1].text
            assert w.services.store.get_user(1001).draft == {"role": "teacher"}  # nothing changed by forgeries

    run(scenario())


def test_group_chats_are_declined(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            group = Chat(w.emu, 3003, chat_type="group", chat_id=-500)
            sent = await group.say("/start")
            assert len(sent) == 1 and "private chats" in sent[0].text
            assert w.services.store.get_user(3003) is None

    run(scenario())


def test_over_long_input_gets_a_clear_answer_and_nothing_breaks(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            await chat.say("/start")
            long = await chat.say("I " + "really " * 600 + "like teaching")
            assert "under 200 characters" in long[-1].text and "1 of 7" in long[-1].text
            assert all(len(s.text or "") <= 4096 for s in w.emu.sent)
            assert not w.emu.errors

    run(scenario())
