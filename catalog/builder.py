"""`credbot catalog build`: public snapshots + hand-curated records -> the shipped catalog files, deterministically.

Curated records come first (their facts were checked against a provider page), then the snapshots in the order of
SNAPSHOTS; a record whose URL or provider+title is already taken is merged into the first one (the better-sourced
facts win) and counted. Rows a source cannot parse are reported with their source line and left out whole.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from catalog.formats import read_jsonl
from catalog.importers import (
    Imported,
    RowProblem,
    SourceInfo,
    read_coursera,
    read_coursera_records,
    read_edx,
    read_source,
    read_udemy,
)
from catalog.provenance import CURATED, SNAPSHOTS, Snapshot
from catalog.schema import Credential, provider_key
from catalog.validate import check_record, validate

# phrases too generic to tag a record with when they merely occur in its text
GENERIC_PHRASES = frozenset({
    "data", "design", "business", "management", "research", "learning", "science", "software", "computer",
    "language", "health", "planning", "analysis", "development", "strategy", "technology", "communication",
    "writing", "reading", "english", "history", "art", "music", "education", "teaching", "mathematics", "math",
    "statistics", "engineering", "law", "finance", "marketing", "sales",
})  # fmt: skip
SHORT_SKILLS = frozenset({"ai", "ux", "ui", "qa", "hr", "bi", "ml", "ar", "vr", "c#", "c++", "go", "r"})


class BuildError(RuntimeError):
    """The curated input itself is broken (it is ours, so the build stops and says where)."""


@dataclass
class SourceCount:
    read: int = 0  # records the importer produced
    kept: int = 0  # in the final catalog
    merged: int = 0  # the same offering already came from a better source
    problems: int = 0  # rows that could not be parsed, left out


@dataclass
class BuildReport:
    counts: dict[str, SourceCount] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    confirmed: int = 0  # Coursera listings also found in the second Coursera list
    occupations: int = 0
    occupation_notes: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        lines = [f"{'source':<18}{'read':>7}{'kept':>7}{'merged':>8}{'problems':>10}"]
        for name, c in self.counts.items():
            lines.append(f"{name:<18}{c.read:>7}{c.kept:>7}{c.merged:>8}{c.problems:>10}")
        total = sum(c.kept for c in self.counts.values())
        lines.append(f"{'total':<18}{'':>7}{total:>7}")
        if self.confirmed:
            lines.append(f"{self.confirmed} Coursera listings confirmed by the second Coursera list")
        return lines


def info_of(snap: Snapshot) -> SourceInfo:
    return SourceInfo.from_snapshot(snap)


def url_key(url: str) -> str:
    parts = urlsplit(url.strip().lower())
    host = parts.netloc.removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def title_key(provider: str, title: str, language: str = "en") -> str:
    """Same provider, title and language: one offering. Translated copies (Google's certificates in Arabic and
    Japanese share the English title) stay apart, and a title in another script is compared as written."""

    def squash(text: str) -> str:
        low = re.sub(r"^the\s+", "", text.lower())
        ascii_only = re.sub(r"[^a-z0-9]+", "", low)
        return ascii_only if len(ascii_only) >= 4 else " ".join(low.split())

    return f"{squash(provider)}|{squash(title)}|{language.split('-')[0]}"


def read_curated(sources: Path) -> list[Credential]:
    credentials: list[Credential] = []
    problems: list[str] = []
    for path in sorted((sources / "curated").glob("credentials*.jsonl")):
        checked = validate(read_jsonl(path.read_text(encoding="utf-8"), f"curated/{path.name}"))
        problems += [str(p) for p in checked.problems]
        credentials += checked.credentials
    if problems:
        raise BuildError("curated records have problems:\n" + "\n".join(problems[:50]))
    ids = Counter(c.id for c in credentials)
    twice = sorted(i for i, n in ids.items() if n > 1)
    if twice:
        raise BuildError(f"curated ids used twice: {', '.join(twice)}")
    return credentials


def coursera_skills(text: str) -> list[str]:
    """The `course_skills` lists of the Coursera snapshot: part of the skill vocabulary."""
    out: list[str] = []
    for row in csv.DictReader(io.StringIO(text)):
        try:
            value = ast.literal_eval(row.get("course_skills") or "[]")
        except (ValueError, SyntaxError):
            continue
        if isinstance(value, list):
            out += [str(v) for v in value]
    return out


NOISE_PHRASES = frozenset({
    "methods", "focus", "functions", "variables", "numbers", "pages", "how", "get", "google", "express", "objects",
    "combination", "lecture", "effects", "jobs", "sectors", "reports", "purpose", "option", "cost", "studio",
    "execution", "sequences", "map", "art", "dog", "video", "culture", "materials", "environment", "training",
    "project", "professional", "performance", "internet", "quality", "risk", "economy", "disease", "energy",
    "robot", "audience", "computing", "brain", "interfaces", "customer", "chart", "schedule", "graphs", "voice",
    "initiative", "migration", "asset", "animal", "threat", "logic", "sketch", "watson",
    "real world", "professional certificate", "how to", "step by step", "case study", "case studies",
    "final project", "hands-on", "best practices", "get started", "getting started",
})  # fmt: skip


def technology_terms(sources: Path) -> set[str]:
    """O*NET's technology examples (Python, MySQL, Django...): one-word skills that are surely skills."""
    out: set[str] = set()
    for row in csv.DictReader(io.StringIO(read_source(sources / "onet" / "technology_skills.csv").lstrip("\ufeff"))):
        example = " ".join((row.get("Example") or "").lower().split())
        if example and len(example) <= 30:
            out.add(example)
    return out


