"""The credential record: one frozen dataclass whose field names and units are a public contract (DESIGN.md)."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class CredentialType(StrEnum):
    BADGE = "badge"
    CERTIFICATE = "certificate"
    PROFESSIONAL_CERTIFICATE = "professional-certificate"
    NANODEGREE = "nanodegree"
    MICROMASTERS = "micromasters"
    CERTIFICATION = "certification"
    COURSE_SERIES = "course-series"


class Level(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def rank(self) -> int:
        return list(Level).index(self)


class Format(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in-person"
    HYBRID = "hybrid"


class EarnBy(StrEnum):
    """The ways micro-credentials are earned."""

    ASSIGNMENTS = "assignments"
    LECTURES_SEMINARS = "lectures-seminars"
    PORTFOLIO = "portfolio"
    ASSESSMENT = "assessment"
    CONFERENCES = "conferences"
    WORKPLACE_APPLICATION = "workplace-application"


@dataclass(frozen=True, slots=True)
class Alignment:
    """A link to a skills or occupation framework (ESCO, O*NET, OB3 alignment objects)."""

    framework: str
    code: str
    name: str = ""
    url: str = ""

    def to_dict(self) -> dict[str, str]:
        out = {"framework": self.framework, "code": self.code}
        if self.name:
            out["name"] = self.name
        if self.url:
            out["url"] = self.url
        return out


@dataclass(frozen=True, slots=True)
class Credential:
    id: str
    title: str
    provider: str
    url: str
    description: str
    skills: tuple[str, ...]
    credential_type: CredentialType
    level: Level
    hours: float
    weeks: float
    hours_per_week: float
    cost: float
    currency: str
    format: Format
    language: str
    earn_by: tuple[EarnBy, ...]
    prerequisites: tuple[str, ...]
    alignments: tuple[Alignment, ...] = field(default_factory=tuple)
    source: str = ""
    as_of: str = ""

    @property
    def is_free(self) -> bool:
        return self.cost == 0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict with every schema field, in schema order."""
        return {
            "id": self.id,
            "title": self.title,
            "provider": self.provider,
            "url": self.url,
            "description": self.description,
            "skills": list(self.skills),
            "credential_type": self.credential_type.value,
            "level": self.level.value,
            "hours": _num(self.hours),
            "weeks": _num(self.weeks),
            "hours_per_week": _num(self.hours_per_week),
            "cost": _num(self.cost),
            "currency": self.currency,
            "format": self.format.value,
            "language": self.language,
            "earn_by": [e.value for e in self.earn_by],
            "prerequisites": list(self.prerequisites),
            "alignments": [a.to_dict() for a in self.alignments],
            "source": self.source,
            "as_of": self.as_of,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Credential:
        """Build from an already validated dict (see catalog.validate for untrusted input)."""
        return cls(
            id=data["id"],
            title=data["title"],
            provider=data["provider"],
            url=data["url"],
            description=data["description"],
            skills=tuple(data["skills"]),
            credential_type=CredentialType(data["credential_type"]),
            level=Level(data["level"]),
            hours=float(data["hours"]),
            weeks=float(data["weeks"]),
            hours_per_week=float(data["hours_per_week"]),
            cost=float(data["cost"]),
            currency=data["currency"],
            format=Format(data["format"]),
            language=data["language"],
            earn_by=tuple(EarnBy(e) for e in data["earn_by"]),
            prerequisites=tuple(data.get("prerequisites") or ()),
            alignments=tuple(
                Alignment(
                    framework=str(a.get("framework", "")),
                    code=str(a.get("code", "")),
                    name=str(a.get("name", "")),
                    url=str(a.get("url", "")),
                )
                for a in (data.get("alignments") or ())
            ),
            source=data.get("source", ""),
            as_of=data.get("as_of", ""),
        )

    def content_hash(self) -> str:
        """Stable hash of the record; the embedding cache is keyed by it so only changed records re-embed."""
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def document_text(self) -> str:
        """The text the embedding model sees for this credential."""
        skills = ", ".join(self.skills)
        return f"{self.title}. Skills: {skills}. {self.description}"


FIELD_NAMES: tuple[str, ...] = (
    "id",
    "title",
    "provider",
    "url",
    "description",
    "skills",
    "credential_type",
    "level",
    "hours",
    "weeks",
    "hours_per_week",
    "cost",
    "currency",
    "format",
    "language",
    "earn_by",
    "prerequisites",
    "alignments",
    "source",
    "as_of",
)
LIST_FIELDS = frozenset({"skills", "earn_by", "prerequisites", "alignments"})
OPTIONAL_FIELDS = frozenset({"alignments", "prerequisites"})


def provider_key(name: str) -> str:
    """One provider however it is spelled: "The University of Michigan" = "University of Michigan", "École
    Polytechnique" = "Ecole polytechnique" (used to unify spellings in the build and to filter by provider)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", re.sub(r"^the\s+", "", folded.strip()))


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
