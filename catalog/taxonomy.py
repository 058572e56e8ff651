"""O*NET + ESCO snapshots -> the occupations people name, with tasks, tools and target skills, deterministically.

Why a build and not a hand list: people name hundreds of jobs ("plumber", "ward nurse", "ios dev"), and a skill gap
needs each one's core skills. O*NET gives one occupation per O*NET-SOC code with its description, task statements
and technology; ESCO adds the titles used in Europe ("nurse responsible for general care"), linked to O*NET by
TF-IDF over titles and descriptions; a short curated synonym list covers everyday titles neither has ("web dev").
The hand-written occupations stay as overrides: their id, title, skills and domain win, and O*NET fills in what
they lack. Plain Python and scikit-learn, no model and no clock, so two builds give the same bytes.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from catalog.occupations import DERIVED_SKILLS, OCCUPATION_FIELDS, check_occupation
from catalog.provenance import CURATED, ESCO, ONET

ONET_DIR = "onet"
ESCO_FILE = "esco/occupations_en.csv"
CURATED_FILE = "curated/occupations.jsonl"
SYNONYMS_FILE = "curated/title_synonyms.json"

MAX_TASKS = 12
MAX_TECHNOLOGY = 10
MAX_RELATED = 5
MAX_ESCO_LABELS = 20  # per O*NET occupation
MAX_LABEL_CHARS = 60
MAX_SKILL_CHARS = 40  # a skill is a short phrase; longer tool names are product names, not things to learn
SKILL_MIN = 10  # what a derived entry aims for; check_occupation accepts DERIVED_SKILLS[0] for the few that name little
TASK_SKILLS = 12  # vocabulary phrases first (what the work is), then tools, then more of both up to SKILL_TARGET
TECH_SKILLS = 8
SKILL_TARGET = 20
SKILL_SPREAD_CAP = 0.06  # a phrase in more than this share of occupations' task text says nothing about any of them
COMMON_TOOL = 0.25  # a tool listed by more than this share of occupations (Excel, Outlook) is no target skill

# ESCO -> O*NET link: cosine of sublinear TF-IDF word 1-2 grams over titles (ESCO: preferred and alternative labels;
# O*NET: singular and plural title without its "Except ..." part, and each title our curated files give the code,
# the best of these), over the preferred label alone, and over descriptions (O*NET's with its task statements),
# minus a penalty when the ESCO title's role word is not one of the O*NET title's, a bigger one when one is a lead
# and the other not ("contact centre manager" is no customer service representative). Chosen on 96 hand-labelled
# ESCO titles: at this floor 71 land on the right O*NET occupation, 9 on a wrong one (mostly a sibling: "general
# practitioner" -> nurse practitioners, "veterinary nurse" -> registered nurses), 16 stay unlinked; of a sample of
# links just above the floor about two in three were right, below it most were wrong.
W_TITLE, W_PREFERRED, W_DESCRIPTION, W_ROLE_MISMATCH, W_RANK_MISMATCH = 0.4, 0.2, 0.4, 0.12, 0.2
LINK_FLOOR = 0.16
PARENT_SHARE = 0.7  # an O*NET specialisation (.01) wins over its .00 parent only when clearly closer
ROLE_WORDS = frozenset({
    "manager", "supervisor", "assistant", "technician", "engineer", "operator", "director", "officer", "clerk",
    "worker", "analyst", "specialist", "consultant", "inspector", "teacher", "lecturer", "instructor", "designer",
    "developer", "driver", "agent", "representative", "aide", "helper", "coordinator", "administrator",
    "scientist", "therapist", "nurse", "attendant", "installer", "repairer", "mechanic", "drafter", "technologist",
    "cook", "chef", "salesperson", "seller", "planner", "scheduler", "dispatcher", "controller", "auditor",
    "examiner", "estimator", "trainer", "editor", "writer", "producer", "artist", "head", "chief", "foreman",
    "leader", "superintendent",
})  # fmt: skip
LEAD_ROLES = frozenset({"manager", "director", "supervisor", "head", "chief", "foreman", "leader", "superintendent"})
RELATED_TIERS = {"Primary-Short": 0, "Primary-Long": 1, "Supplemental": 2}

# O*NET-SOC code prefix -> domain; the longest matching prefix wins. Most names are the credential domains of
# catalog/data/domains.json; jobs none of those fits get one of their own (engineering, trades-construction,
# manufacturing-repair, transportation, hospitality-food, public-safety, arts-media, science-research, legal,
# personal-care, agriculture, social-services).
DEFAULT_DOMAIN = "leadership"  # for a code outside every prefix below (none in the 2025 snapshot)
DOMAIN_PREFIXES: dict[str, str] = {
    "11-": "leadership", "11-2": "marketing-sales", "11-2032": "communication", "11-2033": "communication",
    "11-3012": "productivity", "11-3013": "supply-chain-ops", "11-3021": "it-cloud-security",
    "11-3031": "finance-accounting", "11-3051": "supply-chain-ops", "11-3061": "supply-chain-ops",
    "11-3071": "supply-chain-ops", "11-31": "hr-dei", "11-9013": "agriculture", "11-9021": "trades-construction",
    "11-903": "education", "11-9041": "engineering", "11-905": "hospitality-food", "11-907": "hospitality-food",
    "11-9081": "hospitality-food", "11-9111": "healthcare", "11-9121": "science-research",
    "11-9161": "public-safety", "11-917": "personal-care", "11-9199.01": "legal", "11-9199.02": "legal",
    "11-9199.08": "public-safety", "11-9199.09": "sustainability", "11-9199.10": "sustainability",
    "11-9199.11": "sustainability",
    "13-1": "project-management", "13-1011": "arts-media", "13-102": "supply-chain-ops",
    "13-103": "finance-accounting", "13-1041": "legal", "13-1041.03": "hr-dei", "13-1051": "finance-accounting",
    "13-107": "hr-dei", "13-1074": "agriculture", "13-1081": "supply-chain-ops", "13-1131": "communication",
    "13-114": "hr-dei", "13-1151": "hr-dei", "13-116": "marketing-sales", "13-1199.05": "sustainability",
    "13-1199.06": "entrepreneurship", "13-1199.07": "public-safety", "13-2": "finance-accounting",
    "15-1": "it-cloud-security", "15-1211.01": "healthcare", "15-1221": "data-ai", "15-1243": "data-ai",
    "15-125": "software-development", "15-1255": "ux-design", "15-1299.02": "data-ai",
    "15-1299.03": "productivity", "15-1299.07": "software-development", "15-1299.09": "project-management",
    "15-2": "data-ai", "15-2011": "finance-accounting",
    "17-": "engineering", "17-2081": "sustainability", "17-2199.03": "sustainability",
    "17-2199.1": "sustainability", "19-": "science-research", "19-2041": "sustainability",
    "21-": "social-services", "21-1091": "healthcare", "21-1094": "healthcare", "23-": "legal",
    "25-": "education", "27-": "arts-media", "27-1024": "ux-design", "27-302": "communication",
    "27-303": "communication", "27-304": "communication", "27-309": "communication",
    "29-": "healthcare", "31-": "healthcare", "33-": "public-safety", "35-": "hospitality-food",
    "37-": "hospitality-food", "37-1012": "agriculture", "37-3": "agriculture", "39-": "personal-care",
    "39-1": "hospitality-food", "39-3": "hospitality-food", "39-7": "hospitality-food",
    "41-": "marketing-sales", "43-": "productivity", "43-1011": "leadership", "43-2": "customer-service",
    "43-3": "finance-accounting", "43-4051": "customer-service", "43-5": "supply-chain-ops",
    "45-": "agriculture", "47-": "trades-construction", "47-2231": "sustainability", "47-4011.01": "sustainability",
    "49-": "manufacturing-repair", "51-": "manufacturing-repair", "53-": "transportation",
    "53-7": "supply-chain-ops", "55-": "public-safety",
}  # fmt: skip


# Vocabulary phrases that occur in O*NET task text without naming anything a course teaches, read off the phrases
# most occupations' text contains ("professional", "meeting", "chart"). Plural single words ("stocks", "tables")
# are left out by rule: in task text they are the things worked on, not skills.
VAGUE_PHRASES = frozenset({
    "professional", "meeting", "emergency", "presentation", "chart", "disease", "distribution", "environment",
    "purpose", "risk", "lecture", "combination", "implementation", "measurement", "hardware", "list", "animal",
    "message", "option", "experiment", "intervention", "prototype", "employment", "asset", "stress", "speech",
    "audience", "interpretation", "arranging", "threat", "voice", "culture", "focus", "initiative", "logic",
    "methodology", "competition", "clarity", "studio", "spring", "incentive", "backup", "execution", "influence",
    "cancer", "infant", "intake", "reason", "brain", "net", "framing", "masking", "cam", "economy", "hydrogen",
    "motivation", "express", "upload", "estimator", "virus", "dictionary", "justice", "inclusive", "harmony",
    "rhythm", "confidence", "armature", "respect", "toe", "flask", "playwright", "migration", "inheritance", "lean",
    "validation", "tracing", "debt", "workflow", "computing", "reliability", "classification", "simulation",
    "consulting", "reporting", "sketch", "surveillance", "cloud", "wireless", "logo", "melody", "singing", "poetry",
    "guitar", "variability", "attribution", "reasoning", "syntax", "creativity", "resilience", "mapping", "map",
    "brand", "energy", "video", "observation", "follow-up", "photography", "procurement", "dog", "robot", "sorting",
    "medicine", "building operations", "editing", "sampling", "certification", "questioning", "branding",
    "data", "design", "business", "management", "research", "learning", "science", "software", "computer",
    "language", "health", "planning", "analysis", "development", "strategy", "technology", "communication",
    "writing", "reading", "english", "history", "art", "music", "education", "teaching", "mathematics", "math",
    "statistics", "engineering", "law", "finance", "marketing", "sales", "health care", "healthcare",
    "service workers", "customer needs", "medical conditions", "prepare data", "materials and resources",
    "goals and objectives", "nervous system", "musculoskeletal system", "cardiovascular system",
    "supply and demand", "plan implementation", "service standards", "design alternatives",
    "production environments", "data sources", "file systems", "eligibility requirements", "best practice",
    "social skills", "project feasibility", "customer accounts", "product specification", "training needs",
    "personal development", "interest rate", "information technology", "manufacturing process",
})  # fmt: skip
SHORT_PHRASES = frozenset({"ai", "ux", "ui", "qa", "hr", "bi", "ml", "ar", "vr", "c#", "c++"})
SHORT_TOOLS = frozenset({"r", "c", "go"})  # too short to find in running text, fine as a tool's name
GENERIC_HEADS = frozenset({
    "developer", "engineer", "manager", "analyst", "specialist", "designer", "technician", "worker", "officer",
    "assistant", "operator", "coordinator", "administrator", "consultant", "dev", "lead", "director", "apprentice",
    "trainee", "helper",
})  # fmt: skip  # one-word labels too vague to be a title, and words that do not tell two titles apart
NOT_PLURAL = frozenset({
    "sales", "arts", "parts", "news", "goods", "gas", "bus", "physics", "economics", "mathematics", "statistics",
    "electronics", "logistics", "athletics", "ethics", "series",
})  # fmt: skip
NOT_HEADS = frozenset({  # plural nouns in O*NET titles that are no people: "Compensation, Benefits, and ..."
    "benefits", "products", "operations", "materials", "services", "systems", "sciences", "resources", "relations",
    "affairs", "forces", "fibers", "furnishings", "biofuels",
})  # fmt: skip
KEEP_CASE = frozenset({"English"})
BRITISH = (  # ESCO writes British English and "ICT", O*NET American English and "computer": (cheap test, rule)
    ("ict", r"\bict\b", "computer information technology"),
    ("primary", r"\bprimary (school|education)", r"elementary \1"),
    ("lorry", r"\blorry\b", "truck"),
    ("solicitor", r"\bsolicitor\b", "lawyer"),
    ("tyre", r"\btyres?\b", "tire"),
    ("mould", r"\bmould", "mold"),
    ("jewellery", r"\bjewellery\b", "jewelry"),
    ("aluminium", r"\baluminium\b", "aluminum"),
    ("programme", r"\bprogramme", "program"),
)
BRITISH_RE = [(literal, re.compile(pattern), repl) for literal, pattern, repl in BRITISH]
TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9+#]*(?:\.[a-z0-9]+)*")
STOP = frozenset({
    "a", "an", "and", "or", "the", "of", "for", "to", "in", "on", "at", "by", "with", "as", "from", "into", "such",
    "other", "all", "except", "their", "they", "them", "this", "that", "these", "those", "be", "is", "are", "may",
    "also", "including", "who", "which", "various", "related", "etc", "e.g",
})  # fmt: skip
EXCEPT_RE = re.compile(r",\s*(except|all other)\b.*$", re.IGNORECASE)  # "Teachers, Except Special Education"
ROLE_CUT_RE = re.compile(r"\s(?:for|of|in|with)\s|\s-\s")  # "nurse responsible for general care" -> its role word
SEPARATOR_RE = re.compile(r"(,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|/)")
GENDER_PAIRS = frozenset({("master", "mistress"), ("monk", "nun"), ("man", "woman")})


# ----------------------------------------------------------------------------------------------- words and titles


@cache
def word_key(word: str) -> str:
    """One key for the singular and plural, British and American spelling of a lower-case word."""
    w = word.removesuffix("'s")
    if w in NOT_PLURAL or len(w) <= 3:
        return w
    w = w.replace("ae", "e").replace("our", "or")
    w = re.sub(r"tre$", "ter", w)
    w = re.sub(r"is(e|ed|es|ing|er|ers|ation|ations)$", r"iz\1", w)
    w = re.sub(r"yse$", "yze", w)
    if w.endswith("wives"):
        return w[:-3] + "fe"
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    if w.endswith("men") and len(w) > 4:
        return w[:-3] + "man"
    return w


@cache
def keys(text: str) -> tuple[str, ...]:
    """A text's words as matching keys: "Patient care plans" and "patient care plan" have the same keys."""
    return tuple(word_key(t) for t in TOKEN_RE.findall(text.lower()))


