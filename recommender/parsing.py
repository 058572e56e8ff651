"""Loose human input -> numbers and dates, in one place.

"5 h a week", "3 months", "by March", "$200", "free only" all land here; whatever cannot be understood raises
`ParseError` with a message that tells the person what would work.
"""

from __future__ import annotations

import calendar
import contextlib
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from catalog.schema import Format, Level


class ParseError(ValueError):
    """Input we could not understand; str(error) is a friendly hint for the person."""


MAX_WEEKS = 260  # five years, as for a typed time frame (parse_duration)
WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "half": 0.5,
    "couple": 2, "few": 3, "several": 4,
}  # fmt: skip
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
NUM = r"(\d+(?:[.,]\d+)?)"
HOUR_UNIT = re.compile(r"\d\s*h\b|\b(h|hrs?|hours?)\b")  # "5h", "5 hours", "an hour"
RATE = re.compile(r"\b(a|per|each|every)\s+(week|day|month)\b|/\s*(week|day)|\b(weekly|daily)\b")  # "2 days a week"


def _number(token: str) -> float:
    token = token.strip().lower().replace(",", ".")
    if token in WORD_NUMBERS:
        return float(WORD_NUMBERS[token])
    return float(token)


def _numbers(text: str) -> list[float]:
    words = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
    # "a few", "a couple of": the article is not the number 1
    text = re.sub(r"\b(?:a|an)\s+(?=(?:few|couple|several|half)\b)", "", text.lower())
    found = re.findall(rf"\d+(?:[.,]\d+)?|\b(?:{words})\b", text)
    return [_number(t) for t in found]


def _range_mean(text: str) -> float | None:
    match = re.search(rf"{NUM}\s*(?:-|–|to|or)\s*{NUM}", text)
    if match:
        return (_number(match.group(1)) + _number(match.group(2))) / 2
    return None


def parse_hours_per_week(text: str) -> float:
    """'5', '5h a week', 'about 4 hours', '2-3 hours', 'an hour a day', '30 min a day' -> hours per week."""
    low = text.lower().strip()
    if not low:
        raise ParseError("Tell me roughly how many hours a week you can study, for example '5' or '3 hours'.")
    if re.match(r"^\s*[-−]\s*\d", low):
        raise ParseError("The hours need to be more than zero. Even 1 hour a week is a start!")
    hour_unit = HOUR_UNIT.search(low) is not None or re.search(r"\b(mins?|minutes?)\b", low) is not None
    if not hour_unit and re.search(r"\b(days?|weeks?|months?|years?|weekends?)\b", low):
        raise ParseError(f"How many hours is {text!r}? Tell me the hours a week, for example '5 hours' or '1 h a day'.")
    if re.search(r"\bhalf an? hour\b", low) and not re.search(r"\d", low):
        low = re.sub(r"\bhalf an? hour\b", "0.5 hours", low)
    value = _range_mean(low)
    if value is None:
        numbers = _numbers(low)
        if not numbers:
            raise ParseError(
                f"I couldn't find a number of hours in {text!r}. Try something like '5 hours a week' or '1 h a day'."
            )
        value = numbers[0]
    if re.search(r"\bmin(ute)?s?\b", low):
        value /= 60
    if re.search(r"\b(a|per|each|every)\s+(day|night|evening)\b|\bdaily\b|/\s*day", low):
        value *= 5 if "weekday" in low else 7
    elif re.search(r"\b(a|per|each|every)\s+month\b|/\s*month|monthly", low):
        value /= 4.345
    if value <= 0:
        raise ParseError("The hours need to be more than zero. Even 1 hour a week is a start!")
    if value > 80:
        raise ParseError(f"{value:g} hours a week is more than most full-time jobs. How many can you really give?")
    return round(value, 2)


