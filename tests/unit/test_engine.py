"""The recommender end to end over the sample catalog, with the fake encoder (recommender.engine)."""

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.occupations import load_occupations
from catalog.schema import Credential, Format, Level
from recommender.engine import Recommendations, Recommender
from recommender.feedback import event_for, learn
from recommender.money import to_usd
from recommender.profile import Profile
from recommender.reasons import display_skill, reasons_for
from recommender.skills import normalize_skill
from tests.fakes import FakeEncoder, credential, sample_catalog

TODAY = date(2026, 12, 1)
ANALYST = Profile(role="teacher", goal="become a data analyst")


@pytest.fixture(scope="module")
def engine() -> Recommender:
    return Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())


def ids(result: Recommendations) -> list[str]:
    return [p.credential.id for p in result.picks]


def by_id(result: Recommendations) -> dict[str, Credential]:
    return {p.credential.id: p.credential for p in result.picks}


# -- hard filters ------------------------------------------------------------------------------------------------
def test_free_only_budget_gives_only_free_picks(engine: Recommender) -> None:
    result = engine.recommend(ANALYST.with_(budget=0), today=TODAY, top_k=10)
    free = {c.id for c in sample_catalog() if c.cost == 0}
    assert set(ids(result)) == free
    assert result.candidates == len(free)


def test_budget_keeps_what_fits_it(engine: Recommender) -> None:
    result = engine.recommend(ANALYST.with_(budget=100), today=TODAY, top_k=10)
    assert all(c.cost <= 100 for c in by_id(result).values())
    assert "a-tableau" in ids(result)
    assert "b-ml" not in ids(result)


def test_online_only_drops_in_person(engine: Recommender) -> None:
    result = engine.recommend(Profile(goal="web development", format=Format.ONLINE), today=TODAY, top_k=10)
    assert {c.format for c in by_id(result).values()} == {Format.ONLINE}
    assert "e-bootcamp" not in ids(result)
    assert "e-frontend" in ids(result)


def test_in_person_keeps_the_bootcamp(engine: Recommender) -> None:
    result = engine.recommend(Profile(goal="web development", format=Format.IN_PERSON), today=TODAY, top_k=10)
    assert ids(result) == ["e-bootcamp"]


def test_nothing_passing_the_filters_says_so(engine: Recommender) -> None:
    result = engine.recommend(ANALYST.with_(format=Format.IN_PERSON, budget=0), today=TODAY)
    assert result.picks == ()
    assert result.weak
    assert "filters" in result.note


def test_strict_time_drops_what_does_not_fit(engine: Recommender) -> None:
    profile = ANALYST.with_(hours_per_week=5, weeks=4, strict_time=True)
    result = engine.recommend(profile, today=TODAY, top_k=10)
    assert result.available_hours == 20
    assert ids(result)
    assert all(c.hours <= 20 for c in by_id(result).values())
    assert all(p.fits_time for p in result.picks)


# -- hiding ------------------------------------------------------------------------------------------------------
def test_exclude_and_feedback_hide_ids(engine: Recommender) -> None:
    before = ids(engine.recommend(ANALYST, today=TODAY, top_k=5))
    assert {"a-tableau", "a-sql"} <= set(before)
    catalog = {c.id: c for c in sample_catalog()}
    feedback = learn([event_for(catalog["a-sql"], "completed")])
    after = engine.recommend(ANALYST, today=TODAY, top_k=5, exclude=["a-tableau"], feedback=feedback)
    assert not {"a-tableau", "a-sql"} & set(ids(after))
    assert set(after.excluded) == {"a-tableau", "a-sql"}
    assert len(after.picks) == 5


# -- targeting ---------------------------------------------------------------------------------------------------
def test_goal_names_the_data_analyst_occupation(engine: Recommender) -> None:
    result = engine.recommend(ANALYST, today=TODAY)
    match = result.targeting.goal_occupation
    assert match is not None and match.confident
    assert match.occupation.id == "data-analyst"
    assert {"sql", "excel", "tableau", "python"} <= set(result.targeting.target_skills)