def compact(phrase: str) -> str:
    """One key per skill: "health care" and "healthcare", "web services" and "web service" are one."""
    return "".join(keys(phrase))


@cache
def content_words(name: str) -> frozenset[str]:
    """The words of a title that tell it from others ("mobile", "app"; not "developer")."""
    return frozenset(k for k in keys(name) if k not in GENERIC_HEADS and k not in STOP)


def analyzer_tokens(text: str) -> list[str]:
    """Words for TF-IDF: British/ICT wording mapped to O*NET's, stop words out, plurals folded."""
    low = text.lower()
    for literal, pattern, repl in BRITISH_RE:
        if literal in low:  # most texts have none of these, and the test is much cheaper than the regex
            low = pattern.sub(repl, low)
    return [word_key(t) for t in TOKEN_RE.findall(low) if t not in STOP]


def word_grams(text: str) -> list[str]:
    """Unigrams and bigrams of analyzer_tokens: what the TF-IDF vectors count."""
    words = analyzer_tokens(text)
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def _plural(word: str) -> bool:
    """A plural person noun, as the last word of a part of an O*NET title."""
    w = word.lower()
    return len(w) > 3 and w.endswith("s") and w not in NOT_PLURAL | NOT_HEADS and not w.endswith(("ss", "us", "is"))


