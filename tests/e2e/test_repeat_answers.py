"""Someone whose answer the bot cannot read, twice in a row, is offered buttons and Skip, not the same error again;
the count of failed tries lives in the person's saved draft, so a restart in between changes nothing."""

from pathlib import Path

from bot.onboarding import MISSES
from sandbox.emulator import BotApiEmulator, Sent
from tests.e2e.harness import Chat, World, run, world
from tests.e2e.test_conversation import cards


def labels(sent: Sent) -> list[str]:
    return [text for row in (sent.reply_markup or {}).get("inline_keyboard", []) for text in [b["text"] for b in row]]


async def to_hours(chat: Chat) -> None:
    await chat.say("/start")
    await chat.say("teacher")
    await chat.say("data analyst")
    assert "4 of 7" in (await chat.press("Skip"))[-1].text


def draft(w: World, user_id: int = 1001) -> dict:
    user = w.services.store.get_user(user_id)
    assert user is not None
    return user.draft


def test_banana_twice_at_the_hours_question_offers_the_buttons_and_skip(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            await to_hours(chat)
            first = (await chat.say("banana"))[-1]
            assert "couldn't find a number" in first.text and "4 of 7" in first.text
            assert "Skip ➡️" not in labels(first)  # hours are needed: no Skip yet
            assert draft(w)[MISSES] == {"hours_per_week": 1}
            second = (await chat.say("banana"))[-1]
            assert "couldn't find a number" not in second.text  # not the same error again
            assert "Skip" in second.text and "4 of 7" in second.text
            assert labels(second)[:3] == ["2 h", "5 h", "10 h"] and "Skip ➡️" in labels(second)
            skipped = await chat.press("Skip")
            assert "5 of 7" in skipped[-1].text
            assert draft(w)["hours_per_week"] is None and MISSES not in draft(w)
            await chat.press("3 months")
            await chat.press("Any")
            picks = cards(await chat.press("Either"))
            assert len(picks) == 5 and not any("h/week" in c.text and "None" in c.text for c in picks)
            assert not w.emu.errors

    run(scenario())


def test_the_count_of_failed_tries_survives_a_restart(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotApiEmulator() as emu:
            async with world(tmp_path, emu=emu) as w:
                chat = w.chat()
                await to_hours(chat)
                await chat.say("banana")
            async with world(tmp_path, emu=emu) as w:  # a new process on the same database
                second = (await w.chat().say("banana"))[-1]
                assert "couldn't find a number" not in second.text and "Skip ➡️" in labels(second)
                assert not w.emu.errors

    run(scenario())


def test_a_readable_answer_resets_the_count_and_typing_skip_then_works(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            await to_hours(chat)
            await chat.say("banana")
            assert "5 of 7" in (await chat.say("4 hours"))[-1].text
            assert MISSES not in draft(w)
            await chat.press("3 months")
            first = (await chat.say("a lot of money"))[-1]  # at the budget question, which has buttons
            assert "6 of 7" in first.text and "Skip ➡️" not in labels(first)  # one miss there, not two
            refused = (await chat.say("/skip"))[-1]  # budget is required: a second failed try
            assert "Skip ➡️" in labels(refused) and "Free only" in labels(refused)
            assert "7 of 7" in (await chat.say("skip"))[-1].text  # now skipping is allowed: every price
            assert draft(w)["budget"] is None
            assert not w.emu.errors

    run(scenario())


def test_not_knowing_the_goal_twice_offers_starting_points(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with world(tmp_path) as w:
            chat = w.chat()
            await chat.say("/start")
            await chat.say("barista")
            first = (await chat.say("idk"))[-1]
            assert "what you enjoy" in first.text and "2 of 7" in first.text
            second = (await chat.say("no idea"))[-1]
            assert "what you enjoy" not in second.text
            assert "Working with data" in labels(second) and "Skip ➡️" in labels(second)
            assert "3 of 7" in (await chat.press("Working with data"))[-1].text
            assert draft(w)["goal"] == "data analysis" and MISSES not in draft(w)

            await chat.say("/start")
            await chat.say("barista")
            await chat.say("idk")
            await chat.say("idk")
            assert "3 of 7" in (await chat.say("idk"))[-1].text  # a third time: taken as Skip
            assert draft(w)["goal"] == "barista"  # grow in what they do now
            assert not w.emu.errors

    run(scenario())