def test_known_skills_are_not_missing(engine: Recommender) -> None:
    result = engine.recommend(ANALYST.with_(skills=("SQL", "Excel")), today=TODAY)
    targeting = result.targeting
    assert {"sql", "excel"} <= set(targeting.target_skills)
    assert not {"sql", "excel"} & set(targeting.missing_skills)
    assert "tableau" in targeting.missing_skills
    assert all(not {"sql", "excel"} & set(p.covered) for p in result.picks)


def test_known_skill_said_differently_is_not_missing(engine: Recommender) -> None:
    targeting = engine.recommend(ANALYST.with_(skills=("Python programming",)), today=TODAY).targeting
    assert "python" in targeting.target_skills
    assert "python" not in targeting.missing_skills


def test_skills_asked_for_by_name_come_first(engine: Recommender) -> None:
    assert ids(engine.recommend(ANALYST, today=TODAY))[0] != "b-python-data"
    result = engine.recommend(ANALYST.with_(target_skills=("Python",)), today=TODAY)
    assert ids(result)[0] == "b-python-data"


# -- reasons -----------------------------------------------------------------------------------------------------
def test_reasons_name_the_covered_skills(engine: Recommender) -> None:
    result = engine.recommend(ANALYST, today=TODAY)
    covering = [p for p in result.picks if p.covered]
    assert covering
    missing = len(result.targeting.missing_skills)
    for pick in covering:
        head = (
            "covers the skill you're missing: "
            if missing == 1
            else f"covers {len(pick.covered)} of your {missing} missing skills: "
        )
        assert pick.reasons[0].startswith(head)
        for skill in pick.covered:
            assert skill in pick.reasons[0].lower()
            assert skill in pick.credential.skills or any(skill in s for s in pick.credential.skills)


def test_skills_are_shown_as_people_write_them_not_as_they_are_matched() -> None:
    catalog = [
        credential(id="calm", title="Calm Calls", skills=["de-escalation", "p&l management", "call handling"]),
        credential(id="other", title="Spreadsheets", skills=["excel"]),
    ]
    engine = Recommender(catalog, FakeEncoder())
    result = engine.recommend(Profile(goal="handle angry callers", target_skills=("De-escalation",)), today=TODAY)
    assert "de escalation" in result.targeting.missing_skills  # matching works on the normalized phrase
    assert "de-escalation" in result.missing_labels
    (calm,) = [p for p in result.picks if p.credential.id == "calm"]
    assert "de escalation" in calm.covered
    assert "de-escalation" in calm.reasons[0] and "de escalation" not in calm.reasons[0]
    assert normalize_skill("P&L Management") == "p&l management"
    assert engine.space.label("p&l management") == "P&L management"
    assert normalize_skill("Sales & Marketing") == "sales and marketing"
    assert engine.space.label("not in the catalog") == "not in the catalog"


def test_tableau_pick_covers_its_own_skills(engine: Recommender) -> None:
    (pick,) = [p for p in engine.recommend(ANALYST, today=TODAY).picks if p.credential.id == "a-tableau"]
    assert set(pick.covered) == {"tableau", "data visualization", "dashboards"}


def test_time_reason_uses_the_persons_pace(engine: Recommender) -> None:
    result = engine.recommend(ANALYST.with_(hours_per_week=3, weeks=10), today=TODAY, top_k=10)
    reasons = {p.credential.id: p.reasons[1] for p in result.picks}
    assert reasons["a-sql"] == "about 12 h: 4 weeks at your 3 h/week, fits the 30 h you have"
    assert reasons["b-python-data"] == "about 40 h: 13 weeks at your 3 h/week, more than the 30 h you have"


def test_time_reason_without_a_pace_uses_the_records_typical_pace(engine: Recommender) -> None:
    result = engine.recommend(ANALYST, today=TODAY, top_k=10)
    reasons = {p.credential.id: p.reasons[1] for p in result.picks}
    assert reasons["a-sql"] == "about 12 h: typically 2 weeks at 5 h/week"


