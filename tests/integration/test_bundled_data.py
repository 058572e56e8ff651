"""The shipped catalog and occupations: valid, unique, and as broad as the product promises."""

import json
import re
from collections import Counter
from importlib import resources

from catalog.formats import read_jsonl
from catalog.occupations import check_occupation, load_occupations
from catalog.repository import bundled_text
from catalog.validate import validate

DOMAINS = (
    "education", "communication", "leadership", "customer-service", "software-development", "data-ai",
    "it-cloud-security", "project-management", "marketing-sales", "ux-design", "finance-accounting", "hr-dei",
    "supply-chain-ops", "healthcare", "entrepreneurship", "sustainability", "productivity",
)  # fmt: skip


def bundled():
    result = validate(read_jsonl(bundled_text(), "credentials.jsonl"))
    assert result.ok, "\n".join(str(p) for p in result.problems[:20])
    return result.credentials


def test_catalog_validates_and_is_large_and_varied() -> None:
    creds = bundled()
    assert len(creds) >= 300
    assert len({c.id for c in creds}) == len(creds)
    assert len({c.provider for c in creds}) >= 40
    assert sum(1 for c in creds if c.hours <= 15) >= 20
    assert sum(1 for c in creds if c.cost == 0) >= 20
    assert all(c.source.startswith("https://") and c.as_of for c in creds)
    assert len({c.credential_type for c in creds}) >= 5


def test_every_domain_has_at_least_eight_credentials() -> None:
    creds = {c.id: c for c in bundled()}
    domains = json.loads(resources.files("catalog").joinpath("data/domains.json").read_text())
    assert set(domains) == set(DOMAINS)
    for domain, ids in domains.items():
        assert len(ids) >= 8, domain
        assert all(i in creds for i in ids), domain
    counted = Counter(i for ids in domains.values() for i in ids)
    assert all(n == 1 for n in counted.values())


def _mentions(creds, pattern: str) -> list[str]:
    rx = re.compile(pattern, re.I)
    return [c.id for c in creds if rx.search(" ".join([c.title, c.description, *c.skills]))]


def test_promised_topics_are_covered() -> None:
    creds = bundled()
    assert len(_mentions(creds, r"teach\w* (of )?writing|writing (instruction|project)|c3wp")) >= 3
    assert len(_mentions(creds, r"meeting")) >= 2
    assert len(_mentions(creds, r"e-?mail")) >= 3
    assert len(_mentions(creds, r"customer (service|support)")) >= 8
    assert len(_mentions(creds, r"people management|managing people|leading people|leadership")) >= 8
    assert len(_mentions(creds, r"front[- ]end|html|css|javascript|react")) >= 5


def test_occupations_cover_sixty_roles_with_codes_and_skills() -> None:
    text = resources.files("catalog").joinpath("data/occupations.jsonl").read_text()
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert all(not check_occupation(r) for r in rows), [check_occupation(r) for r in rows if check_occupation(r)]
    occupations = load_occupations()
    assert len(occupations) >= 60
    assert len({o.id for o in occupations}) == len(occupations)
    titles = {n.lower() for o in occupations for n in o.names}
    for role in ("customer support agent", "front-end developer", "data analyst", "team lead", "teacher"):
        assert any(role in t for t in titles), role
    assert {o.domain for o in occupations} >= set(DOMAINS)


def test_each_provider_is_spelled_one_way() -> None:
    """ "The Linux Foundation" and "Linux Foundation" would count as two providers in the per-provider cap."""

    def key(name: str) -> str:
        return re.sub(r"[^a-z]", "", re.sub(r"^the\s+", "", name.lower().strip()))

    spellings: dict[str, set[str]] = {}
    for c in bundled():
        spellings.setdefault(key(c.provider), set()).add(c.provider)
    assert [s for s in spellings.values() if len(s) > 1] == []
