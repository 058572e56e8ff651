"""Two people; one replays the other's exact button data. Every press is answered, nothing of the first changes."""

from pathlib import Path

from tests.e2e.harness import Chat, person_rows, run, world
from tests.e2e.test_conversation import onboard_by_buttons
from tests.e2e.test_fuzz_updates import UNTHROTTLED, VICTIM, victim_with_everything

MALLORY = 5010


def test_replaying_another_persons_buttons_is_answered_politely_and_changes_none_of_their_rows(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with world(tmp_path, **UNTHROTTLED) as w:
            theirs = await victim_with_everything(w)
            enrollment = w.services.store.enrollments(VICTIM)[0]
            assert f"prog:h:{enrollment.id}:1" in theirs and f"prog:c:{enrollment.id}" in theirs
            b = Chat(w.emu, MALLORY, first_name="Mallory")
            await onboard_by_buttons(b)
            before = person_rows(w.services.db, VICTIM)
            victim_messages = len([s for s in w.emu.sent if s.chat_id == VICTIM])

            for data in theirs:
                own = b.keyboard_messages()[-1]  # B's client can only send data from a message in B's chat
                sent = await b.press_data(own.message_id, data)
                answers = [s for s in sent if s.method == "answerCallbackQuery"]
                assert len(answers) == 1, (data, [s.method for s in sent])
                if data.startswith(("prog:", "ndg:log")):  # the ones that name A's enrollment
                    assert "enrollment is gone" in (answers[0].text or ""), data
                    assert [s.method for s in sent] == ["answerCallbackQuery"], data
                assert not any("3.5 of" in (s.text or "") for s in sent), f"{data}: A's progress shown to B"
                assert person_rows(w.services.db, VICTIM) == before, f"{data} changed A's rows"

            typed = await b.say("2 h")  # no replayed "Log hours" left B a question about A's enrollment
            assert not any("Logged" in (s.text or "") for s in typed)
            assert person_rows(w.services.db, VICTIM) == before
            assert len([s for s in w.emu.sent if s.chat_id == VICTIM]) == victim_messages  # A heard nothing
            assert all(e.user_id == MALLORY for e in w.services.store.enrollments(MALLORY))
            assert not w.emu.errors

    run(scenario())