def test_cost_reason_mentions_the_budget(engine: Recommender) -> None:
    result = engine.recommend(ANALYST.with_(budget=100), today=TODAY, top_k=10)
    reasons = {p.credential.id: p.reasons[2] for p in result.picks}
    assert reasons["a-tableau"] == "$49, within your $100 budget"
    assert reasons["a-sql"] == "free"


# -- shape -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("k", [1, 3, 5])
def test_top_k_is_honoured_with_distinct_ids(engine: Recommender, k: int) -> None:
    result = engine.recommend(ANALYST, today=TODAY, top_k=k)
    assert len(result.picks) == k
    assert len(set(ids(result))) == k


def test_top_k_larger_than_the_catalog_returns_everything_once(engine: Recommender) -> None:
    result = engine.recommend(ANALYST, today=TODAY, top_k=50)
    assert sorted(ids(result)) == sorted(c.id for c in sample_catalog())


def test_at_most_two_picks_per_provider_in_the_top_five(engine: Recommender) -> None:
    result = engine.recommend(ANALYST, today=TODAY, top_k=5)
    providers = [p.credential.provider for p in result.picks]
    assert max(providers.count(p) for p in providers) <= 2


def test_data_analyst_picks_rank_above_unrelated_ones(engine: Recommender) -> None:
    order = ids(engine.recommend(ANALYST, today=TODAY, top_k=10))
    assert order.index("a-sql") < order.index("c-meetings")
    assert order.index("a-tableau") < order.index("d-cs-email")


def test_cost_fit_does_not_depend_on_the_currency_a_budget_is_written_in(engine: Recommender) -> None:
    in_usd = engine.recommend(ANALYST.with_(budget=120, currency="USD"), today=TODAY, top_k=10)
    in_inr = engine.recommend(ANALYST.with_(budget=10_000, currency="INR"), today=TODAY, top_k=10)  # = 120 USD
    usd = {p.credential.id: p.parts["cost"] for p in in_usd.picks}
    inr = {p.credential.id: p.parts["cost"] for p in in_inr.picks}
    assert inr["a-tableau"] == pytest.approx(usd["a-tableau"])


# -- property: every number in the reasons is a fact of the record or the profile ---------------------------------
SKILLS = ["sql", "python", "excel", "tableau", "statistics", "data visualization", "leadership", "bread baking"]
GOALS = ["learn sql and python", "data visualization with tableau", "lead a team", "bake bread", "statistics"]
SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€"}
FORMAT_WORDS = {Format.ONLINE: "online", Format.IN_PERSON: "in person", Format.HYBRID: "hybrid (online + in person)"}

tenths = st.integers(1, 4000).map(lambda n: n / 10)
records = st.fixed_dictionaries(
    {
        "hours": tenths,
        "weeks": st.integers(1, 200).map(lambda n: n / 2),
        "hours_per_week": st.integers(1, 200).map(lambda n: n / 10),
        "cost": st.one_of(st.just(0), st.integers(1, 500_000).map(lambda n: n / 100)),
        "currency": st.sampled_from(["USD", "EUR", "GBP", "INR"]),
        "format": st.sampled_from([f.value for f in Format]),
        "level": st.sampled_from([lv.value for lv in Level]),
        "skills": st.lists(st.sampled_from(SKILLS), min_size=1, max_size=5, unique=True),
    }
)
profiles = st.builds(
    Profile,
    goal=st.sampled_from(GOALS),
    skills=st.lists(st.sampled_from(SKILLS), max_size=2).map(tuple),
    hours_per_week=st.one_of(st.none(), st.integers(1, 80).map(lambda n: n / 2)),
    weeks=st.one_of(st.none(), st.integers(1, 104)),
    deadline=st.one_of(st.none(), st.integers(1, 700).map(lambda d: TODAY + timedelta(days=d))),
    budget=st.one_of(st.none(), st.just(0.0), st.integers(1, 5000).map(float)),
    currency=st.sampled_from(["USD", "EUR", "GBP", "INR"]),
    format=st.one_of(st.none(), st.sampled_from(list(Format))),
    level=st.one_of(st.none(), st.sampled_from(list(Level))),
)


def shown_hours(hours: float) -> float:
    """How a number of hours is allowed to appear: whole hours, or tenths below 10."""
    return round(hours) if hours >= 10 or hours == int(hours) else round(hours, 1)


