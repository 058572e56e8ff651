"""`credbot recommend`: a thin wrapper over recommender/."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from bot.config import Settings
from catalog.provenance import source_line, source_name
from credbot.commands.catalog import fail


def open_recommender(progress: bool = True) -> Any:
    """The recommender over CREDBOT_DB (shared by `recommend` and `eval`); a broken bundled catalog exits 1."""
    from catalog.repository import BundledCatalogError
    from recommender.service import build_recommender
    from store.connect import open_engine

    settings = Settings.from_env()
    try:
        return build_recommender(open_engine(settings.db_path), progress=progress and sys.stderr.isatty())
    except BundledCatalogError as exc:
        fail(str(exc), 1)


def pick_json(pick: Any, hours_per_week: float | None, label: Callable[[str], str] = str) -> dict[str, Any]:
    c = pick.credential
    weeks = c.hours / hours_per_week if hours_per_week else c.weeks
    return {
        "id": c.id,
        "title": c.title,
        "provider": c.provider,
        "url": c.url,
        "hours": c.hours,
        "weeks": round(weeks, 1),
        "cost": c.cost,
        "currency": c.currency,
        "score": round(pick.score, 4),
        "reasons": list(pick.reasons),
        "format": c.format.value,
        "level": c.level.value,
        "credential_type": c.credential_type.value,
        "covers": [label(skill) for skill in pick.covered],
        "fits_time": pick.fits_time,
        "source": source_name(c),
        "source_url": c.source,
        "as_of": c.as_of,
    }


def result_json(recs: Any, hours_per_week: float | None) -> dict[str, Any]:
    out: dict[str, Any] = {"results": [pick_json(p, hours_per_week, recs.label) for p in recs.picks]}
    t = recs.targeting
    if t.goal_occupation is not None:
        out["occupation"] = {
            "title": t.goal_occupation.occupation.title,
            "onet_soc": t.goal_occupation.occupation.onet_soc,
            "esco_uri": t.goal_occupation.occupation.esco_uri,
            "similarity": round(t.goal_occupation.similarity, 3),
            "confident": t.goal_occupation.confident,
        }
        if t.goal_occupation.task:
            out["occupation"]["task"] = t.goal_occupation.task
    out["missing_skills"] = list(recs.missing_labels)
    if recs.note:
        out["note"] = recs.note
    return out


MAX_WEEKS = 260  # five years: the most a typed time frame may be too (recommender.parsing.parse_duration)
EXAMPLES = {"hours_per_week": "5", "weeks": "12", "budget": "200 (or 'any')"}
OPTION_FIELDS = ("role", "goal", "skills", "hours_per_week", "weeks", "budget", "format", "level")


def option_name(key: str) -> str:
    return "--" + key.replace("_", "-")


def number_or_text(key: str, value: str) -> float | str:
    """A plain number as a float (checked here: parsing takes NaN, infinity and 10**6 weeks for numbers), else the
    text for recommender.parsing to read ('3 months', '$200')."""
    try:
        number = float(value)
    except ValueError:
        return value
    if not math.isfinite(number):
        fail(f"{option_name(key)}: {value!r} is not a number I can plan with; give one like {EXAMPLES[key]}")
    if key == "weeks" and number > MAX_WEEKS:
        fail(f"{option_name(key)}: {value} weeks is more than five years; plan for at most {MAX_WEEKS} weeks")
    return number


def option_message(message: str) -> str:
    """ParseError names the batch field (hours_per_week: ...); on the command line, name the option."""
    key, colon, rest = message.partition(":")
    return f"{option_name(key)}:{rest}" if colon and key in OPTION_FIELDS else message


@click.command("recommend")
@click.option("--role", default=None, help="Current role, e.g. 'nurse'.")
@click.option("--goal", default=None, help="What you want to become or get better at.")
@click.option("--skills", default=None, help="Skills you already have, comma-separated.")
@click.option("--hours-per-week", default=None, help="e.g. 5 or '2-3 hours'.")
@click.option("--weeks", default=None, help="e.g. 12, '3 months' or 'by June'.")
@click.option("--budget", default=None, help="e.g. 0 (free only), 200, '$200', 'any'.")
@click.option("--format", "fmt", type=click.Choice(["online", "in-person", "hybrid"]), default=None)
@click.option("--level", type=click.Choice(["beginner", "intermediate", "advanced"]), default=None)
@click.option("--top", type=click.IntRange(1, 50), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.option("--batch", type=click.Path(dir_okay=False), default=None, help="JSON Lines of profiles.")
def recommend_command(
    role: str | None,
    goal: str | None,
    skills: str | None,
    hours_per_week: str | None,
    weeks: str | None,
    budget: str | None,
    fmt: str | None,
    level: str | None,
    top: int,
    as_json: bool,
    batch: str | None,
) -> None:
    """Rank credentials for a profile (or a --batch file of profiles) with reasons."""
    from recommender.parsing import ParseError, profile_fields
    from recommender.profile import Profile

    today = date.today()
    if batch:
        _batch(Path(batch), top, today)
        return
    raw: dict[str, Any] = {
        k: v
        for k, v in {
            "role": role, "goal": goal, "skills": skills, "hours_per_week": hours_per_week, "weeks": weeks,
            "budget": budget, "format": fmt, "level": level,
        }.items()
        if v is not None
    }  # fmt: skip
    for key in ("hours_per_week", "weeks", "budget"):
        if key in raw:
            raw[key] = number_or_text(key, raw[key])
    try:
        profile = Profile(**profile_fields(raw, today))  # type: ignore[arg-type]
    except ParseError as exc:
        fail(option_message(str(exc)))
        return
    recs = open_recommender().recommend(profile, today=today, top_k=top)
    if as_json:
        click.echo(json.dumps(result_json(recs, profile.hours_per_week), ensure_ascii=False))
        return
    _print_human(recs, profile)


def occupation_code(occupation: Any) -> str:
    """Where the occupation comes from: its O*NET-SOC code, or ESCO for the jobs O*NET has no code for."""
    return f"O*NET {occupation.onet_soc}" if occupation.onet_soc else "ESCO"


def _print_human(recs: Any, profile: Any) -> None:
    t = recs.targeting
    if t.goal_occupation is not None:
        o = t.goal_occupation
        sure = "sure" if o.confident else "not sure: treated as a free-form goal"
        via = f" through its task '{o.task}'" if o.task else ""
        click.echo(
            f"Goal matched to: {o.occupation.title} ({occupation_code(o.occupation)}){via}, "
            f"similarity {o.similarity:.2f} ({sure})"
        )
    if t.missing_skills:
        label = "Skills that sound close to your goal" if t.gap_is_guessed else "Skills to gain"
        click.echo(f"{label}: " + ", ".join(recs.missing_labels[:12]) + ("..." if len(t.missing_skills) > 12 else ""))
    if recs.note:
        click.echo("\n" + recs.note)
    if not recs.picks:
        click.echo("No credential matches. Try a larger budget, another format or fewer constraints.")
        return
    click.echo()
    for n, p in enumerate(recs.picks, start=1):
        c = p.credential
        click.echo(f"{n}. {c.title} — {c.provider}  [score {p.score:.2f}]")
        for reason in p.reasons:
            click.echo(f"   • {reason}")
        click.echo(f"   {c.url}")
        click.echo(f"   source: {source_line(c)}")


def _batch(path: Path, top: int, today: date) -> None:
    from recommender.parsing import ParseError, profile_fields
    from recommender.profile import Profile

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        fail(f"{path}: no such file")
        return
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: cannot be read ({exc})")
        return
    recommender = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            profile = Profile(**profile_fields(data, today))  # type: ignore[arg-type]
        except json.JSONDecodeError as exc:
            click.echo(json.dumps({"error": f"line {number}: bad JSON: {exc.msg}"}))
            continue
        except ParseError as exc:
            click.echo(json.dumps({"error": f"line {number}: {exc}"}))
            continue
        if recommender is None:
            recommender = open_recommender()
        recs = recommender.recommend(profile, today=today, top_k=top)
        click.echo(json.dumps(result_json(recs, profile.hours_per_week), ensure_ascii=False))
        sys.stdout.flush()