def is_skill_like(phrase: str, trusted: frozenset[str] | set[str]) -> bool:
    """Scraped skill lists hold words such as "professional", "methods", "variables": a one-word phrase counts
    only when the curated records or occupations use it, O*NET lists it as a technology, or it looks technical."""
    p = " ".join(phrase.lower().split())
    if not p or p in NOISE_PHRASES or p in GENERIC_PHRASES:
        return False
    if " " in p:
        return True
    return p in trusted or bool(re.search(r"[0-9#+.]", p))


def clean_skills(skills: Sequence[str], trusted: frozenset[str] | set[str]) -> list[str]:
    kept = [s for s in skills if is_skill_like(s, trusted)]
    return kept or list(skills[:1])


def skill_vocabulary(phrases: Sequence[str], trusted: frozenset[str] | set[str] | None = None) -> list[str]:
    """Lower-case phrases that can tag a record found in its text: not too short, not too generic, and (given
    `trusted`) skill-like by is_skill_like."""
    vocab: set[str] = set()
    for phrase in phrases:
        p = " ".join(phrase.lower().split()).strip(" .,;:")
        if trusted is not None and not is_skill_like(p, trusted):
            continue
        if not p or len(p) > 40 or p in GENERIC_PHRASES:
            continue
        if len(p) < 3 and p not in SHORT_SKILLS:
            continue
        if p in {"r", "go"}:  # as words in running text these mostly mean something else
            continue
        vocab.add(p)
    return sorted(vocab)


SOURCE_FILES = {
    "coursera": "coursera_courses.csv",
    "coursera-records": "coursera_records.csv",
    "edx": "edx_courses.csv",
    "udemy": "udemy_courses.csv",
}
IMPORTERS = {"coursera": read_coursera, "edx": read_edx, "udemy": read_udemy}