@dataclass(frozen=True, slots=True)
class Duration:
    weeks: float | None = None
    deadline: date | None = None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_duration(text: str, today: date) -> Duration:
    """'3 months', '6 weeks', 'a year', 'by March', 'by 3 March', 'by 2027-06-30', 'end of year' -> weeks or date."""
    low = text.lower().strip().rstrip(".!")
    if not low:
        raise ParseError("How long do you have? For example '3 months', '8 weeks' or 'by June'.")
    iso = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", low)
    if iso:
        try:
            deadline = date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            raise ParseError(f"{iso.group(0)} is not a real date.") from None
        return _future(deadline, today)
    if re.search(r"\b(end of (the )?year|year end)\b", low):
        return _future(date(today.year, 12, 31), today)
    month_words = "|".join(sorted(MONTHS, key=len, reverse=True))
    dated = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({month_words})\b\.?(?:\s+(\d{{4}}))?", low)
    dated_us = re.search(rf"\b({month_words})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", low)
    month_only = re.search(rf"\b({month_words})\b\.?(?:\s+(\d{{4}}))?", low)
    if dated or dated_us or month_only:
        if dated:
            day, month, year = int(dated.group(1)), MONTHS[dated.group(2)], dated.group(3)
        elif dated_us:
            month, day, year = MONTHS[dated_us.group(1)], int(dated_us.group(2)), dated_us.group(3)
        else:
            assert month_only is not None
            month, day, year = MONTHS[month_only.group(1)], 0, month_only.group(2)
        y = int(year) if year else today.year
        try:
            deadline = _month_end(y, month) if day == 0 else date(y, month, day)
        except ValueError:
            raise ParseError(f"That date doesn't exist: {text!r}.") from None
        if not year and deadline < today:
            deadline = _month_end(y + 1, month) if day == 0 else date(y + 1, month, day)
        return _future(deadline, today)
    # "10h a week" is a pace, not a time frame; "3 months, 10 h a week" is both
    low = RATE.sub(" ", low)
    unit = re.search(r"\b(day|week|wk|month|mo|year|yr)s?\b", low)
    if not unit and HOUR_UNIT.search(low):
        raise ParseError(
            "That sounds like hours a week. For how long, or by when? For example '3 months' or 'by June'."
        )
    if unit:
        value = _range_mean(low)
        if value is None:
            numbers = _numbers(low)
            value = numbers[0] if numbers else 1.0
        factor = {"day": 1 / 7, "week": 1, "wk": 1, "month": 4.345, "mo": 4.345, "year": 52.14, "yr": 52.14}
        weeks = value * factor[unit.group(1)]
        if weeks <= 0:
            raise ParseError("The time needs to be more than zero.")
        if weeks > 260:
            raise ParseError("That is more than five years. Let's plan something closer, say up to 2 years.")
        return Duration(weeks=round(weeks, 2))
    numbers = _numbers(low)
    if numbers and re.fullmatch(rf"{NUM}", low):
        return Duration(weeks=numbers[0])
    raise ParseError(
        f"I couldn't read a time frame in {text!r}. Try '3 months', '10 weeks', 'by June' or a date like 2027-03-01."
    )


def _future(deadline: date, today: date) -> Duration:
    if deadline <= today:
        raise ParseError(f"{deadline:%-d %B %Y} has already passed. Which later date should I plan for?")
    if deadline > today + timedelta(days=5 * 366):
        raise ParseError("That is more than five years away. Let's plan something closer.")
    return Duration(deadline=deadline)


@dataclass(frozen=True, slots=True)
class Budget:
    amount: float | None  # None = no limit
    currency: str = "USD"


CURRENCY_SIGNS = {"$": "USD", "£": "GBP", "€": "EUR", "₹": "INR", "¥": "JPY"}
CURRENCY_WORDS = {
    "usd": "USD", "dollar": "USD", "dollars": "USD", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
    "eur": "EUR", "euro": "EUR", "euros": "EUR", "inr": "INR", "rupees": "INR", "cad": "CAD", "aud": "AUD",
    "bucks": "USD", "quid": "GBP",
}  # fmt: skip
AMOUNT_WITH_CURRENCY = re.compile(r"\b\d[\d,]*(?:\.\d+)?\s*k?\s*(?:" + "|".join(CURRENCY_WORDS) + r")\b")