def money(text: str) -> tuple[float, str]:
    for code, sign in SYMBOLS.items():
        if text.startswith(sign):
            return float(text[len(sign) :].replace(",", "")), code
    amount, code = text.rsplit(" ", 1)
    return float(amount.replace(",", "")), code


def check_duration(count: int, unit: str, weeks: float) -> None:
    if unit.startswith("day"):
        assert weeks < 1
        assert count == max(1, round(weeks * 7))
    else:
        assert weeks >= 1
        assert abs(count - weeks) <= 0.5
    assert unit.endswith("s") == (count != 1)


def check_reasons(credential: Credential, covered: tuple[str, ...], missing: int, reasons: tuple[str, ...],
                  profile: Profile, guessed: bool = False) -> None:  # fmt: skip
    skills_text, time_text, cost_text, format_text = reasons

    covered = tuple(display_skill(c) for c in covered)  # shown as people write them (SQL, REST APIs)
    if covered and not guessed:
        listed = ", ".join(covered[:5]) + (", ..." if len(covered) > 5 else "")
        if missing == 1:
            assert skills_text == f"covers the skill you're missing: {listed}"
        else:
            assert skills_text == f"covers {len(covered)} of your {missing} missing skills: {listed}"
    else:
        assert skills_text.startswith("teaches ")
        named = skills_text.removeprefix("teaches ").split(", ")
        own = {display_skill(k) for k in credential.skills}
        assert set(named) <= own  # only the record's own skills, closest to the goal first
        assert len(named) == len(set(named)) == min(4, len(set(credential.skills)))

    m = re.fullmatch(
        r"about ([\d.]+) h: (typically )?(\d+) (weeks?|days?) at (your )?([\d.]+) h/week"
        r"(?:, (fits|more than) the ([\d.]+) h you have)?",
        time_text,
    )
    assert m, time_text
    assert float(m[1]) == shown_hours(credential.hours)
    if profile.hours_per_week:
        assert m[2] is None and m[5] == "your "
        assert float(m[6]) == profile.hours_per_week
        check_duration(int(m[3]), m[4], credential.hours / profile.hours_per_week)
    else:
        assert m[2] == "typically " and m[5] is None
        assert float(m[6]) == credential.hours_per_week
        check_duration(int(m[3]), m[4], credential.weeks)
    available = None
    if profile.hours_per_week is not None:
        if profile.weeks is not None:
            available = profile.hours_per_week * profile.weeks
        elif profile.deadline is not None:
            available = profile.hours_per_week * (profile.deadline - TODAY).days / 7
    if available is None:
        assert m[7] is None
    else:
        assert m[7] == ("fits" if credential.hours <= available else "more than")
        assert float(m[8]) == shown_hours(available)

    assert (cost_text == "free") == (credential.cost == 0)
    if credential.cost:
        price, _, budget_text = cost_text.partition(", within your ")
        assert money(price) == (credential.cost, credential.currency)
        budget_usd = None if profile.budget is None else to_usd(profile.budget, profile.currency)
        within = (
            budget_usd is not None and budget_usd > 0 and to_usd(credential.cost, credential.currency) <= budget_usd
        )
        assert bool(budget_text) == within
        if budget_text:
            assert budget_text.endswith(" budget")
            assert money(budget_text.removesuffix(" budget")) == (profile.budget, profile.currency)

    assert format_text == f"{FORMAT_WORDS[credential.format]}, {credential.level.value} level"


@settings(max_examples=80, deadline=None)
@given(items=st.lists(records, min_size=1, max_size=5), profile=profiles)
def test_every_number_in_the_reasons_is_a_fact(items: list[dict[str, object]], profile: Profile) -> None:
    catalog = [credential(id=f"c{i}", provider=f"P{i % 2}", **item) for i, item in enumerate(items)]
    result = Recommender(catalog, FakeEncoder()).recommend(profile, today=TODAY, top_k=5)
    missing = len(result.targeting.missing_skills)
    for pick in result.picks:
        shown = tuple(result.label(skill) for skill in pick.covered)
        check_reasons(pick.credential, shown, missing, pick.reasons, profile, result.targeting.gap_is_guessed)