def _singular(word: str) -> str:
    low = word.lower()
    if low.endswith("wives"):  # midwives
        return word[:-3] + "fe"
    if low.endswith("ies"):
        return word[:-3] + "y"
    if low.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if low.endswith("men"):
        return word[:-3] + "man"
    return word[:-1]


def _sentence(text: str) -> str:
    words = [w if w in KEEP_CASE else w.lower() for w in text.split(" ")]
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def display_title(onet_title: str) -> tuple[str, frozenset[str]]:
    """O*NET's plural title as one person's job, and the keys of its head nouns.

    "Software Developers" -> "Software developer"; "Secretaries and Administrative Assistants, Except Legal" ->
    "Secretary and administrative assistant, except legal": the last word of each listed part is singularised up
    to " of ", and after the first plural a comma part that is no plural ("Except Legal", "Metal") ends the list;
    "Helpers--Carpenters" -> "Helper to carpenters"."""
    if "--" in onet_title:
        helper, rest = onet_title.split("--", 1)
        head = _singular(helper) if _plural(helper) else helper
        return _sentence(f"{head} to {rest}"), frozenset({word_key(head.lower())})
    main, sep, tail = onet_title.partition(" of ")
    parts = SEPARATOR_RE.split(main)  # words, separator, words, ...
    heads: set[str] = set()
    for i in range(0, len(parts), 2):
        words = parts[i].split(" ")
        if _plural(words[-1]):
            words[-1] = _singular(words[-1])
            heads.add(word_key(words[-1].lower()))
            parts[i] = " ".join(words)
        elif heads and i and parts[i - 1].startswith(","):
            break
    return _sentence("".join(parts) + sep + tail), frozenset(heads)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def clean_label(text: str) -> str:
    return " ".join(text.lower().split()).strip(" .,;:")


def split_slash(label: str) -> list[str]:
    """ESCO's "waiter/waitress", "head waiter/head waitress", "mask designer/maker": the titles meant.

    Gendered pairs split into both; "a b/c" into "a b" and "a c"; "a/b c" into "a c" and "b c" (not when "a" is a
    job on its own: "writer/fact checker"); anything else is left out rather than guessed at."""
    if "/" not in label:
        return [label]
    if label.count("/") > 1:
        return []
    left, right = (p.split() for p in label.split("/"))
    if not left or not right:
        return []

    def gendered(a: str, b: str) -> bool:
        return (len(a) >= 3 and a[:3] == b[:3]) or (a, b) in GENDER_PAIRS or (b, a) in GENDER_PAIRS

    if len(left) == len(right) and left[:-1] == right[:-1] and gendered(left[-1], right[-1]):
        return [" ".join(left), " ".join(right)]  # "actor/actress", "head waiter/head waitress"
    if len(left) == 1 and len(right) >= 2 and left[0] != right[0] and gendered(left[0], right[0]):
        return [" ".join([left[0], *right[1:]]), " ".join(right)]  # "foreman/forewoman shunter"
    if len(right) == 1 and len(left) >= 2:
        return [" ".join(left), " ".join([*left[:-1], right[0]])]
    if len(left) == 1 and len(right) == 2 and not re.search(r"(er|or|ist|ian)$", left[0]):
        return [" ".join([left[0], right[-1]]), " ".join(right)]
    if len(left) == 1 and len(right) == 1:
        return [left[0], right[0]]
    return []


def holds_title(name: str, onet_title: str) -> bool:
    """A curated name that is the O*NET title or holds it: "Nurse (registered nurse)" and "Registered Nurses"."""
    name_keys = keys(name)
    for title in (display_title(onet_title)[0], onet_title):
        k = keys(title)
        if any(name_keys[i : i + len(k)] == k for i in range(len(name_keys) - len(k) + 1)):
            return True
    return False


def names_of(row: dict[str, Any]) -> list[str]:
    return [row["title"], *row["alternative_titles"], *row.get("_onet", []), *row.get("_extra", [])]