def parse_budget(text: str, default_currency: str = "USD") -> Budget:
    """'free only', '$200', 'up to 100', '500 euros', 'any', 'no limit' -> amount (0 = free only) and currency."""
    low = text.lower().strip()
    if not low:
        raise ParseError("What can you spend? For example 'free only', '$100' or 'any'.")
    if re.search(
        r"\b(any|no limit|unlimited|doesn'?t matter|no budget|whatever|"
        r"(employer|company|work|boss|job) (pays|is paying|covers|will pay)|reimburs\w*)\b",
        low,
    ):
        return Budget(None, default_currency)
    if re.search(r"\b(free|nothing|zero|no money|\$?0)\b", low) and not re.search(r"\d*[1-9]", low):
        return Budget(0.0, default_currency)
    currency = default_currency
    for sign, code in CURRENCY_SIGNS.items():
        if sign in text:
            currency = code
    for word, code in CURRENCY_WORDS.items():
        if re.search(rf"\b{word}\b", low):
            currency = code
    time_frame = re.fullmatch(r"(about |around )?\d+(\.\d+)?\s*(days?|weeks?|months?|years?)", low) or re.match(
        r"(by|until|before)\b", low
    )
    if (time_frame or HOUR_UNIT.search(low)) and not re.search(r"[$£€₹¥]", text):
        raise ParseError("That sounds like time, not money. What can you spend? For example 'free only' or '$100'.")
    amounts = re.findall(r"(\d[\d,]*(?:\.\d+)?)\s*(k\b)?", low)
    if len(amounts) >= 2 and re.search(r"\d\s*(-|–|to|and)\s*[$£€]?\s*\d", low):
        # "between 100 and 200", "$100-200": the top of the range is what can be spent
        top = max(float(a.replace(",", "")) * (1000 if k else 1) for a, k in amounts[:2])
        return Budget(top, currency)
    match = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*(k\b)?", low)
    if not match and re.search(r"\b(cheap\w*|low[- ]cost|not much|inexpensive|affordable|budget)\b", low):
        raise ParseError("How much is cheap for you? Tap 'Free only' or 'Up to $100', or type an amount like '$50'.")
    if not match and re.search(r"\b(depends|not sure|no idea|dunno|don'?t know|unsure)\b", low):
        raise ParseError("No fixed budget? Tap 'Any': after the picks you can still say 'cheaper' or 'free only'.")
    if not match:
        raise ParseError(f"I couldn't find an amount in {text!r}. Try 'free only', '$150' or 'any'.")
    amount = float(match.group(1).replace(",", ""))
    if match.group(2):
        amount *= 1000
    return Budget(amount, currency)


def parse_format(text: str) -> Format | None:
    """'online' / 'in person' / 'hybrid' / 'either' -> Format or None for no preference."""
    low = text.lower().strip()
    if re.search(r"\b(either|any|anything|both|don'?t mind|doesn'?t matter|no preference|whatever)\b", low):
        return None
    if re.search(r"\b(not|no|never|don'?t want)\s+(?:\w+\s+)?(online|remote|virtual)\b", low):
        return Format.IN_PERSON  # "not online", "no online courses"
    if re.search(r"\b(not|no|never|can'?t do)\s+(?:\w+\s+)?(in[- ]?person|on[- ]?site|classroom)\b", low):
        return Format.ONLINE
    says_online = re.search(r"online|remote|virtual", low) is not None
    says_in_person = re.search(r"in[- ]?person|on[- ]?site|classroom|face[- ]to[- ]face", low) is not None
    if says_online and says_in_person and not re.search(r"hybrid|blended|mix", low):
        return None  # "online or in person": no preference
    if re.search(r"\bhybrid|blended|mix", low):
        return Format.HYBRID
    if re.search(r"in[- ]?person|on[- ]?site|classroom|face[- ]to[- ]face|campus|offline", low):
        return Format.IN_PERSON
    if re.search(r"online|remote|virtual|from home|self[- ]paced|internet", low):
        return Format.ONLINE
    raise ParseError("Online, in person, or either? You can also say 'hybrid'.")


def parse_level(text: str) -> Level | None:
    low = text.lower().strip()
    if re.search(r"\b(any|either|don'?t know|not sure)\b", low):
        return None
    if re.search(r"begin|new|novice|basic|start|intro|junior|no experience", low):
        return Level.BEGINNER
    if re.search(r"interm|some experience|mid", low):
        return Level.INTERMEDIATE
    if re.search(r"advanc|expert|senior|experienced|deep", low):
        return Level.ADVANCED
    raise ParseError("Beginner, intermediate or advanced?")


def parse_skills(text: str) -> tuple[str, ...]:
    """'Python, SQL and Excel' -> ('python', 'sql', 'excel'); 'none' -> ()."""
    low = text.strip().lower()
    if re.fullmatch(r"(none|nothing|no|n/a|-|skip|not really)\.?", low):
        return ()
    parts = re.split(r",|;|\n|\band\b|&|/|\s\+\s", low)
    seen: list[str] = []
    for part in parts:
        skill = re.sub(r"^\s*(i know|i can|some|basic|good|strong)\s+", "", part).strip(" .!?\t")
        if skill and skill not in seen and len(skill) <= 60:
            seen.append(skill)
    return tuple(seen[:30])


