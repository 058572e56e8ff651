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


KNOWN = {"google": "Google", "ibm": "IBM", "edx": "edX", "coursera": "Coursera", "linuxfoundation": "Linux Foundation"}


def test_only_certificates_filters_by_type_not_topic() -> None:
    change = refine("only certificates please", {"goal": "data analyst"}, [], KNOWN)
    assert change is not None
    assert change.changes["credential_types"] == ["certificate", "professional-certificate"]
    assert "target_skills" not in change.changes
    exams = refine("certifications only", {"goal": "cloud"}, [], KNOWN)
    assert exams is not None and exams.changes["credential_types"] == ["certification"]


def test_a_named_provider_or_platform_filters_by_provider() -> None:
    change = refine("only Google", {"goal": "it support"}, [], KNOWN)
    assert change is not None and change.changes["providers"] == ["Google"]
    on_edx = refine("something on edX", {"goal": "python"}, [], KNOWN)
    assert on_edx is not None and on_edx.changes["providers"] == ["edX"]
    assert "target_skills" not in on_edx.changes  # a platform, not a topic
    lf = refine("from the linux foundation", {"goal": "kubernetes"}, [], KNOWN)
    assert lf is not None and lf.changes["providers"] == ["Linux Foundation"]


def test_a_topic_that_is_no_provider_stays_a_topic() -> None:
    change = refine("something in python", {"goal": "data"}, [], KNOWN)
    assert change is not None and "providers" not in change.changes
    assert change.changes["target_skills"] == ["python"]


def test_universities_only_and_reset_clears_it() -> None:
    change = refine("from a university", {"goal": "statistics"}, [], KNOWN)
    assert change is not None and change.changes["university_only"] is True
    draft = {"goal": "statistics", **change.changes}
    assert is_refined(draft)
    reset = refine("reset", draft, [], KNOWN)
    assert reset is not None and reset.changes.get("university_only") is False