# ------------------------------------------------------------------------------------------------ reading sources


@dataclass
class OnetRow:
    code: str
    title: str
    description: str
    line: int  # line of the row in occupation_data.csv, for its source URL
    core_tasks: list[str] = field(default_factory=list)
    other_tasks: list[str] = field(default_factory=list)
    technology: list[tuple[str, bool, bool]] = field(default_factory=list)  # (example, hot, in demand)
    related: list[tuple[int, int, str]] = field(default_factory=list)  # (tier, index, code)

    @property
    def tasks(self) -> list[str]:
        return self.core_tasks or self.other_tasks

    @property
    def texts(self) -> list[str]:
        return [*self.core_tasks, *self.other_tasks, self.description]


@dataclass
class EscoConcept:
    uri: str
    preferred: str
    labels: list[str]  # lower case, split at "/", none over MAX_LABEL_CHARS; the preferred label's first
    description: str
    isco: str = ""  # ISCO-08 unit group ("7221"), for the domain of an ESCO-only entry
    line: int = 0  # where the concept's row starts in occupations_en.csv, for its source URL


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """CSV rows with the line each starts on; the snapshots start with a UTF-8 BOM."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        out: list[tuple[int, dict[str, str]]] = []
        start = 2
        for row in reader:
            out.append((start, row))
            start = reader.line_num + 1
        return out


def read_onet(folder: Path) -> dict[str, OnetRow]:
    rows: dict[str, OnetRow] = {}
    for line, r in read_rows(folder / "occupation_data.csv"):
        code = r["O*NET-SOC Code"]
        rows[code] = OnetRow(code, r["Title"].strip(), " ".join(r["Description"].split()), line)
    for _, r in read_rows(folder / "task_statements.csv"):
        if row := rows.get(r["O*NET-SOC Code"]):
            task = " ".join(r["Task Title"].split())
            (row.core_tasks if r["Task Type"] == "Core" else row.other_tasks).append(task)
    for _, r in read_rows(folder / "technology_skills.csv"):
        if row := rows.get(r["O*NET-SOC Code"]):
            row.technology.append((r["Example"].strip(), r["Hot Technology"] == "Y", r["In Demand"] == "Y"))
    for _, r in read_rows(folder / "related_occupations.csv"):
        if row := rows.get(r["O*NET-SOC Code"]):
            tier = RELATED_TIERS.get(r["Relatedness Tier"], len(RELATED_TIERS))
            row.related.append((tier, int(r["Index"] or 0), r["Related O*NET-SOC Code"]))
    return rows


def read_esco(path: Path) -> list[EscoConcept]:
    out = []
    for line, r in read_rows(path):
        labels: list[str] = []
        for text in [r["preferredLabel"], *r["altLabels"].split("\n")]:  # hidden labels are misspellings ("plummer")
            for label in split_slash(clean_label(text)):
                if label and len(label) <= MAX_LABEL_CHARS and label not in labels:
                    labels.append(label)
        preferred = clean_label(r["preferredLabel"])
        out.append(EscoConcept(r["conceptUri"], preferred, labels, r["description"], r["iscoGroup"], line))
    return out


def read_curated(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    bad = [f"{path.name}:{i}: {p}" for i, r in enumerate(rows, 1) for p in check_occupation(r)]
    if bad:
        raise ValueError("curated occupations have problems:\n" + "\n".join(bad))
    return rows


# ----------------------------------------------------------------------------------------------------- ESCO links


@dataclass(frozen=True)
class Link:
    concept: int  # index into the ESCO list
    code: str
    score: float


def _identity(doc: list[str]) -> list[str]:
    return doc


def link_esco(
    onet: Sequence[OnetRow],
    esco: Sequence[EscoConcept],
    known_titles: dict[str, list[str]] | None = None,
    floor: float = LINK_FLOOR,
) -> list[Link]:
    """Each ESCO occupation's closest O*NET occupation, kept when the weighted similarity reaches `floor`.

    `known_titles` (code -> titles our curated files already give it: "staff nurse", "ios developer") are matched
    beside the O*NET title, so ESCO's "nurse responsible for general care" (alias "ward nurse") finds Registered
    Nurses, and "mobile application developer" Software Developers."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    def similarity(onet_docs: list[str], esco_docs: list[str], min_df: int) -> Any:
        """ESCO x O*NET-side cosine of sublinear TF-IDF word 1-2 grams fitted on both, each text tokenized once."""
        grams = [word_grams(d) for d in onet_docs + esco_docs]
        matrix = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=min_df, dtype=np.float64).fit_transform(
            grams
        )
        return (matrix[len(onet_docs) :] @ matrix[: len(onet_docs)].T).toarray()

    # the title side: each code's O*NET title and known titles apart (one long text would dilute the O*NET title),
    # the best of them counting
    known = known_titles or {}
    owner: list[int] = []
    titles: list[str] = []
    for j, o in enumerate(onet):
        plain = EXCEPT_RE.sub("", o.title)
        for text in [f"{display_title(plain)[0]}. {plain}", *known.get(o.code, [])]:
            owner.append(j)
            titles.append(text)

    def best_title(sims: Any) -> Any:
        best = np.zeros((sims.shape[0], len(onet)))
        for k, j in enumerate(owner):
            np.maximum(best[:, j], sims[:, k], out=best[:, j])
        return best

    esco_titles = [f"{e.preferred}. {e.preferred}. {'. '.join(e.labels)}" for e in esco]
    score = W_TITLE * best_title(similarity(titles, esco_titles, 1))
    score += W_PREFERRED * best_title(similarity(titles, [e.preferred for e in esco], 1))
    score += W_DESCRIPTION * similarity(
        [" ".join([o.description, *o.tasks]) for o in onet], [e.description for e in esco], 2
    )
    heads = [display_title(o.title)[1] for o in onet]
    leads = np.array([bool(h & LEAD_ROLES) for h in heads])
    role_of = [(analyzer_tokens(ROLE_CUT_RE.split(e.preferred)[0]) or [""])[-1] for e in esco]
    for role in sorted(ROLE_WORDS & set(role_of)):
        concepts = np.array([i for i, r in enumerate(role_of) if r == role])
        score[np.ix_(concepts, np.flatnonzero([role not in h for h in heads]))] -= W_ROLE_MISMATCH
        score[np.ix_(concepts, np.flatnonzero(leads != (role in LEAD_ROLES)))] -= W_RANK_MISMATCH  # manager/agent
    index = {o.code: j for j, o in enumerate(onet)}
    links = []
    for i in range(len(esco)):
        j = int(np.argmax(score[i]))  # the first maximum: O*NET order breaks ties
        parent = index.get(onet[j].code[:8] + "00")
        if parent is not None and parent != j and score[i, parent] >= PARENT_SHARE * score[i, j]:
            j = parent
        if score[i, j] >= floor:
            links.append(Link(i, onet[j].code, round(float(score[i, j]), 6)))
    return links