@dataclass(frozen=True, slots=True)
class Understood:
    """What one free-text message told us; fields left None were not mentioned."""

    role: str | None = None
    goal: str | None = None
    hours_per_week: float | None = None
    weeks: float | None = None
    deadline: date | None = None
    budget: Budget | None = None
    format: Format | None = None
    format_given: bool = False
    skills: tuple[str, ...] = ()


ROLE_RE = re.compile(
    r"\b(?:i'?m|i am|i work as|working as|currently(?: a| an)?|my job is|my role is)\s+(?:an?\s+|the\s+)?"
    r"(?P<role>[a-z][a-z /&+-]{1,60}?)(?=\s+(?:and|who|but|looking|wanting|trying|with|at|in|,)\b|[,.;!]|$)"
)
GOAL_RE = re.compile(
    r"\b(?:want to|wanna|would like to|hope to|plan to|trying to|looking to|aim to|need to|goal is to)\s+"
    r"(?:(?:move|get|switch|transition|pivot|break)\s+(?:into|in|to)\s+|become\s+(?:an?\s+)?|be\s+(?:an?\s+)?|"
    r"learn\s+|get better at\s+|improve (?:my\s+)?|work\s+(?:in|as)\s+(?:an?\s+)?)?"
    r"(?P<goal>[a-z][a-z0-9 /&+#.-]{1,80}?)(?=\s*(?:,|;|\.\s|!|\bwith\b|\bin \d|\bby\b|\bwithin\b|"
    r"\d+\s*h|$))"
)


def understand(message: str, today: date) -> Understood:
    """Pull whatever a free-form first message says ("I'm a nurse and want to move into health informatics,
    5h a week, free only") into fields; never raises."""
    low = " ".join(message.lower().split())
    role = goal = None
    if m := ROLE_RE.search(low):
        role = m.group("role").strip()
        if role in {"not sure", "unsure", "looking", "new"}:
            role = None
    if m := GOAL_RE.search(low):
        goal = m.group("goal").strip(" .")
    hours = None
    if m := re.search(
        rf"({NUM}|an?|one)\s*(?:-\s*{NUM}\s*)?(h|hrs?|hours?|mins?|minutes?)\b[^,.;]*?"
        r"(week|wk|day|night|evening|month)",
        low,
    ):
        try:
            hours = parse_hours_per_week(m.group(0))
        except ParseError:
            hours = None
    if hours is None and (m := re.search(rf"(?<![\w$£€]){NUM}\s*(?:-\s*{NUM}\s*)?(h|hrs?|hours?)\b", low)):
        with contextlib.suppress(ParseError):  # a bare "10h" in a message about studying: per week
            hours = parse_hours_per_week(m.group(0))
    weeks = deadline = None
    if m := re.search(r"\b(?:by|before|until)\s+([a-z0-9 ,-]{3,20})", low):
        try:
            d = parse_duration(m.group(1), today)
            deadline = d.deadline
        except ParseError:
            pass
    if deadline is None and (
        m := re.search(
            rf"\b(?:in|within|over|for|next)\s+(?:the\s+next\s+)?({NUM}|a|one|two|three|six)\s*"
            r"(weeks?|months?|years?)\b",
            low,
        )
    ):
        with contextlib.suppress(ParseError):
            weeks = parse_duration(m.group(0), today).weeks
    budget = None
    if re.search(r"\bfree\b", low):
        budget = Budget(0.0)
    elif m := re.search(r"(?:budget|spend|up to|under|max(?:imum)?)\s*(?:of|is)?\s*([$£€]?\s?\d[\d,]*\s*\w*)", low):
        try:
            budget = parse_budget(m.group(1))
        except ParseError:
            budget = None
    elif (
        (m := re.search(r"[$£€]\s?\d[\d,]*(?:\.\d+)?\s*k?\b", message, re.I))
        or (m := re.search(r"\b\d[\d,]*(?:\.\d+)?\s*k?\s?[$£€]", message, re.I))  # "0$", "100€"
        or (m := AMOUNT_WITH_CURRENCY.search(low))
    ):
        budget = parse_budget(m.group(0))
    fmt = None
    fmt_given = False
    if re.search(r"\b(online|remote|in[- ]person|hybrid|on[- ]site)\b", low):
        try:
            fmt = parse_format(low)
            fmt_given = True
        except ParseError:
            pass
    skills: tuple[str, ...] = ()
    if m := re.search(r"\b(?:i know|i can use|i'?m good at|skills?:|experience (?:in|with))\s+([^.;!]+)", low):
        skills = parse_skills(m.group(1))
    return Understood(role, goal, hours, weeks, deadline, budget, fmt, fmt_given, skills)