def test_skill_slots_hold_each_credentials_phrases_column_wise(engine: Recommender) -> None:
    from recommender.engine import skill_slots

    for i, c in enumerate(engine.credentials):
        held = {engine.space.phrases[k] for k in engine.slots[:, i] if k >= 0}
        assert held == {p for p in map(normalize_skill, c.skills) if p}
    narrow = skill_slots(engine.incidence, width=1)
    assert narrow.shape == (1, len(engine.credentials))


def test_teaches_names_the_skills_closest_to_the_goal_first() -> None:
    skills = ("budgeting", "public speaking", "gardening", "tax returns", "hardware troubleshooting")
    engine = Recommender([credential(id="mixed", skills=list(skills))], FakeEncoder())
    goal = engine.encoder.encode_queries(["hardware troubleshooting"])[0]
    ordered = engine._closest_skills(engine.credentials[0], engine.space.vectors @ goal)
    assert ordered[0] == "hardware troubleshooting"
    assert sorted(ordered) == sorted(skills)
    reasons = reasons_for(
        engine.credentials[0], covered=(), missing_count=0, hours_per_week=None, available=None, budget=None,
        teaches=ordered,
    )  # fmt: skip
    assert reasons[0] == "teaches " + ", ".join(ordered[:4])
    not_its_own = reasons_for(
        engine.credentials[0], covered=(), missing_count=0, hours_per_week=None, available=None, budget=None,
        teaches=["made up skill"],
    )  # fmt: skip
    assert not_its_own[0] == "teaches " + ", ".join(skills[:4])


def test_pick_parts_are_the_exact_components_of_that_record(engine: Recommender) -> None:
    from recommender.scoring import phrase_fit

    result = engine.recommend(ANALYST, today=TODAY, top_k=5)
    q = engine.encoder.encode_queries([ANALYST.goal])[0]
    everyone = phrase_fit(engine.space.vectors @ q, engine.slots)
    for pick in result.picks:
        i = engine.by_id[pick.credential.id]
        assert pick.parts["phrase"] == pytest.approx(float(everyone[i]), abs=1e-6)
        assert -1.0 <= pick.parts["semantic"] <= 1.0


def test_stage_one_follows_weight_changes() -> None:
    from dataclasses import replace as swap

    engine = Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())
    first = engine._retrieval()
    assert engine._retrieval() is first  # same weights: reused, not rebuilt per request
    engine.weights = swap(engine.weights, phrase=engine.weights.phrase + 1.0)
    assert engine._retrieval() is not first
    engine.weights = swap(engine.weights, lexical=0.0)  # not part of stage 1's matrix
    assert engine._retrieval() is engine._retrieval()


def test_skills_guessed_from_a_free_form_goal_are_marked_as_guesses(engine: Recommender) -> None:
    free_form = engine.recommend(Profile(goal="charts and dashboards"), today=TODAY).targeting
    assert free_form.goal_occupation is None or not free_form.goal_occupation.confident
    assert "dashboards" in free_form.target_skills  # named verbatim: not a guess
    assert "dashboards" not in free_form.guessed_skills
    assert free_form.guessed_skills == ("gantt charts",)  # only near in wording
    assert set(free_form.guessed_skills) <= set(free_form.target_skills)
    named = engine.recommend(ANALYST, today=TODAY).targeting  # "data analyst" names an occupation
    assert named.guessed_skills == ()
    assert named.missing_skills


def test_a_gap_made_only_of_guesses_is_labelled_as_such(engine: Recommender) -> None:
    from bot.render import results_intro

    guessed = engine.recommend(Profile(goal="nice charts"), today=TODAY)  # "gantt charts" only sounds close
    assert guessed.targeting.gap_is_guessed
    assert "Skills that sound close to your goal: gantt charts" in results_intro(guessed)
    assert all(p.reasons[0].startswith("teaches ") for p in guessed.picks)  # never "covers N of your missing"
    named = engine.recommend(ANALYST, today=TODAY)
    assert named.targeting.missing_skills and not named.targeting.gap_is_guessed
    assert "Skills to gain:" in results_intro(named)
    mixed = engine.recommend(Profile(goal="charts and dashboards"), today=TODAY).targeting
    assert not mixed.gap_is_guessed  # "dashboards" was named outright