def esco_labels(links: Sequence[Link], esco: Sequence[EscoConcept]) -> list[str]:
    """The labels of an O*NET code's linked ESCO occupations, best link first and taking turns: each one's first
    label, then each one's second...; within one, the preferred label, then the shorter. Generic one-word labels
    ("developer") and "x in y" variants of a label that is there are left out."""
    ranked = []
    for link in links:
        first, *rest = esco[link.concept].labels or [""]
        ranked.append([first, *sorted(rest, key=lambda lab: (len(lab.split()), len(lab), lab))])
    every = {lab for labels in ranked for lab in labels}
    out: list[str] = []
    for label in itertools.chain.from_iterable(itertools.zip_longest(*ranked)):
        if not label or label in out or (" " not in label and label in GENERIC_HEADS):
            continue
        head, sep, _ = label.partition(" in ")
        if not (sep and head in every):  # "rental advisor in trucks" when "rental advisor" is there
            out.append(label)
    return out


# ------------------------------------------------------------------------------------------------ skills and tools


class PhraseIndex:
    """Vocabulary phrases found in running text by word keys, so "patient care plans" finds "patient care"."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.phrases: dict[tuple[str, ...], str] = {}
        for phrase in sorted({clean_label(p) for p in vocabulary}, key=lambda p: (len(p), p)):
            k = keys(phrase)
            if k and self.usable(phrase, k):
                self.phrases.setdefault(k, phrase)
        self.longest = max((len(k) for k in self.phrases), default=0)
        self.first = {k[0] for k in self.phrases}

    @staticmethod
    def usable(phrase: str, k: tuple[str, ...]) -> bool:
        if phrase in VAGUE_PHRASES or len(k) > 5 or len(phrase) > MAX_SKILL_CHARS or any(c.isdigit() for c in phrase):
            return False
        if len(phrase) < 3 and phrase not in SHORT_PHRASES:
            return False
        return not (len(k) == 1 and k[0] != phrase)  # a plural single word: "stocks", "tables"

    def find(self, text: str) -> list[str]:
        """Phrases in the text, the longest match at each place, left to right."""
        ks = keys(text)
        found, i = [], 0
        while i < len(ks):
            if ks[i] in self.first:
                for n in range(min(self.longest, len(ks) - i), 0, -1):
                    phrase = self.phrases.get(ks[i : i + n])
                    if phrase is not None:
                        found.append(phrase)
                        i += n - 1
                        break
            i += 1
        return found

    def mentions(self, row: OnetRow) -> Counter[str]:
        """Phrase -> how many of the occupation's task statements (and its description) name it."""
        found: Counter[str] = Counter()
        for text in row.texts:
            found.update(set(self.find(text)))
        return found


def pick_technology(row: OnetRow, listed_by: Counter[str]) -> list[str]:
    """Hot technologies first, then in-demand ones, then the more specific (listed by fewer occupations)."""
    flags = _tool_flags(row)
    ranked = sorted(flags, key=lambda x: (not flags[x][0], not flags[x][1], listed_by[x], x.lower(), x))
    return ranked[:MAX_TECHNOLOGY]


def _tool_flags(row: OnetRow) -> dict[str, tuple[bool, bool]]:
    flags: dict[str, tuple[bool, bool]] = {}
    for example, hot, demand in row.technology:
        was = flags.get(example, (False, False))
        flags[example] = (was[0] or hot, was[1] or demand)
    return flags


def tool_skill(example: str, vocabulary: dict[str, str]) -> str:
    """A technology example as a skill phrase, in the catalog's words where it has them: "Oracle Java" -> "java",
    "Autodesk AutoCAD" -> "autocad", "Structured query language SQL" -> "sql", "Computer aided design CAD
    software" -> "cad software". `vocabulary` (compact key -> phrase) holds only names safe to shorten to."""
    words = example.removeprefix("The ").split()
    for n in range(len(words), 0, -1):  # the longest tail of the name the vocabulary knows
        if (known := vocabulary.get(compact(" ".join(words[-n:])))) is not None:
            return known
    suffix = []
    if len(words) > 1 and words[-1] == "software":
        words, suffix = words[:-1], ["software"]
    acronym = words[-1] if len(words) >= 3 and words[-1].isupper() and len(words[-1]) >= 2 else ""
    if acronym and acronym.lower() == "".join(w[0] for w in words[:-1]).lower()[-len(acronym) :]:
        if compact(acronym) in vocabulary:  # "Amazon Web Services AWS software" -> "aws"
            return vocabulary[compact(acronym)]
        words = [acronym]
    return " ".join([*words, *suffix]).lower()


def skill_tools(
    row: OnetRow, listed_by: Counter[str], total: int, skill_of: dict[str, str], vocabulary: dict[str, str]
) -> list[tuple[str, str]]:
    """The occupation's technology as (skill phrase, kind), best first. "own": in-demand ones (job ads for this
    occupation ask for them), hot ones and ones the catalog names, the mainstream first, since a vendor's niche
    product is not something people study for; "common": such tools most occupations list ("microsoft excel");
    "other": the rest ("gps software", "ziatek roofdraw"). `skill_of` is tool_skill of every example."""
    flags = _tool_flags(row)
    out = []
    for example in sorted(flags, key=lambda x: (not flags[x][1], not flags[x][0], -listed_by[x], x.lower(), x)):
        skill = skill_of[example]
        if len(skill) > MAX_SKILL_CHARS:  # "thoughtful systems scheduling manager for auto detailing"
            continue
        if not (any(flags[example]) or compact(skill) in vocabulary):
            out.append((skill, "other"))
        else:
            out.append((skill, "common" if listed_by[example] > COMMON_TOOL * total else "own"))
    return out


def _add(chosen: list[str], seen: set[str], items: Iterable[str], limit: int) -> None:
    """Append items not yet chosen (one per compact key) until `chosen` holds `limit`."""
    for item in items:
        if len(chosen) >= limit:
            return
        k = compact(item)
        if k and k not in seen:
            seen.add(k)
            chosen.append(item)