PROFILE_FIELDS = ("role", "goal", "skills", "hours_per_week", "weeks", "budget", "format", "level")


def profile_fields(data: object, today: date) -> dict[str, object]:
    """A batch line or CLI options (field names as in DESIGN.md) -> Profile keyword arguments.

    Accepts numbers or loose text ("5 h a week", "3 months", "$200", "free"); raises ParseError naming the field.
    """
    if not isinstance(data, dict):
        raise ParseError("each line must be a JSON object with fields like role, goal, hours_per_week")
    unknown = sorted(set(data) - set(PROFILE_FIELDS) - {"language", "currency", "max_hours", "deadline"})
    if unknown:
        raise ParseError(f"unknown field(s): {', '.join(unknown)} (allowed: {', '.join(PROFILE_FIELDS)})")
    out: dict[str, object] = {}
    for key in ("role", "goal"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ParseError(f"{key}: must be text")
        if len(value) > 500:
            raise ParseError(f"{key}: please keep it under 500 characters")
        out[key] = value.strip()
    if not out.get("role") and not out.get("goal"):
        raise ParseError("give at least a role or a goal")
    skills = data.get("skills")
    if skills is not None:
        if isinstance(skills, str):
            out["skills"] = parse_skills(skills)
        elif isinstance(skills, list) and all(isinstance(s, str) for s in skills):
            out["skills"] = tuple(s.strip().lower() for s in skills if s.strip())
        else:
            raise ParseError("skills: a list of text or a comma-separated string")
    hpw = data.get("hours_per_week")
    if hpw is not None:
        out["hours_per_week"] = (
            _positive("hours_per_week", hpw)
            if not isinstance(hpw, str)
            else (_wrap("hours_per_week", parse_hours_per_week, hpw))
        )
        if float(out["hours_per_week"]) > 80:  # type: ignore[arg-type]
            raise ParseError("hours_per_week: more than 80 hours a week is not a plan anyone keeps")
    weeks = data.get("weeks")
    if weeks is not None:
        if isinstance(weeks, str):
            duration = _wrap("weeks", lambda t: parse_duration(t, today), weeks)
            out["weeks"], out["deadline"] = duration.weeks, duration.deadline
        else:
            out["weeks"] = _positive("weeks", weeks)
        if out["weeks"] is not None and float(out["weeks"]) > MAX_WEEKS:  # type: ignore[arg-type]
            raise ParseError(f"weeks: at most {MAX_WEEKS} (five years); let's plan something closer")
    deadline = data.get("deadline")
    if deadline is not None:
        out["deadline"] = _wrap("deadline", lambda t: parse_duration(str(t), today), deadline).deadline
    budget = data.get("budget")
    if budget is not None:
        if isinstance(budget, str):
            parsed = _wrap("budget", parse_budget, budget)
            out["budget"], out["currency"] = parsed.amount, parsed.currency
        else:
            number = isinstance(budget, int | float) and not isinstance(budget, bool)
            if not number or not math.isfinite(budget) or budget < 0:
                raise ParseError("budget: a number of at least 0 (0 = free only)")
            out["budget"] = float(budget)
    if isinstance(data.get("currency"), str):
        out["currency"] = str(data["currency"]).upper()
    fmt = data.get("format")
    if fmt is not None:
        out["format"] = _wrap("format", parse_format, str(fmt))
    level = data.get("level")
    if level is not None:
        out["level"] = _wrap("level", parse_level, str(level))
    if isinstance(data.get("language"), str):
        out["language"] = str(data["language"]).lower()
    if data.get("max_hours") is not None:
        out["max_hours"] = _positive("max_hours", data["max_hours"])
    return out


def _positive(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise ParseError(f"{name}: must be a number greater than 0, got {value!r}")
    return float(value)


def _wrap(name: str, fn, value):  # type: ignore[no-untyped-def]
    try:
        return fn(value)
    except ParseError as exc:
        raise ParseError(f"{name}: {exc}") from None