def build_catalog(
    sources: Path, vocabulary_extra: Sequence[str] = ()
) -> tuple[list[Credential], list[str], BuildReport]:
    """-> (credentials sorted by id, the skill vocabulary used, report)."""
    report = BuildReport()
    curated = read_curated(sources)
    texts = {name: read_source(sources / file) for name, file in SOURCE_FILES.items()}
    curated_occupations = [
        json.loads(line) for line in read_source(sources / "curated" / "occupations.jsonl").splitlines() if line
    ]
    trusted = {" ".join(s.lower().split()) for c in curated for s in c.skills}
    trusted |= {" ".join(s.lower().split()) for o in curated_occupations for s in o["skills"]}
    trusted |= technology_terms(sources)
    vocabulary = skill_vocabulary(
        [s for c in curated for s in c.skills] + coursera_skills(texts["coursera"]) + list(vocabulary_extra), trusted
    )
    kept: dict[str, Credential] = {}
    by_url: dict[str, str] = {}
    by_title: dict[str, str] = {}
    origin: dict[str, str] = {}

    def add(credential: Credential, source: str) -> bool:
        keys = (url_key(credential.url), title_key(credential.provider, credential.title, credential.language))
        # curated records are distinct by id even where they share a page (Google's Skillshop exams, Saylor)
        first = None if source == CURATED else by_url.get(keys[0]) or by_title.get(keys[1])
        if first is None and credential.id in kept:
            first = credential.id
        if first is not None:
            report.counts[source].merged += 1
            report.merges.append(f"{source}: {credential.id} merged into {first} ({origin[first]})")
            return False
        kept[credential.id] = credential
        origin[credential.id] = source
        by_url.setdefault(keys[0], credential.id)
        by_title.setdefault(keys[1], credential.id)
        return True

    report.counts[CURATED] = SourceCount(read=len(curated))
    for c in curated:
        add(c, CURATED)
    snaps = {s.name: s for s in SNAPSHOTS}
    for name, reader in IMPORTERS.items():
        snap = snaps[name]
        imported: Imported = reader(texts[name], info_of(snap), vocabulary)
        count = report.counts.setdefault(name, SourceCount())
        count.read = len(imported.records)
        problems: list[RowProblem] = list(imported.problems)
        for record in imported.records:
            record = {**record, "skills": clean_skills(record["skills"], trusted)}
            line = int(record["source"].rsplit("#L", 1)[-1]) if "#L" in record["source"] else 0
            found = check_record(record, SOURCE_FILES[name], line)
            if found:
                problems += [RowProblem(SOURCE_FILES[name], line, f"{p.field}: {p.message}") for p in found]
                continue
            add(Credential.from_dict(record), name)
        count.problems = len(problems)
        report.problems += [str(p) for p in problems]
        if name == "coursera":
            listings = read_coursera_records(texts["coursera-records"], info_of(snaps["coursera-records"]))
            for listing in listings:
                if title_key(listing.organization, listing.title) in by_title:  # the ratings list is in English
                    report.confirmed += 1
                else:
                    report.skipped.append(
                        f"{SOURCE_FILES['coursera-records']}:{listing.line}: {listing.title!r} is not in the "
                        "Coursera snapshot and this list has no URL; not imported"
                    )
    for source in origin.values():
        report.counts[source].kept += 1
    spelled = provider_spellings(list(kept.values()), {c.id for c in curated})
    kept = {cid: c if c.provider == spelled[c.provider] else replace(c, provider=spelled[c.provider])
            for cid, c in kept.items()}  # fmt: skip
    return [kept[i] for i in sorted(kept)], vocabulary, report


def provider_spellings(credentials: Sequence[Credential], curated_ids: set[str]) -> dict[str, str]:
    """One spelling per provider ("The University of Michigan" and "University of Michigan" are one provider for
    the per-provider cap and for "only ..." filters): the curated spelling, else the most used, else the first."""
    by_key: dict[str, Counter[str]] = {}
    preferred: dict[str, str] = {}
    for c in credentials:
        key = provider_key(c.provider)
        by_key.setdefault(key, Counter())[c.provider] += 1
        if c.id in curated_ids:
            preferred.setdefault(key, c.provider)
    out: dict[str, str] = {}
    for key, names in by_key.items():
        best = preferred.get(key) or sorted(names, key=lambda n: (-names[n], n))[0]
        out.update({n: best for n in names})
    return out


def catalog_text(credentials: Sequence[Credential]) -> str:
    return "".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in credentials)


def occupations_text(rows: Sequence[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


DOMAIN_FLOOR = 0.05  # TF-IDF cosine to a domain centroid below which a record is in no domain (guitar lessons)


def assign_domains(credentials: Sequence[Credential], curated: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every record's nearest domain (TF-IDF centroid of the domain's hand-assigned records); the hand-assigned
    ones stay where they are. Records close to none (guitar lessons, say) are in no domain."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{c.title}. {' '.join(c.skills)}. {c.description}" for c in credentials]
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2)
    matrix = vec.fit_transform(texts)
    index = {c.id: i for i, c in enumerate(credentials)}
    names = sorted(curated)
    rows = []
    for name in names:
        members = [index[i] for i in curated[name] if i in index]
        centroid = matrix[members].mean(axis=0)
        rows.append(centroid / max(float((centroid @ centroid.T).item()) ** 0.5, 1e-12))
    import numpy as np

    centroids = np.vstack([np.asarray(r) for r in rows])
    sims = np.asarray(matrix @ centroids.T)
    taken = {i for ids in curated.values() for i in ids}
    out = {name: sorted(i for i in curated[name] if i in index) for name in names}
    for c in credentials:
        if c.id in taken:
            continue
        row = sims[index[c.id]]
        best = int(np.argmax(row))
        if row[best] >= DOMAIN_FLOOR:
            out[names[best]].append(c.id)
    return {name: sorted(ids) for name, ids in out.items()}


def domains_text(domains: dict[str, list[str]]) -> str:
    return json.dumps(domains, indent=1, ensure_ascii=False) + "\n"