def task_phrases(per_task: Counter[str], spread: Counter[str], total: int) -> list[str]:
    """Vocabulary phrases the occupation's tasks name, the most-named first, then the more specific."""
    usable = (p for p in per_task if spread[p] <= SKILL_SPREAD_CAP * total)
    return sorted(usable, key=lambda p: (-per_task[p], spread[p], p))


def pick_skills(phrases: Sequence[str], tools: Sequence[tuple[str, str]]) -> list[str]:
    """Course-sized skills for a derived entry: phrases its tasks name (task_phrases), then its own tools, then more
    of both up to SKILL_TARGET. `tools` come from skill_tools; office and niche tools are left to fill_up."""
    own_tools = [t for t, kind in tools if kind == "own"]
    chosen: list[str] = []
    seen: set[str] = set()
    _add(chosen, seen, phrases, TASK_SKILLS)
    _add(chosen, seen, own_tools, len(chosen) + TECH_SKILLS)
    _add(chosen, seen, [*phrases, *own_tools], SKILL_TARGET)
    return chosen


def fill_up(
    own: dict[str, list[str]],
    phrases: dict[str, list[str]],
    tools: dict[str, list[tuple[str, str]]],
    related: dict[str, list[str]],
    farther: dict[str, list[str]],
) -> dict[str, list[str]]:
    """Entries naming fewer than SKILL_MIN skills take, up to it, what the tasks of the closest related occupations
    name: the nearest jobs' work is a better gap than none. Their tools are not taken (a barber's "adobe photoshop"
    is no hairdresser's skill), so some entries stay below SKILL_MIN. Under the DERIVED_SKILLS floor (short-order
    cooks: the catalog teaches little of their work) they take their own office tools, then their other kinds of
    tool ("pos software"), then the task phrases of farther related occupations, then their named products, then
    what the related occupations list at all."""
    out = {}
    for code, skills in own.items():
        chosen = list(skills)
        seen = {compact(s) for s in chosen}
        _add(chosen, seen, (p for other in related.get(code, []) for p in phrases.get(other, [])), SKILL_MIN)
        floor = DERIVED_SKILLS[0]
        by_kind = tools.get(code, [])
        _add(chosen, seen, [t for t, kind in by_kind if kind == "common"], floor)
        _add(chosen, seen, [t for t, kind in by_kind if kind == "other" and t.endswith(" software")], floor)
        _add(chosen, seen, (p for other in farther.get(code, []) for p in phrases.get(other, [])), floor)
        _add(chosen, seen, [t for t, kind in by_kind if kind == "other"], floor)
        _add(chosen, seen, (t for other in farther.get(code, []) for t in own.get(other, [])), floor)
        out[code] = chosen
    return out


def domain_of(code: str) -> str:
    best = max((p for p in DOMAIN_PREFIXES if code.startswith(p)), key=len, default=None)
    return DOMAIN_PREFIXES[best] if best else DEFAULT_DOMAIN


# -------------------------------------------------------------------------------------------------------- the build


class Names:
    """Which entry each title belongs to. A name goes to one entry only, so the recommender's exact-name match has
    one answer; curated names come first, then O*NET titles, then synonyms, then ESCO labels."""

    def __init__(self, entries: dict[str, list[dict[str, Any]]], reserved: Iterable[tuple[str, ...]]) -> None:
        self.entries = entries
        self.used: set[tuple[str, ...]] = set(reserved)
        self.added: Counter[str] = Counter()

    def reserve(self, names: Iterable[str]) -> None:
        self.used.update(keys(n) for n in names)

    def route(self, code: str, label: str) -> dict[str, Any]:
        """The entry of a code a label is about: the most content words shared with its names (counted per name),
        else the first ("ios dev" -> the mobile developer override of 15-1252.00, "programmer" -> the O*NET entry)."""
        rows = self.entries[code]
        if len(rows) == 1:
            return rows[0]
        words = content_words(label)
        shared = [sum(len(words & content_words(n)) for n in names_of(r)) for r in rows]
        return rows[max(range(len(rows)), key=lambda i: (shared[i], -i))]

    def attach(self, code: str, label: str, why: str) -> bool:
        k = keys(label)
        if not k or k in self.used:
            return False
        self.route(code, label).setdefault("_extra", []).append(label)
        self.used.add(k)
        self.added[why] += 1
        return True