def test_coverage_from_slots_matches_the_sparse_product() -> None:
    fast = Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())
    exact = Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())
    exact._slots_complete = False  # as for a catalog with a record of more than 64 skills
    assert fast._slots_complete
    for profile in (ANALYST, Profile(goal="web development"), ANALYST.with_(skills=("sql",))):
        a = fast.recommend(profile, today=TODAY, top_k=10)
        b = exact.recommend(profile, today=TODAY, top_k=10)
        assert [(p.credential.id, p.covered) for p in a.picks] == [(p.credential.id, p.covered) for p in b.picks]
    assert any(p.covered for p in fast.recommend(ANALYST, today=TODAY).picks)  # the comparison saw real coverage


def test_weak_match_needs_both_low_closeness_and_no_trusted_skill() -> None:
    import numpy as np

    from recommender.engine import WEAK_MATCH, is_weak_match
    from recommender.skills import Targeting

    low = np.array([WEAK_MATCH - 0.05, WEAK_MATCH - 0.1])
    high = np.array([WEAK_MATCH + 0.05, 0.0])
    named = Targeting(None, None, ("sql",), ("sql",), (), ())
    guessed = Targeting(None, None, ("writing to learn",), ("writing to learn",), (), ("writing to learn",))
    assert is_weak_match(low, low, [(), ()], named)
    assert not is_weak_match(high, high, [(), ()], named)  # one candidate is close enough
    assert not is_weak_match(low, low, [("sql",), ()], named)  # a pick teaches a skill the person needs
    assert is_weak_match(low, low, [("writing to learn",)], guessed)  # a guessed skill is no evidence
    assert is_weak_match(np.array([]), np.array([]), [], named)


def test_a_goal_naming_a_job_no_pick_is_about_is_told_nothing_fits() -> None:
    import numpy as np

    from catalog.occupations import Occupation
    from recommender.engine import names_untaught, naming_words, stem
    from recommender.skills import OccupationMatch, Targeting

    def job(title: str, *alternative: str) -> Occupation:
        return Occupation("x", title, alternative, "", None, (), "personal-care")

    groomer = job("Animal groomer", "dog groomer", "dog grooming specialist")
    goal = "start a dog grooming business and groom dogs myself"
    assert naming_words(goal, groomer) == {"dog", "groom"}
    assert naming_words("qualify as a yoga teacher", job("Yoga teacher")) == {"yoga"}  # "teacher" says too little
    assert stem("driving") == stem("driver") and stem("plumbing") == stem("plumber") and stem("horses") == "hors"
    targeting = Targeting(OccupationMatch(groomer, 0.8, "dog groomer"), None, (), (), ())
    behaviour = credential(id="dogs", title="Dog Behavior: Problems and Solutions", skills=("dog training",))
    grooming = credential(id="groom", title="Professional Dog Grooming", skills=("grooming",))
    close = np.array([0.6])
    def counts() -> dict[str, int]:
        return {"dog": 3, "groom": 1}  # fewer records hold "groom": it is the specific word

    assert names_untaught(targeting, [behaviour], close, close, goal, stem_counts=counts)
    assert not names_untaught(targeting, [behaviour, grooming], close, close, goal, stem_counts=counts)
    # a pick teaching a skill the person asked for is evidence enough
    asked = Targeting(OccupationMatch(groomer, 0.8, "dog groomer"), None, ("dog training",), ("dog training",), ())
    assert not names_untaught(asked, [behaviour], close, close, goal, [("dog training",)], counts)
    # a long goal that names a job in passing is about the rest of it
    passing = "earn a supply chain certificate like APICS CPIM so I can plan stock and move up to groomer"
    assert not names_untaught(targeting, [behaviour], close, close, passing, stem_counts=counts)
    unsure = Targeting(OccupationMatch(groomer, 0.3, "dog groomer"), None, (), (), ())
    assert not names_untaught(unsure, [behaviour], close, close, goal, stem_counts=counts)


