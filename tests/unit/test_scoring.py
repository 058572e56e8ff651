"""Score components (recommender.scoring) and hard filters (recommender.filters)."""

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.schema import Format, Level
from recommender.filters import CatalogColumns, filter_mask
from recommender.scoring import (
    DEFAULT_WEIGHTS,
    Weights,
    combine,
    cost_fit,
    coverage,
    format_fit,
    language_fits,
    level_fit,
    phrase_fit,
    time_fit,
    written_in,
)
from tests.fakes import credential

PART_NAMES = ("semantic", "lexical", "phrase", "coverage", "time", "level", "cost", "format", "focus", "language")


# -- time fit ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("hours", [1.0, 20.0, 40.0])
def test_time_fit_is_one_within_the_available_hours(hours: float) -> None:
    assert time_fit(hours, 40.0) == 1.0


def test_time_fit_falls_strictly_past_the_available_hours() -> None:
    values = [time_fit(h, 40.0) for h in (41, 50, 80, 160, 400)]
    assert all(0 < v < 1 for v in values)
    assert values == sorted(values, reverse=True)
    assert len(set(values)) == len(values)


def test_time_fit_is_smooth_not_a_cliff() -> None:
    assert time_fit(40.4, 40.0) > 0.98


def test_time_fit_without_known_time_is_neutral() -> None:
    assert time_fit(500.0, None) == 1.0


def test_time_fit_steepness_controls_the_decay() -> None:
    assert time_fit(80, 40, steepness=2.0) < time_fit(80, 40, steepness=0.5)
    assert time_fit(80, 40, steepness=1.0) == pytest.approx(math.exp(-1.0))


# -- level, cost, format, coverage -------------------------------------------------------------------------------
def test_level_fit_exact_level_beats_one_step_beats_two_steps() -> None:
    assert level_fit(Level.INTERMEDIATE, Level.INTERMEDIATE) == 1.0
    one_step = level_fit(Level.BEGINNER, Level.INTERMEDIATE)
    assert one_step == level_fit(Level.ADVANCED, Level.INTERMEDIATE)
    assert 0 < level_fit(Level.ADVANCED, Level.BEGINNER) < one_step < 1


def test_level_fit_without_a_wanted_level_favours_introductory() -> None:
    assert level_fit(Level.BEGINNER, None) > level_fit(Level.INTERMEDIATE, None) > level_fit(Level.ADVANCED, None)


def test_cost_fit_free_is_best() -> None:
    assert cost_fit(0, "USD", None) == 1.0
    assert cost_fit(0, "USD", 0) == 1.0
    assert cost_fit(0, "EUR", 100) == 1.0


def test_cost_fit_without_budget_prefers_cheaper_gently() -> None:
    assert 1.0 > cost_fit(50, "USD", None) > cost_fit(500, "USD", None) > 0.5


def test_cost_fit_within_budget_prefers_cheaper() -> None:
    assert cost_fit(20, "USD", 100) > cost_fit(80, "USD", 100) > 0
    assert cost_fit(100, "USD", 100) == pytest.approx(0.5)


def test_cost_fit_converts_the_price_currency() -> None:
    assert cost_fit(100, "GBP", 200) < cost_fit(100, "USD", 200) < cost_fit(100, "INR", 200)


def test_cost_fit_paid_with_free_only_budget_is_zero() -> None:
    assert cost_fit(10, "USD", 0) == 0.0


@pytest.mark.parametrize(
    ("offered", "wanted", "fit"),
    [
        (Format.ONLINE, None, 1.0),
        (Format.ONLINE, Format.ONLINE, 1.0),
        (Format.HYBRID, Format.ONLINE, 0.5),
        (Format.IN_PERSON, Format.HYBRID, 0.5),
        (Format.IN_PERSON, Format.ONLINE, 0.0),
        (Format.ONLINE, Format.IN_PERSON, 0.0),
    ],
)
def test_format_fit(offered: Format, wanted: Format | None, fit: float) -> None:
    assert format_fit(offered, wanted) == fit


def test_coverage_is_the_share_of_missing_skills_taught() -> None:
    assert coverage(1, 2) == 0.5
    assert coverage(2, 2) == 1.0


def test_coverage_saturates_at_four_skills() -> None:
    assert coverage(4, 20) == 1.0
    assert coverage(2, 20) == 0.5
    assert coverage(6, 20) == 1.0


def test_coverage_with_nothing_missing_is_zero() -> None:
    assert coverage(0, 0) == 0.0


# -- combine -----------------------------------------------------------------------------------------------------
ZERO = Weights(**dict.fromkeys(PART_NAMES, 0.0))  # type: ignore[arg-type]
TWO_OF_ONE = {name: replace(ZERO, **{name: 2.0}) for name in PART_NAMES}  # type: ignore[arg-type]


@pytest.mark.parametrize("name", PART_NAMES)
def test_combine_uses_each_weight(name: str) -> None:
    parts = {n: 0.1 * (i + 1) for i, n in enumerate(PART_NAMES)}
    assert combine(parts, TWO_OF_ONE[name]) == pytest.approx(2.0 * parts[name])


def test_combine_default_weights_and_feedback() -> None:
    parts = dict.fromkeys(PART_NAMES, 1.0)
    total = sum(getattr(DEFAULT_WEIGHTS, n) for n in PART_NAMES)
    assert combine(parts) == pytest.approx(total)
    assert combine({**parts, "feedback": -0.1}) == pytest.approx(total - 0.1)


def test_combine_treats_missing_focus_and_feedback_as_zero() -> None:
    parts = dict.fromkeys(PART_NAMES, 1.0)
    del parts["focus"]
    assert combine(parts) == pytest.approx(sum(getattr(DEFAULT_WEIGHTS, n) for n in PART_NAMES if n != "focus"))