def _entries(
    onet: Sequence[OnetRow], curated: Sequence[dict[str, Any]], report: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Code -> its entries, the primary first (it carries the O*NET title, tasks and ESCO labels).

    Every override is kept. A code's primary is the override that names the O*NET title, or its only override when
    the two share a word ("Accountant" for Accountants and Auditors); else an entry derived from O*NET: four
    overrides are kinds of 15-1252.00 Software Developers, and Chief Executives are no startup founders."""
    overrides: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in curated:
        overrides[row["onet_soc"]].append(row)
    taken_ids = {r["id"] for r in curated}
    entries: dict[str, list[dict[str, Any]]] = {}
    claimed = added = 0
    for o in onet:
        rows = [dict(r) for r in overrides.get(o.code, [])]
        claim = next((r for r in rows if any(holds_title(n, o.title) for n in names_of(r))), None)
        if (
            claim is None
            and len(rows) == 1
            and content_words(o.title) & {w for n in names_of(rows[0]) for w in content_words(n)}
        ):
            claim = rows[0]
        if claim is not None:
            rows.remove(claim)
            rows.insert(0, claim)
            claimed += 1
        else:
            title = display_title(o.title)[0]
            ident = slug(title) if slug(title) not in taken_ids else f"{slug(title)}-{re.sub(r'[^0-9]', '', o.code)}"
            taken_ids.add(ident)
            derived: dict[str, Any] = {
                "id": ident, "title": title, "alternative_titles": [], "onet_soc": o.code, "esco_uri": None,
                "skills": [], "domain": domain_of(o.code), "source": ONET.row_url(o.line),
            }  # fmt: skip
            rows.insert(0, derived)
            added += bool(overrides.get(o.code))
        entries[o.code] = rows
    missing = sorted(set(overrides) - set(entries))
    for code in missing:  # the override's code has no tasks and no technology: kept as written
        entries[code] = [dict(r) for r in overrides[code]]
    report.append(
        f"curated: {len(curated)} overrides kept; {claimed} stand for their code's O*NET occupation, {added} codes "
        "with overrides also got an O*NET entry of their own"
        + (f"; not in O*NET: {', '.join(missing)}" if missing else "")
    )
    return entries


def build_occupations(sources_dir: Path, vocabulary: Sequence[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """-> (occupation rows sorted by id, report lines). Same inputs, same rows, byte for byte.

    `vocabulary` is the credential catalog's skill phrases (lower case): derived entries take their skills from
    it, so a skill gap names things some record can teach."""
    report: list[str] = []
    onet_all = read_onet(sources_dir / ONET_DIR)
    esco = read_esco(sources_dir / ESCO_FILE)
    curated = read_curated(sources_dir / CURATED_FILE)
    synonyms: dict[str, str] = json.loads((sources_dir / SYNONYMS_FILE).read_text(encoding="utf-8"))
    onet = [o for o in onet_all.values() if o.tasks or o.technology]
    codes = {o.code for o in onet}
    empty = [o for o in onet_all.values() if o.code not in codes]
    report.append(f"O*NET: {len(onet_all)} occupations read, {len(onet)} with tasks or technology")
    report.append(f"skipped {len(empty)} with neither: " + "; ".join(f"{o.code} {o.title}" for o in empty))

    # titles our files already give a code help find its ESCO twins; not those of codes with several overrides,
    # whose names are of narrower jobs ("infrastructure engineer" is no name of Software Developers)
    known_titles: dict[str, list[str]] = defaultdict(list)
    shared = Counter(r["onet_soc"] for r in curated)
    for row in curated:
        if shared[row["onet_soc"]] == 1:
            known_titles[row["onet_soc"]] += [row["title"], *row["alternative_titles"]]
    for typed, code in sorted(synonyms.items()):
        known_titles[code].append(typed)
    every = link_esco(onet, esco, known_titles, floor=float("-inf"))
    links = [link for link in every if link.score >= LINK_FLOOR]
    report.append(f"ESCO: {len(links)} of {len(esco)} occupations linked to O*NET (floor {LINK_FLOOR})")
    by_code: dict[str, list[Link]] = defaultdict(list)
    for link in sorted(links, key=lambda x: (-x.score, esco[x.concept].uri)):
        by_code[link.code].append(link)
    home: dict[str, str] = {}  # an ESCO label belongs to the code its most strongly linked concept went to
    for link in sorted(links, key=lambda x: (-x.score, x.code, esco[x.concept].uri)):
        for label in esco[link.concept].labels:
            home.setdefault(label, link.code)

    entries = _entries(onet, curated, report)
    names = Names(entries, (keys(n) for r in curated for n in [r["title"], *r["alternative_titles"]]))
    for o in onet:
        primary = entries[o.code][0]
        onet_names = list(dict.fromkeys([display_title(o.title)[0].lower(), o.title.lower()]))
        primary["_onet"] = onet_names  # the O*NET title as written stays a name, beside its singular
        names.reserve(onet_names)

    # synonyms: curated, so they win a name over ESCO; one naming another code's title is a mistake to report
    owner_of = {keys(n): r for rows in entries.values() for r in reversed(rows) for n in names_of(r)}
    problems = []
    for typed, code in sorted(synonyms.items()):
        owner = owner_of.get(keys(typed))
        if code not in entries:
            problems.append(f"synonym left out: {typed!r} -> {code}: no such occupation")
        elif owner is not None and owner["onet_soc"] != code:
            problems.append(f"synonym left out: {typed!r} -> {code}: a name of {owner['id']} ({owner['onet_soc']})")
        else:
            names.attach(code, clean_label(typed), "synonym")
    report.append(f"synonyms: {len(synonyms)} listed, {names.added['synonym']} new titles (the rest were names there)")
    report += problems

    # skills of derived entries: task phrases and tools, topped up from related occupations
    index = PhraseIndex(vocabulary)
    named = {o.code: index.mentions(o) for o in onet}
    spread: Counter[str] = Counter(p for found in named.values() for p in found)
    listed_by = Counter(x for o in onet for x in {t[0] for t in o.technology})
    # names a tool may be shortened to: vocabulary phrases task text hardly uses ("java", not "project")
    short_names = {compact(p): p for p in sorted(index.phrases.values(), key=lambda p: (len(p), p)) if spread[p] <= 2}
    short_names.update({compact(p): p for p in sorted(SHORT_TOOLS)})
    skill_of = {example: tool_skill(example, short_names) for example in sorted(listed_by)}
    tools = {o.code: skill_tools(o, listed_by, len(onet), skill_of, short_names) for o in onet}
    phrases = {o.code: task_phrases(named[o.code], spread, len(onet)) for o in onet}
    own = {o.code: pick_skills(phrases[o.code], tools[o.code]) for o in onet}
    ranked_related = {o.code: [c for _, _, c in sorted(o.related) if c in codes and c != o.code] for o in onet}
    related = {code: found[:MAX_RELATED] for code, found in ranked_related.items()}
    skills = fill_up(own, phrases, tools, related, ranked_related)

    for o in onet:
        rows = entries[o.code]
        linked = by_code.get(o.code, [])
        placed = 0
        for label in esco_labels(linked, esco):
            if placed >= MAX_ESCO_LABELS:
                break
            if home[label] == o.code:
                placed += names.attach(o.code, label, "esco")
        technology = pick_technology(o, listed_by)
        for i, row in enumerate(rows):
            row["description"] = row.get("description") or o.description
            row["tasks"] = o.tasks[:MAX_TASKS] if i == 0 else []  # once per code: a task reads as one occupation
            row["technology"] = technology
            row["related"] = related[o.code]
            if row.get("esco_uri") is None:
                row["esco_uri"] = _esco_for(row, linked, esco, primary=i == 0)
            row["skills"] = row["skills"] or skills[o.code]
    linked_concepts = {link.concept for link in links}
    unlinked = [link for link in every if link.concept not in linked_concepts]
    own_jobs = esco_only_entries(unlinked, esco, names, index, {r["id"] for r in names_rows(entries)})
    report.append(
        f"ESCO only: {len(own_jobs)} of the {len(unlinked)} unlinked ESCO occupations kept as occupations of their own "
        "(skills from their description, domain from their ISCO group)"
    )
    out: list[dict[str, Any]] = []
    for rows in [*entries.values(), own_jobs]:
        for row in rows:
            row.setdefault("source", CURATED)
            seen = {row["title"].lower()}
            titles = []
            for name in [*row["alternative_titles"], *row.pop("_onet", []), *row.pop("_extra", [])]:
                if name.lower() not in seen:
                    seen.add(name.lower())
                    titles.append(name)
            row["alternative_titles"] = titles
            out.append({k: row[k] for k in OCCUPATION_FIELDS if k in row})
    out.sort(key=lambda r: r["id"])

    derived = [r for r in out if r["source"].startswith(ONET.prefix)]
    below = [r for r in derived if len(r["skills"]) < SKILL_MIN]
    filled = sum(1 for c in own if len(skills[c]) > len(own[c]))
    report.append(
        f"titles added: {names.added['esco']} ESCO labels on {sum(1 for c in codes if by_code.get(c))} O*NET codes, "
        f"{names.added['synonym']} synonyms"
    )
    report.append(
        f"occupations: {len(out)} ({len(derived)} derived from O*NET, {len(out) - len(derived)} curated); skills of "
        f"{filled} O*NET occupations topped up from related ones; {len(below)} derived entries below {SKILL_MIN} skills"
    )
    report += [f"few skills: {r['onet_soc']} {r['title']} ({len(r['skills'])})" for r in below]
    report.append("domains: " + ", ".join(f"{d} {n}" for d, n in sorted(Counter(r["domain"] for r in out).items())))
    bad = [f"{r['id']}: {p}" for r in out for p in check_occupation(r)]
    bad += [f"{i}: id used {n} times" for i, n in Counter(r["id"] for r in out).items() if n > 1]
    if bad:
        raise ValueError("built occupations have problems:\n" + "\n".join(bad[:50]))
    return out, report


def names_rows(entries: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [row for rows in entries.values() for row in rows]


def esco_only_entries(
    unlinked: Sequence[Link],
    esco: Sequence[EscoConcept],
    names: Names,
    index: PhraseIndex,
    taken_ids: set[str],
) -> list[dict[str, Any]]:
    """ESCO occupations no O*NET occupation stands for (farrier, sommelier, body artist, astronaut) as entries of
    their own, so a goal naming one is read as that job and not as its nearest neighbour ("sommelier" is no
    bartender). Their nearest O*NET occupation is mostly wrong below the link floor (an animal groomer's is
    Animal Scientists), so nothing is taken from it: no O*NET code, skills only the vocabulary phrases of their
    ESCO description, the domain from their ISCO group. A concept whose preferred label is already some entry's
    name, or an "x in y" variant ("import export manager in furniture"), adds nothing and is left out."""
    out = []
    for link in sorted(unlinked, key=lambda x: esco[x.concept].uri):
        e = esco[link.concept]
        if not e.labels or " in " in e.preferred or not keys(e.preferred) or keys(e.preferred) in names.used:
            continue
        labels = [lab for lab in e.labels if keys(lab) and keys(lab) not in names.used][:MAX_ESCO_LABELS]
        names.reserve(labels)
        chosen: list[str] = []
        _add(chosen, set(), index.find(e.description), TASK_SKILLS)
        ident = slug(e.preferred)
        ident = ident if ident not in taken_ids else f"{ident}-esco"
        taken_ids.add(ident)
        row = {
            "id": ident, "title": e.preferred[:1].upper() + e.preferred[1:], "alternative_titles": labels[1:],
            "onet_soc": "", "esco_uri": e.uri, "skills": chosen, "domain": isco_domain(e.isco),
            "description": " ".join(e.description.split()), "tasks": [], "technology": [], "related": [],
            "source": ESCO.row_url(e.line),
        }  # fmt: skip
        out.append(row)
    return out


# ISCO-08 group prefix -> domain, for ESCO-only entries; the longest matching prefix wins
ISCO_DOMAINS: dict[str, str] = {
    "0": "public-safety", "1": "leadership", "122": "marketing-sales", "132": "manufacturing-repair",
    "1324": "supply-chain-ops", "133": "it-cloud-security", "14": "hospitality-food", "211": "science-research",
    "212": "data-ai", "213": "science-research", "214": "engineering", "215": "engineering", "216": "engineering",
    "2163": "arts-media", "2166": "arts-media", "22": "healthcare", "23": "education", "241": "finance-accounting",
    "242": "leadership", "2423": "hr-dei", "2424": "education", "243": "marketing-sales",
    "25": "software-development", "252": "it-cloud-security", "261": "legal", "262": "science-research",
    "263": "social-services", "264": "communication", "265": "arts-media", "31": "engineering",
    "313": "manufacturing-repair", "315": "transportation", "32": "healthcare", "331": "finance-accounting",
    "332": "marketing-sales", "333": "supply-chain-ops", "334": "productivity", "335": "legal",
    "34": "social-services", "3411": "legal", "342": "personal-care", "343": "arts-media",
    "3434": "hospitality-food", "35": "it-cloud-security", "4": "productivity", "42": "customer-service",
    "432": "supply-chain-ops", "51": "personal-care", "511": "transportation", "512": "hospitality-food",
    "513": "hospitality-food", "515": "hospitality-food", "52": "marketing-sales", "53": "healthcare",
    "531": "education", "54": "public-safety", "6": "agriculture", "71": "trades-construction",
    "72": "manufacturing-repair", "73": "arts-media", "732": "manufacturing-repair", "74": "trades-construction",
    "75": "manufacturing-repair", "751": "hospitality-food", "8": "manufacturing-repair", "83": "transportation",
    "91": "hospitality-food", "92": "agriculture", "93": "trades-construction", "933": "supply-chain-ops",
    "94": "hospitality-food", "95": "marketing-sales", "96": "public-safety",
}  # fmt: skip


def isco_domain(group: str) -> str:
    best = max((p for p in ISCO_DOMAINS if group.startswith(p)), key=len, default=None)
    return ISCO_DOMAINS[best] if best else DEFAULT_DOMAIN


def _esco_for(row: dict[str, Any], linked: Sequence[Link], esco: Sequence[EscoConcept], primary: bool) -> str | None:
    """The best-linked ESCO concept one of the entry's names comes from; the primary entry falls back to the best."""
    names = {keys(n) for n in names_of(row)}
    for link in linked:
        if names & {keys(lab) for lab in esco[link.concept].labels}:
            return esco[link.concept].uri
    return esco[linked[0].concept].uri if primary and linked else None


def occupations_jsonl(rows: Sequence[dict[str, Any]]) -> str:
    """JSON Lines with keys in the Occupation field order and non-ASCII kept as written."""
    return "".join(json.dumps({k: r[k] for k in OCCUPATION_FIELDS if k in r}, ensure_ascii=False) + "\n" for r in rows)


def write_occupations(rows: Sequence[dict[str, Any]], path: Path) -> None:
    """The shipped occupations file (catalog/data/occupations.jsonl), one object per line."""
    path.write_text(occupations_jsonl(rows), encoding="utf-8")
