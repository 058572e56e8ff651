"""Occupations people name ("I want to become a data analyst") mapped to framework codes and core skills.

The shipped file is built by catalog.taxonomy from O*NET and ESCO, with hand-written entries kept as overrides;
the fields after `domain` came with that build and have defaults, so older files and callers still work.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from importlib import resources
from typing import Any

from catalog.provenance import ESCO, ONET

ONET_RE = re.compile(r"^\d\d-\d{4}\.\d\d$")
REQUIRED_FIELDS = ("id", "title", "alternative_titles", "onet_soc", "esco_uri", "skills", "domain")
CURATED_SKILLS = (10, 25)  # hand-written entries list their core skills in full
DERIVED_SKILLS = (5, 25)  # O*NET-derived ones name what the catalog teaches, little for some (bus drivers)
ESCO_SKILLS = (0, 25)  # ESCO-only jobs (farrier): only what their one-paragraph description names


@dataclass(frozen=True, slots=True)
class Occupation:
    id: str
    title: str
    alternative_titles: tuple[str, ...]
    onet_soc: str
    esco_uri: str | None
    skills: tuple[str, ...]
    domain: str
    description: str = ""
    tasks: tuple[str, ...] = ()  # O*NET task statements, embedded to read outcome-style goals
    technology: tuple[str, ...] = ()  # O*NET technology examples ("Python", "Epic Systems")
    related: tuple[str, ...] = ()  # related O*NET-SOC codes, closest first
    source: str = ""  # O*NET row URL for derived entries; "curated" for hand-written ones

    @property
    def derived(self) -> bool:
        """Built from O*NET tables rather than written by hand (its skills are phrases found in its tasks)."""
        return self.source.startswith("https://github.com/")

    @property
    def esco_only(self) -> bool:
        """An ESCO occupation no O*NET code stands for (farrier, sommelier): no tasks, few skills."""
        return not self.onet_soc

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.alternative_titles)

    def document_text(self) -> str:
        return f"{self.title}; also called {', '.join(self.alternative_titles)}"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Occupation:
        return cls(
            id=data["id"],
            title=data["title"],
            alternative_titles=tuple(data.get("alternative_titles") or ()),
            onet_soc=data["onet_soc"],
            esco_uri=data.get("esco_uri"),
            skills=tuple(data["skills"]),
            domain=data["domain"],
            description=data.get("description") or "",
            tasks=tuple(data.get("tasks") or ()),
            technology=tuple(data.get("technology") or ()),
            related=tuple(data.get("related") or ()),
            source=data.get("source") or "",
        )


OCCUPATION_FIELDS = tuple(f.name for f in fields(Occupation))  # also the key order of the shipped file
LIST_FIELDS = ("alternative_titles", "skills", "tasks", "technology", "related")


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def check_occupation(data: dict[str, Any]) -> list[str]:
    """Problems with one occupation row, all at once; [] when it is fine."""
    problems = []
    for key in REQUIRED_FIELDS:
        if key not in data:
            problems.append(f"{key}: missing field")
    for key in data:
        if key not in OCCUPATION_FIELDS:
            problems.append(f"{key}: unknown field")
    code = data.get("onet_soc")
    esco_only = str(data.get("source") or "").startswith(ESCO.prefix)  # an ESCO job O*NET has no code for
    if not isinstance(code, str) or not (ONET_RE.match(code) or (esco_only and code == "")):
        problems.append(f"onet_soc: not an O*NET-SOC code: {code!r}")
    for key in ("id", "title", "domain"):
        if key in data and not (isinstance(data[key], str) and data[key].strip()):
            problems.append(f"{key}: needs a non-empty string")
    for key in ("description", "source"):
        if key in data and not isinstance(data[key], str):
            problems.append(f"{key}: needs a string")
    if data.get("esco_uri") is not None and not str(data["esco_uri"]).startswith("http"):
        problems.append(f"esco_uri: not a URI: {data['esco_uri']!r}")
    for key in LIST_FIELDS:
        if key in data and not _is_str_list(data[key]):
            problems.append(f"{key}: needs a list of non-empty strings")
    related = data.get("related")
    if isinstance(related, list) and not all(isinstance(r, str) and ONET_RE.match(r) for r in related):
        problems.append("related: needs O*NET-SOC codes")
    # built from O*NET or ESCO rather than written by hand
    derived = str(data.get("source") or "").startswith((ONET.prefix, ESCO.prefix))
    low, high = ESCO_SKILLS if esco_only else DERIVED_SKILLS if derived else CURATED_SKILLS
    skills = data.get("skills")
    if not isinstance(skills, list) or not low <= len(skills) <= high:
        problems.append(f"skills: needs {low}-{high} skill phrases")
    return problems


def load_occupations() -> list[Occupation]:
    text = resources.files("catalog").joinpath("data/occupations.jsonl").read_text(encoding="utf-8")
    return [Occupation.from_dict(json.loads(line)) for line in text.splitlines() if line.strip()]
