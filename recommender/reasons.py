"""Plain-words reasons for a pick, built only from the record and the person's own numbers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from catalog.schema import Credential, Format
from recommender.money import within_budget

FORMAT_WORDS = {Format.ONLINE: "online", Format.IN_PERSON: "in person", Format.HYBRID: "hybrid (online + in person)"}


def fmt_hours(hours: float) -> str:
    return f"{hours:.0f} h" if hours >= 10 or hours == int(hours) else f"{hours:.1f} h"


def weeks_at(hours: float, hours_per_week: float) -> float:
    return hours / hours_per_week if hours_per_week > 0 else 0.0


def fmt_weeks(weeks: float) -> str:
    if weeks < 1:
        days = max(1, round(weeks * 7))
        return f"{days} day" + ("s" if days != 1 else "")
    w = round(weeks)
    return f"{w} week" + ("s" if w != 1 else "")


def fmt_money(amount: float, currency: str) -> str:
    symbols = {"USD": "$", "GBP": "£", "EUR": "€"}
    value = f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"
    sign = symbols.get(currency)
    return f"{sign}{value}" if sign else f"{value} {currency}"


_ACRONYMS = {w: w.upper() for w in (
    "sql", "aws", "gcp", "seo", "sem", "ux", "ui", "hl7", "fhir", "crm", "api", "ehr", "emr", "esg", "gri", "sasb",
    "ghg", "capm", "pmp", "cpa", "cfa", "cma", "ml", "ai", "it", "hr", "dei", "kpi", "csat", "nps", "sla", "itil",
    "saas", "b2b", "b2c", "etl", "bi", "gaap", "ifrs", "hipaa", "cpt", "icd", "cm", "pcs", "edrm", "esi", "irb",
    "edc", "nist", "siem", "iam", "ec2", "s3", "vpc", "html", "css", "php", "json", "xml", "rest", "sdlc", "qa",
    "ci", "cd", "ppc", "cro", "roi", "p&l", "s&op", "m&a", "ngss", "ela", "esl", "lms", "addie", "scorm", "wcag",
    "nlp", "llm", "gpu", "vpn", "dns", "tcp", "ip", "ccna", "mos", "rhit", "cca", "cpc", "cbcs", "cmaa", "cnml",
    "rca", "ceds", "pmi", "ats", "hris", "okr",
)}  # fmt: skip
_ACRONYMS |= {"apis": "APIs", "kpis": "KPIs", "slas": "SLAs", "llms": "LLMs", "okrs": "OKRs"}
# product and platform names (none of them an everyday word in a skill phrase)
_ACRONYMS |= {w.lower(): w for w in (
    "Python", "Excel", "Tableau", "Figma", "Salesforce", "HubSpot", "Zendesk", "QuickBooks", "Xero", "Epic", "Cerner",
    "JavaScript", "TypeScript", "Java", "Linux", "Azure", "Google", "Microsoft", "PowerPoint", "SharePoint", "Jira",
    "Asana", "Trello", "Canva", "WordPress", "Docker", "Kubernetes", "Git", "GitHub", "Selenium", "Playwright",
    "Relativity", "REDCap", "Scrum", "Westlaw", "LexisNexis", "Splunk", "Kaggle", "Copilot", "ChatGPT", "Shopify",
)}  # fmt: skip


def display_skill(phrase: str) -> str:
    """'rest apis', 'icd-10-cm', 'ux research' -> 'REST APIs', 'ICD-10-CM', 'UX research': stored lower case, shown
    the way people write them."""
    return re.sub(r"[a-z0-9&]+", lambda m: _ACRONYMS.get(m.group(0), m.group(0)), phrase)


def skills_reason(covered: Sequence[str], missing_count: int, teaches: Sequence[str], guessed: bool = False) -> str:
    covered = [display_skill(c) for c in covered]
    teaches = [display_skill(t) for t in teaches]
    if covered and missing_count and not guessed:
        listed = ", ".join(covered[:5]) + (", ..." if len(covered) > 5 else "")
        if missing_count == 1:
            return f"covers the skill you're missing: {listed}"
        return f"covers {len(covered)} of your {missing_count} missing skills: {listed}"
    return "teaches " + ", ".join(teaches[:4])


def time_reason(credential: Credential, hours_per_week: float | None, available: float | None) -> str:
    hours = fmt_hours(credential.hours)
    if hours_per_week:
        weeks = fmt_weeks(weeks_at(credential.hours, hours_per_week))
        text = f"about {hours}: {weeks} at your {hours_per_week:g} h/week"
    else:
        text = f"about {hours}: typically {fmt_weeks(credential.weeks)} at {credential.hours_per_week:g} h/week"
    if available is not None:
        if credential.hours <= available:
            text += f", fits the {fmt_hours(available)} you have"
        else:
            text += f", more than the {fmt_hours(available)} you have"
    return text


def cost_reason(credential: Credential, budget: float | None, budget_currency: str) -> str:
    if credential.cost == 0:
        return "free"
    text = fmt_money(credential.cost, credential.currency)
    if (
        budget is not None
        and budget > 0
        and within_budget(credential.cost, credential.currency, budget, budget_currency)
    ):
        text += f", within your {fmt_money(budget, budget_currency)} budget"
    return text


def reasons_for(
    credential: Credential,
    *,
    covered: Sequence[str],
    missing_count: int,
    hours_per_week: float | None,
    available: float | None,
    budget: float | None,
    budget_currency: str = "USD",
    teaches: Sequence[str] | None = None,
    guessed: bool = False,
) -> tuple[str, ...]:
    """`teaches`: the record's own skills, closest to the goal first (defaults to the record's order).
    `guessed`: the whole gap was guessed from the goal's wording, so no "covers N of your missing skills"."""
    listed = [s for s in (teaches or ()) if s in credential.skills] or list(credential.skills)
    return (
        skills_reason(covered, missing_count, listed, guessed),
        time_reason(credential, hours_per_week, available),
        cost_reason(credential, budget, budget_currency),
        f"{FORMAT_WORDS[credential.format]}, {credential.level.value} level",
    )