@pytest.mark.parametrize(
    ("goal", "topic"),
    [
        ("learn to plan and run projects properly", "plan and run projects properly"),
        ("Learn how to write SQL", "write SQL"),
        ("I want to learn Python", "Python"),
        ("I'd like to get better at public speaking", "public speaking"),
        ("I want to get good at e-discovery", "e-discovery"),  # "good at e-..." had read as e-learning developer
        ("become better at giving feedback", "giving feedback"),
        ("good at math", "good at math"),
        ("learning analytics for schools", "learning analytics for schools"),  # a topic, not an intent
        ("learn", "learn"),  # nothing else to search for
        ("learn to", "learn to"),
        ("learn about carbon accounting", "carbon accounting"),
        ("about to switch careers into nursing", "about to switch careers into nursing"),  # no wish to learn
    ],
)
def test_goal_topic_drops_only_a_leading_wish_to_learn(goal: str, topic: str) -> None:
    from recommender.profile import goal_topic

    assert goal_topic(goal) == topic


def test_role_words_are_context_that_weights_can_switch_off() -> None:
    from dataclasses import replace as swap

    engine = Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())
    vague = Profile(role="tableau dashboards developer", goal="get promoted this year")
    with_role = engine.recommend(vague, today=TODAY, top_k=10)
    tableau = next(p for p in with_role.picks if p.credential.id == "a-tableau")
    assert tableau.parts["role"] > 0
    assert all(p.parts["role"] == 0 for p in with_role.picks if "tableau" not in p.credential.title.lower())
    engine.weights = swap(engine.weights, role=0.0)
    without = engine.recommend(vague, today=TODAY, top_k=10)
    assert ids(with_role).index("a-tableau") <= ids(without).index("a-tableau")
    assert next(p for p in without.picks if p.credential.id == "a-tableau").score < tableau.score


def test_guessed_skills_name_each_skill_once() -> None:
    import numpy as np

    from recommender.skills import SkillSpace

    def unit(*xs: float) -> list[float]:
        v = np.array(xs, dtype=np.float32)
        return list(v / np.linalg.norm(v))

    phrases = ["grant budget", "grant budgets", "grant writing", "knitting"]
    vectors = np.array(
        [unit(1, 0.05, 0), unit(1, 0.06, 0), unit(0.6, 0.8, 0), unit(0, 0, 1)], dtype=np.float32
    )  # the two budget phrases are the same skill
    space = SkillSpace(phrases, vectors, [], np.zeros((0, 3), np.float32), [], [])
    sims = vectors @ np.array(unit(1, 0.3, 0), dtype=np.float32)
    two = space.nearest_phrases(sims, 2, 0.5)
    assert two == ["grant budgets", "grant writing"]  # the closer budget phrase, then the next distinct skill
    assert space.nearest_phrases(sims, 3, 0.5) == two  # knitting is below the floor
    assert space.nearest_phrases(sims, 2, 0.5, taken=["grant budget"]) == ["grant writing"]  # named already


def test_named_skills_and_occupations_are_found_at_the_end_of_a_sentence() -> None:
    from recommender.skills import text_words

    assert text_words("be the Scrum Master. I need Node.js and .NET.") == [
        "be", "the", "scrum", "master", "i", "need", "node.js", "and", ".net"
    ]  # fmt: skip
    engine = Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())
    assert engine.space.phrases_in_text("Learn SQL. Then Tableau.") == ["sql", "tableau"]
    exact = engine.space._exact_name("I've been asked to be the Scrum Master. I need to learn it.")
    assert exact is not None and engine.space.names[exact].lower() == "scrum master"


def test_ambiguous_short_names_do_not_name_an_occupation() -> None:
    engine = Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())
    assert engine.space._exact_name("maybe get certified (PSM or CSM)") is None  # Certified ScrumMaster
    assert engine.space._exact_name("calls after 6 pm") is None
    exact = engine.space._exact_name("become a Customer Success Manager (CSM).")
    assert exact is not None and engine.space.names[exact].lower() == "customer success manager"


