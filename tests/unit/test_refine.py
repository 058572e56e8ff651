"""Free-text refinements after results (recommender.refine)."""

from recommender.refine import is_refined, refine
from tests.fakes import credential


def test_more_advanced_is_a_level_not_a_topic() -> None:
    change = refine("more advanced", {"goal": "ux design"}, [])
    assert change is not None and change.changes == {"level": "advanced"}


def test_a_topic_is_added_to_the_targets_and_the_goal() -> None:
    change = refine("something in Figma", {"goal": "ux design", "target_skills": ["user research"]}, [])
    assert change is not None
    assert change.changes == {
        "target_skills": ["figma", "user research"],
        "goal": "ux design figma",
        "base_goal": "ux design",  # kept so that "reset" can bring it back
    }
    assert change.summary == "more about figma"


def test_cheaper_when_already_free_changes_nothing_and_says_so() -> None:
    change = refine("cheaper", {"budget": 0.0}, [])
    assert change is not None and change.changes == {} and "already free" in change.summary


def test_cheaper_caps_below_the_cheapest_paid_pick() -> None:
    shown = [credential(id="a", cost=100), credential(id="b", cost=0), credential(id="c", cost=300)]
    change = refine("cheaper please", {"budget": None}, shown)
    assert change is not None and change.changes == {"budget": 80.0, "base_budget": None}


def test_chatter_is_not_a_refinement() -> None:
    assert refine("thanks!", {}, []) is None


def test_reset_brings_back_the_persons_own_answers() -> None:
    draft: dict = {"goal": "ux design", "budget": None, "format": "online"}
    for text in ("free", "something in Figma", "shorter", "in person"):
        change = refine(text, draft, [credential(id="a", hours=10)])
        assert change is not None
        draft = {**draft, **change.changes}
    assert draft["budget"] == 0 and draft["goal"] == "ux design figma" and draft["format"] == "in-person"
    reset = refine("reset", draft, [])
    assert reset is not None and reset.summary == "back to your own answers"
    after = {**draft, **reset.changes}
    assert (after["budget"], after["goal"], after["format"]) == (None, "ux design", "online")
    assert after["max_hours"] is None and after["target_skills"] == []
    assert is_refined(draft) and not is_refined(after)


def test_reset_without_refinements_says_there_is_nothing_to_undo() -> None:
    change = refine("clear filters", {"goal": "ux design", "budget": 0}, [])
    assert change is not None and change.changes == {} and "nothing to reset" in change.summary


def test_a_cheaper_cap_is_a_round_amount_in_the_persons_currency() -> None:
    shown = [credential(id="a", cost=165)]
    change = refine("cheaper", {"budget": None, "currency": "GBP"}, shown)
    assert change is not None and change.changes["budget"] == 130.0 and change.summary == "under about £130"
