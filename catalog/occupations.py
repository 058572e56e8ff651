"""Occupations people name ("I want to become a data analyst") mapped to framework codes and core skills."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

ONET_RE = re.compile(r"^\d\d-\d{4}\.\d\d$")
OCCUPATION_FIELDS = ("id", "title", "alternative_titles", "onet_soc", "esco_uri", "skills", "domain")


@dataclass(frozen=True, slots=True)
class Occupation:
    id: str
    title: str
    alternative_titles: tuple[str, ...]
    onet_soc: str
    esco_uri: str | None
    skills: tuple[str, ...]
    domain: str

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
        )


def check_occupation(data: dict[str, Any]) -> list[str]:
    problems = []
    for key in OCCUPATION_FIELDS:
        if key not in data:
            problems.append(f"{key}: missing field")
    for key in data:
        if key not in OCCUPATION_FIELDS:
            problems.append(f"{key}: unknown field")
    code = data.get("onet_soc")
    if not isinstance(code, str) or not ONET_RE.match(code):
        problems.append(f"onet_soc: not an O*NET-SOC code: {code!r}")
    skills = data.get("skills")
    if not isinstance(skills, list) or not 10 <= len(skills) <= 25:
        problems.append("skills: needs 10-25 skill phrases")
    return problems


def load_occupations() -> list[Occupation]:
    text = resources.files("catalog").joinpath("data/occupations.jsonl").read_text(encoding="utf-8")
    return [Occupation.from_dict(json.loads(line)) for line in text.splitlines() if line.strip()]