def test_a_goal_inside_the_persons_own_occupation_does_not_list_that_occupations_skills_as_new() -> None:
    engine = Recommender(sample_catalog(), FakeEncoder(), occupations=load_occupations())
    nurse = engine.targeting(
        Profile(role="registered nurse", goal="become a nurse manager"),
        FakeEncoder().encode_queries(["become a nurse manager"])[0],
    )
    assert nurse.goal_occupation is not None and nurse.goal_occupation.occupation.id == "registered-nurse"
    assert not {"medication administration", "wound care", "iv therapy"} & set(nurse.target_skills)
    switcher = engine.targeting(
        Profile(role="retail assistant", goal="become a nurse"), FakeEncoder().encode_queries(["become a nurse"])[0]
    )
    assert {"medication administration", "wound care"} <= set(switcher.missing_skills)  # a new occupation: its skills


def test_nothing_fits_names_the_limits_when_a_closer_record_lies_outside_them() -> None:
    catalog = [
        credential(id="calm", title="Calm Angry Callers", skills=["de-escalation", "angry callers"], format="online"),
        credential(id="sheets", title="Spreadsheet Basics", skills=["excel", "spreadsheets"], format="in-person"),
    ]
    engine = Recommender(catalog, FakeEncoder())
    limited = engine.recommend(Profile(goal="calm angry callers", format=Format.IN_PERSON, budget=0), today=TODAY)
    assert limited.weak and [p.credential.id for p in limited.picks] == ["sheets"]
    assert "within your limits (free only, in person)" in limited.note
    unserved = engine.recommend(Profile(goal="underwater welding", format=Format.IN_PERSON), today=TODAY)
    assert unserved.weak and "I have nothing that really teaches" in unserved.note  # nothing closer outside either


def test_one_skill_named_two_ways_is_one_gap() -> None:
    engine = Recommender(sample_catalog(), FakeEncoder())
    t = engine.targeting(Profile(role="analyst", target_skills=("Azure", "Microsoft Azure", "SQL")), None)
    assert t.target_skills == ("azure", "sql")


def test_acronyms_are_shown_in_capitals_and_other_words_as_stored() -> None:
    assert display_skill("rest apis") == "REST APIs"
    assert display_skill("icd-10-cm") == "ICD-10-CM"
    assert display_skill("ux research") == "UX research"
    assert display_skill("data analysis") == "data analysis"
    assert display_skill("SQL") == "SQL"  # already written that way


def test_with_no_language_set_records_in_the_language_written_in_come_first() -> None:
    from dataclasses import replace as swap

    english = next(c for c in sample_catalog() if c.id == "a-sql")
    spanish = swap(english, id="a-sql-es", title="SQL for Data Analysts (edición en español)", language="es")
    engine = Recommender([spanish, *sample_catalog()], FakeEncoder(), occupations=load_occupations())
    ids = [p.credential.id for p in engine.recommend(Profile(goal="learn sql for data analysis"), today=TODAY).picks]
    assert ids.index("a-sql") < ids.index("a-sql-es")
    asked = engine.recommend(Profile(goal="aprender sql", language="es"), today=TODAY).picks
    assert [p.credential.id for p in asked] == ["a-sql-es"]


def test_fit_scores_order_a_whole_list_as_the_picks_do(engine: Recommender) -> None:
    every = [c.id for c in sample_catalog()]
    scores = engine.fit_scores(ANALYST, today=TODAY, ids=[*every, "not-in-the-catalog"])
    assert set(scores) == set(every)  # unknown ids are left out, every known one scored
    ranked = sorted(scores, key=lambda i: -scores[i])
    top = ids(engine.recommend(ANALYST, today=TODAY, top_k=1))[0]
    assert top in ranked[:3]  # the best pick is near the top of the full order too
    assert engine.fit_scores(ANALYST, today=TODAY, ids=[]) == {}
    free = engine.fit_scores(ANALYST.with_(budget=0), today=TODAY, ids=every)
    paid = [c.id for c in sample_catalog() if c.cost > 0]
    assert all(free[i] <= scores[i] for i in paid)  # a budget of 0 lowers what costs money