# -- language ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("goal", "language"),
    [
        ("learn Excel so I can stop faking my monthly reports", "en"),
        ("Excel para principiantes", "en"),  # two marker-free words of a title are no evidence
        ("quiero aprender Excel para mejorar en mi trabajo", "es"),
        ("je veux apprendre Excel pour mon travail", "fr"),
        ("", "en"),
    ],
)
def test_a_goal_is_read_as_english_unless_it_is_clearly_another_language(goal: str, language: str) -> None:
    assert written_in(goal) == language


def test_language_fit_prefers_the_language_written_in() -> None:
    langs = np.array(["en", "es", "en"], dtype=object)
    assert language_fits(langs, "en").tolist() == [1.0, 0.0, 1.0]
    assert language_fits(langs, "es").tolist() == [0.0, 1.0, 0.0]


# -- skill-phrase fit --------------------------------------------------------------------------------------------
def test_phrase_fit_is_the_mean_of_the_two_closest_phrases() -> None:
    sims = np.array([0.9, 0.1, 0.5, 0.7], dtype=np.float32)
    slots = np.array([[0, 1, 2], [1, 2, -1], [3, -1, -1]], dtype=np.int32).T  # one column per credential
    assert phrase_fit(sims, slots).tolist() == pytest.approx([0.7, 0.3, 0.7])


def test_phrase_fit_one_stray_skill_does_not_carry_a_record() -> None:
    sims = np.array([0.9, 0.0, 0.0, 0.45, 0.45], dtype=np.float32)
    stray = [0, 1, 2]  # one strong phrase among unrelated ones
    steady = [3, 4, -1]  # two moderately close phrases
    fit = phrase_fit(sims, np.array([stray, steady], dtype=np.int32).T)
    assert fit[1] == pytest.approx(fit[0])
    assert fit[0] < 0.9


def test_phrase_fit_of_a_record_without_known_skills_is_zero() -> None:
    sims = np.array([0.8], dtype=np.float32)
    assert phrase_fit(sims, np.array([[-1], [-1]], dtype=np.int32)).tolist() == [0.0]
    assert phrase_fit(sims, np.zeros((2, 0), dtype=np.int32)).tolist() == []


def test_phrase_fit_with_one_slot_per_record() -> None:
    sims = np.array([0.2, 0.6], dtype=np.float32)
    assert phrase_fit(sims, np.array([[1, 0]], dtype=np.int32)).tolist() == pytest.approx([0.6, 0.2])


@given(st.lists(st.lists(st.integers(-1, 5), min_size=1, max_size=6), min_size=1, max_size=8))
def test_phrase_fit_matches_sorting_each_credentials_skills(rows: list[list[int]]) -> None:
    sims = np.array([0.9, -0.2, 0.4, 0.4, 0.1, 0.75], dtype=np.float32)
    width = max(len(r) for r in rows)
    slots = np.array([r + [-1] * (width - len(r)) for r in rows], dtype=np.int32).T
    expected = []
    for r in rows:
        values = sorted((float(sims[i]) for i in r if i >= 0), reverse=True)
        expected.append(0.0 if not values else (values[0] + values[min(1, len(values) - 1)]) / 2)
    assert phrase_fit(sims, slots).tolist() == pytest.approx(expected, abs=1e-6)


# -- hard filters ------------------------------------------------------------------------------------------------
CATALOG = [
    credential(id="free-online", cost=0, format="online", hours=10, language="en"),
    credential(id="cheap-hybrid", cost=40, format="hybrid", hours=30, language="en-GB"),
    credential(id="euro-in-person", cost=90, currency="EUR", format="in-person", hours=60, language="es"),
    credential(id="dear-online", cost=900, format="online", hours=200, language="en"),
]
COLUMNS = CatalogColumns.of(CATALOG)


def kept(**kw: object) -> set[str]:
    mask = filter_mask(COLUMNS, **kw)  # type: ignore[arg-type]
    assert mask.dtype == np.bool_ and mask.shape == (len(CATALOG),)
    return {c.id for c, keep in zip(CATALOG, mask, strict=True) if keep}


ALL = {c.id for c in CATALOG}


def test_no_constraints_keep_everything() -> None:
    assert kept() == ALL


def test_budget_keeps_what_costs_no_more_and_always_free() -> None:
    assert kept(budget_usd=0) == {"free-online"}
    assert kept(budget_usd=40) == {"free-online", "cheap-hybrid"}
    # 90 EUR is about 97 USD
    assert kept(budget_usd=95) == {"free-online", "cheap-hybrid"}
    assert kept(budget_usd=100) == {"free-online", "cheap-hybrid", "euro-in-person"}


def test_online_means_online_only() -> None:
    assert kept(format=Format.ONLINE) == {"free-online", "dear-online"}


def test_in_person_also_allows_hybrid() -> None:
    assert kept(format=Format.IN_PERSON) == {"cheap-hybrid", "euro-in-person"}


def test_hybrid_allows_every_format() -> None:
    assert kept(format=Format.HYBRID) == ALL


def test_language_matches_the_base_code() -> None:
    assert kept(language="en") == {"free-online", "cheap-hybrid", "dear-online"}
    assert kept(language="ES-mx") == {"euro-in-person"}


def test_max_hours_is_a_hard_cut() -> None:
    assert kept(max_hours=30) == {"free-online", "cheap-hybrid"}


def test_time_cuts_only_when_strict() -> None:
    assert kept(available_hours=30) == ALL
    assert kept(available_hours=30, strict_time=True) == {"free-online", "cheap-hybrid"}
    assert kept(strict_time=True) == ALL


def test_constraints_combine() -> None:
    assert kept(budget_usd=100, format=Format.IN_PERSON, language="en") == {"cheap-hybrid"}
