"""Test doubles that behave like the real parts: a deterministic bag-of-words encoder and sample records."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from catalog.schema import Credential

STOP = {"a", "an", "the", "and", "or", "of", "to", "in", "for", "with", "on", "at", "by", "is", "are", "be", "as"}


@lru_cache(maxsize=200_000)
def _token_vector(token: str, dim: int) -> np.ndarray:
    """Cached: the bundled catalog has ~30k texts to embed and a new generator per token is slow."""
    seed = int.from_bytes(hashlib.sha256(token.encode()).digest()[:8], "little")
    vec = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    vec.flags.writeable = False
    return vec


class FakeEncoder:
    """Texts sharing words get similar vectors; same text, same vector, on every machine. No model load."""

    model_id = "fake-bow-64"
    dim = 64

    def __init__(self) -> None:
        self.query_calls = 0
        self.document_calls = 0
        self.documents_encoded = 0

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            tokens = [t for t in re.findall(r"[a-z0-9+#]+", text.lower()) if t not in STOP]
            for t in tokens or ["empty"]:
                out[i] += _token_vector(t, self.dim)
            out[i] /= np.linalg.norm(out[i]) or 1.0
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.query_calls += 1
        return self._encode(texts)

    def encode_documents(self, texts: Sequence[str], *, batch_size: int = 16) -> np.ndarray:
        self.document_calls += 1
        self.documents_encoded += len(texts)
        return self._encode(texts)


def record(**overrides: Any) -> dict[str, Any]:
    """A valid credential record as a dict; override any field."""
    data: dict[str, Any] = {
        "id": "acme-sql-basics",
        "title": "SQL Basics for Data Analysis",
        "provider": "Acme Academy",
        "url": "https://acme.example.org/sql-basics",
        "description": "Querying relational databases with SQL for reporting.",
        "skills": ["sql", "data analysis", "databases"],
        "credential_type": "certificate",
        "level": "beginner",
        "hours": 12,
        "weeks": 4,
        "hours_per_week": 3,
        "cost": 0,
        "currency": "USD",
        "format": "online",
        "language": "en",
        "earn_by": ["assessment"],
        "prerequisites": [],
        "alignments": [],
        "source": "https://acme.example.org/sql-basics",
        "as_of": "2026-11-29",
    }
    data.update(overrides)
    return data


def credential(**overrides: Any) -> Credential:
    return Credential.from_dict(record(**overrides))


SAMPLE = [
    dict(id="a-sql", title="SQL for Data Analysts", provider="Alpha", skills=["sql", "data analysis", "databases"],
         hours=12, cost=0, level="beginner"),
    dict(id="a-tableau", title="Tableau Dashboards", provider="Alpha",
         skills=["tableau", "data visualization", "dashboards"], hours=20, cost=49, level="beginner"),
    dict(id="b-python-data", title="Python for Data Analysis", provider="Beta",
         skills=["python", "pandas", "data analysis"], hours=40, cost=0, level="intermediate"),
    dict(id="b-ml", title="Machine Learning Specialization", provider="Beta",
         skills=["machine learning", "python", "statistics"], hours=90, cost=300, level="advanced"),
    dict(id="c-excel", title="Excel Skills for Business", provider="Gamma",
         skills=["excel", "spreadsheets", "data analysis"], hours=30, cost=0, level="beginner"),
    dict(id="c-meetings", title="Running Productive Meetings", provider="Gamma",
         skills=["meeting facilitation", "agenda setting", "communication"], hours=2, cost=0, level="beginner"),
    dict(id="d-cs-email", title="Writing Customer Service Emails", provider="Delta",
         skills=["customer service", "business writing", "email etiquette"], hours=3, cost=30, level="beginner"),
    dict(id="d-leadership", title="Leading People and Teams", provider="Delta",
         skills=["leadership", "people management", "coaching", "feedback"], hours=60, cost=200,
         level="intermediate"),
    dict(id="e-frontend", title="Front-End Web Development", provider="Epsilon",
         skills=["html", "css", "javascript", "react"], hours=300, cost=0, level="beginner", format="online"),
    dict(id="e-bootcamp", title="Web Development Bootcamp (in person)", provider="Epsilon",
         skills=["html", "css", "javascript"], hours=400, cost=9000, level="beginner", format="in-person"),
]  # fmt: skip


def sample_catalog() -> list[Credential]:
    out = []
    for item in SAMPLE:
        hours = item["hours"]
        out.append(
            credential(
                **item,
                url=f"https://example.org/{item['id']}",
                source=f"https://example.org/{item['id']}",
                description=f"{item['title']}: " + ", ".join(item["skills"]) + ".",
                weeks=max(1, hours / 5),
                hours_per_week=5,
            )
        )
    return out
