"""What every importer shares: snapshot identity, row problems, CSV reading with true line numbers, parsing helpers.

Each helper is a pure function of one raw string so that every odd value found in the snapshots can be pinned by a
unit test; importers only combine them. A helper that cannot read its input raises `ValueError` with a message fit
for a person, and the importer turns it into a `RowProblem` for that row.
"""

from __future__ import annotations

import ast
import csv
import io
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from catalog.provenance import Snapshot
from catalog.validate import check_record

WEEKS_PER_MONTH = 4.345  # 52.14 weeks / 12 months


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One public snapshot file; every imported row points back at its own line in it."""

    name: str  # "coursera", "coursera-records", "edx", "udemy"
    repo: str  # "vikas8894/coursera_courses_data"
    path: str  # path inside that repo, e.g. "coursera_courses.csv"
    commit: str  # 40-hex commit
    as_of: str  # ISO date of the snapshot (its commit date)
    licence: str

    def row_url(self, line: int) -> str:
        return f"https://github.com/{self.repo}/blob/{self.commit}/{self.path}#L{line}"

    @classmethod
    def from_snapshot(cls, snap: Snapshot) -> SourceInfo:
        """Reuse the snapshot named once in catalog.provenance, so ids, URLs and dates cannot drift apart."""
        return cls(snap.name, snap.repo, snap.path, snap.commit, snap.as_of, snap.licence)


@dataclass(frozen=True, slots=True)
class RowProblem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Imported:
    records: tuple[dict[str, Any], ...]  # schema dicts, every field present, valid per check_record
    problems: tuple[RowProblem, ...]  # rows that could not be mapped, with their physical start line


class RowError(ValueError):
    """Raised while mapping one row; becomes a RowProblem for that row instead of a half record."""


class CsvSyntaxError(ValueError):
    """The CSV itself cannot be read past `line` (the csv module gave up); nothing after it is trusted."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


# --- CSV -----------------------------------------------------------------------------------------------------------


def read_source(path: str | os.PathLike[str]) -> str:
    """A snapshot file's text exactly as stored. Not Path.read_text: its newline translation turns a lone "\\r"
    (coursera_courses.csv has two, inside descriptions) into a line break and shifts every later line number."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def csv_rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (physical line where the row starts, row); line 1 is the header.

    Lines are counted on "\\n" only, as GitHub numbers them, so a quoted field holding "\\r\\n" or a lone "\\r"
    keeps the count right. An empty or repeated header name keeps its first occurrence as is and becomes
    `_<column index>` after that (coursera_records.csv has two unnamed columns). Short rows are padded with "",
    extra cells land under `_<column index>`.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="\n"))
    header = next(reader, None)
    if header is None:
        return
    names: list[str] = []
    for i, name in enumerate(header):
        names.append(name if name not in names else f"_{i}")
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CsvSyntaxError(start, f"unreadable CSV from here on: {exc}") from exc
        if cells:
            row = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(names)}
            for i in range(len(names), len(cells)):
                row[f"_{i}"] = cells[i]
            yield start, row
        start = reader.line_num + 1


def import_rows(
    text: str,
    info: SourceInfo,
    build: Callable[[int, dict[str, str]], dict[str, Any]],
) -> Imported:
    """Map every row with `build`, keep only records that pass check_record, report the rest by line.

    `build` raises ValueError (RowError) for a row it cannot map. A later row with an id already taken is reported
    as a duplicate, so ids stay stable: the first row wins. CSV that cannot be read at all ends the import there.
    """
    records: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    rows = csv_rows(text)
    while True:
        try:
            line, row = next(rows)
        except StopIteration:
            break
        except CsvSyntaxError as exc:
            problems.append(RowProblem(info.path, exc.line, str(exc)))
            break
        try:
            record = build(line, row)
        except ValueError as exc:
            problems.append(RowProblem(info.path, line, str(exc)))
            continue
        found = check_record(record, info.path, line)
        if found:
            problems.append(RowProblem(info.path, line, "; ".join(f"{p.field}: {p.message}" for p in found)))
            continue
        first = seen.get(record["id"])
        if first is not None:
            problems.append(RowProblem(info.path, line, f"id {record['id']!r} is a duplicate of line {first}"))
            continue
        seen[record["id"]] = line
        records.append(record)
    return Imported(tuple(records), tuple(problems))


# --- text ----------------------------------------------------------------------------------------------------------

_SPACE_RE = re.compile(r"\s+")
_GLUE_RE = re.compile(r"[.!?:](?=[^\W\d_])")  # a literal first: fast to scan
_MISSING = frozenset({"", "na", "n/a", "nan", "none", "null"})


def normalize_space(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def present(text: str) -> str:
    """The value with whitespace normalized, or "" for the scrapers' placeholders ("NA", "nan")."""
    value = normalize_space(text)
    return "" if value.lower() in _MISSING else value


def _unglue(m: re.Match[str]) -> str:
    start = m.start()
    before = m.string[start - 1] if start else ""
    after = m.string[start + 1]
    return m.group(0) + " " if before.islower() and after.isupper() else m.group(0)


def clean_text(text: str) -> str:
    """Scraped prose made readable: placeholders and link artefacts dropped, glued sentences ("learner.The",
    "competencias:Por") split, one space."""
    text = present(text).replace("Opens in a new tab", " ")
    return normalize_space(_GLUE_RE.sub(_unglue, text))


_SENTENCE_END_RE = re.compile(r"(?<=[^\d\s])[.!?](?=\s)")  # not "3." of a numbered list


def clip(text: str, limit: int = 600, floor: int = 200) -> str:
    """At most `limit` characters, cut after a sentence end when one lies past `floor`, else at a word with "…".

    A text left ending in ":" (a list that was cut off) is taken back to its last sentence end when there is one.
    """
    if len(text) > limit:
        head = text[: limit + 1]
        ends = [m.end() for m in _SENTENCE_END_RE.finditer(head) if floor <= m.end() <= limit]
        if ends:
            text = head[: ends[-1]].strip()
        else:
            return head[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    if text.endswith(":"):
        ends = [m.end() for m in _SENTENCE_END_RE.finditer(text)]
        if ends:
            text = text[: ends[-1]].strip()
    return text


def slug(text: str) -> str:
    """ASCII slug: accents folded, anything but [a-z0-9] becomes one "-", trimmed."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def make_id(prefix: str, raw: str) -> str:
    """`prefix-slug(raw)`, at most 100 characters (cut, then trailing "-" stripped); ValueError when raw is empty."""
    part = slug(raw)
    if not part:
        raise RowError(f"cannot build an id from {raw!r}")
    return f"{prefix}-{part}"[:100].rstrip("-")


def https_url(value: str) -> str:
    """The URL upgraded to https://; ValueError when it is not an absolute web URL."""
    url = value.strip()
    if url.startswith("http://"):
        url = "https://" + url[len("http://") :]
    if not re.match(r"^https://[^\s/]+\.[^\s]+$", url):
        raise RowError(f"no usable URL: {value!r}")
    return url


def url_path_segments(url: str) -> list[str]:
    return [part for part in urlsplit(url).path.split("/") if part]


def parse_list_literal(text: str) -> list[str]:
    """A Python list literal such as "['Python', 'SQL']" (as scraped) as a list of strings; "" is []."""
    if not text.strip():
        return []
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError) as exc:
        raise RowError(f"not a list literal: {text[:60]!r}") from exc
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise RowError(f"not a list of strings: {text[:60]!r}")
    return [str(v) for v in value]


def num(value: float) -> int | float:
    """Rounded to one decimal, an int when whole: records read as people write them (49, 2.5)."""
    rounded = round(float(value), 1)
    return int(rounded) if rounded.is_integer() else rounded


def fmt(value: float) -> str:
    """A number for prose: "2.5", "49"."""
    return str(num(value))


# --- numbers -------------------------------------------------------------------------------------------------------

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_RANGE_RE = re.compile(rf"^{_NUMBER}(?:\s*(?:[-–—]|to)\s*{_NUMBER})?\s*(.*)$", re.IGNORECASE)


def _float(text: str) -> float:
    return float(text.replace(",", "."))


def _range(text: str, what: str) -> tuple[float, str]:
    """("2–3 hours per week") -> (2.5, "hours per week"): the midpoint of a range or the single number."""
    m = _RANGE_RE.match(text.strip())
    if not m:
        raise RowError(f"unreadable {what}: {text!r}")
    low = _float(m.group(1))
    high = _float(m.group(2)) if m.group(2) else low
    if high < low or high <= 0:
        raise RowError(f"unreadable {what}: {text!r}")
    return (low + high) / 2, m.group(3).strip().lower()


def parse_hours_per_week(text: str) -> float:
    """edX effort "2–3 hours per week" -> 2.5 (midpoint), "1 hour per week" -> 1, "90 minutes/week" -> 1.5."""
    value, unit = _range(text, "weekly effort")
    m = re.fullmatch(r"(hours?|hrs?|h|minutes?|mins?)\s*(?:per|/|a|each)\s*(?:week|wk)", unit)
    if not m:
        raise RowError(f"unreadable weekly effort: {text!r}")
    return value / 60 if m.group(1).startswith("m") else value


def parse_weeks(text: str) -> float:
    """edX length "6 Weeks" -> 6 (also "1 Weeks", "3 months", "10 days")."""
    value, unit = _range(text, "course length")
    if re.fullmatch(r"weeks?|wks?", unit):
        return value
    if re.fullmatch(r"months?", unit):
        return value * WEEKS_PER_MONTH
    if re.fullmatch(r"days?", unit):
        return value / 7
    raise RowError(f"unreadable course length: {text!r}")


def parse_less_than_hours(text: str) -> float | None:
    """Coursera "Less Than 2 Hours" -> 2.0; None for any other duration."""
    m = re.fullmatch(r"less than\s+(\d+(?:\.\d+)?)\s+hours?", text.strip(), re.IGNORECASE)
    return float(m.group(1)) if m else None


def parse_coursera_time(text: str) -> float:
    """Coursera duration band in weeks, at its midpoint: "1 - 4 Weeks" -> 2.5, "3 - 6 Months" -> 4.5 * 4.345.

    "Less Than 2 Hours" (guided projects) is done within a week: 1.
    """
    if parse_less_than_hours(text) is not None:
        return 1.0
    m = re.fullmatch(r"less than\s+(\d+(?:\.\d+)?)\s+(weeks?|months?)", text.strip(), re.IGNORECASE)
    if m:  # not in the 2023 snapshot; half the upper bound
        text = f"{float(m.group(1)) / 2} {m.group(2)}"
    return parse_weeks(text)


def parse_video_hours(text: str) -> float:
    """Udemy content length in hours: "1.5" -> 1.5, "4.5 hours" -> 4.5, "43 mins" -> 0.7167."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(hours?|hrs?|h|mins?|minutes?|m)?", text.strip(), re.IGNORECASE)
    if not m:
        raise RowError(f"unreadable video length: {text!r}")
    value = float(m.group(1))
    unit = (m.group(2) or "h").lower()
    return value / 60 if unit.startswith("m") else value


@dataclass(frozen=True, slots=True)
class Price:
    amount: float  # what the credential (certificate) costs; 0 when free
    currency: str
    free_to_audit: bool = False  # the course itself is free, the certificate is paid


_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP"}


def parse_price(text: str) -> Price:
    """A listed price: "FREE" -> 0; "FREE-Add a Verified Certificate for $49 USD" -> 49 USD, free to audit;
    "200" -> 200 USD (a bare number is US dollars in these snapshots); "$1,000" -> 1000 USD."""
    raw = normalize_space(text)
    m = re.fullmatch(
        r"free\s*-?\s*add a verified certificate for\s*([$€£]?)\s*(\d[\d,]*(?:\.\d+)?)\s*([A-Za-z]{3})?",
        raw,
        re.IGNORECASE,
    )
    if m:
        currency = (m.group(3) or _CURRENCY_SIGNS.get(m.group(1), "USD")).upper()
        return Price(float(m.group(2).replace(",", "")), currency, free_to_audit=True)
    if raw.lower() in {"free", "0", "0.0"}:
        return Price(0.0, "USD")
    m = re.fullmatch(r"([$€£]?)\s*(\d[\d,]*(?:\.\d+)?)\s*([A-Za-z]{3})?", raw)
    if m:
        currency = (m.group(3) or _CURRENCY_SIGNS.get(m.group(1), "USD")).upper()
        return Price(float(m.group(2).replace(",", "")), currency)
    raise RowError(f"unreadable price: {text!r}")


def parse_count(text: str) -> int | None:
    """Enrolment counts as scraped: "6,706" -> 6706, "5.3k" -> 5300, "1.2m" -> 1200000; "", "NA" -> None."""
    raw = text.strip().lower().replace(",", "")
    if raw in {"", "na", "n/a", "nan", "none"}:
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([km]?)", raw)
    if not m:
        raise RowError(f"unreadable count: {text!r}")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2)]
    return round(float(m.group(1)) * factor)


def parse_rating(text: str) -> float | None:
    raw = text.strip().lower()
    if raw in {"", "na", "n/a", "nan", "none"}:
        return None
    try:
        value = float(raw)
    except ValueError as exc:
        raise RowError(f"unreadable rating: {text!r}") from exc
    return value if math.isfinite(value) else None


_LEVELS = {
    "beginner": "beginner",
    "beginner level": "beginner",
    "introductory": "beginner",
    "all levels": "beginner",
    "mixed": "beginner",
    "intermediate": "intermediate",
    "intermediate level": "intermediate",
    "advanced": "advanced",
    "expert": "advanced",
    "expert level": "advanced",
}


def _lookup(table: dict[str, str], text: str, what: str) -> str:
    found = table.get(normalize_space(text).lower())
    if found is None:
        raise RowError(f"unknown {what}: {text!r}")
    return found


def map_level(text: str) -> str:
    """Source difficulty -> schema level; courses open to all ("All Levels", "Mixed") count as beginner."""
    return _lookup(_LEVELS, text, "level")


# --- language ------------------------------------------------------------------------------------------------------

LANGUAGES = {
    "english": "en",
    "español": "es",
    "spanish": "es",
    "français": "fr",
    "french": "fr",
    "italiano": "it",
    "italian": "it",
    "português": "pt",
    "portuguese": "pt",
    "deutsch": "de",
    "german": "de",
    "中文": "zh",
    "chinese": "zh",
    "日本語": "ja",
    "japanese": "ja",
    "اللغة العربية": "ar",
    "العربية": "ar",
    "arabic": "ar",
    "русский": "ru",
    "українська": "uk",
    "ukrainian": "uk",
    "russian": "ru",
    "한국어": "ko",
    "korean": "ko",
    "türkçe": "tr",
    "turkish": "tr",
    "nederlands": "nl",
    "dutch": "nl",
    "हिन्दी": "hi",
    "hindi": "hi",
}


def map_language(text: str) -> str:
    """A language name as listed (English or its own name: "Español") -> ISO 639-1; ValueError when unknown."""
    return _lookup(LANGUAGES, text, "language")


_KANA_RE = re.compile(r"[\u3040-\u30ff]")
_HAN_RE = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_UKRAINIAN_RE = re.compile(r"[іїєґІЇЄҐ]")
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        ("ko", r"[\uac00-\ud7af]"),
        ("zh", r"[\u4e00-\u9fff\u3400-\u4dbf]"),
        ("ar", r"[\u0600-\u06ff]"),
        ("ru", r"[\u0400-\u04ff]"),
        ("th", r"[\u0e00-\u0e7f]"),
        ("he", r"[\u0590-\u05ff]"),
    )
)
_LETTER_RE = re.compile(r"[^\W\d_]")
_WORD_RE = re.compile(r"(?<![^\W_])[^\W\d_]+(?![^\W_])")  # whole words only: "ES6" is no Spanish "es"
# Function words that tell Latin-script languages apart.
_STOPWORDS: dict[str, str] = {
    "en": "the and for with of to in your how from learn course introduction you this is are",
    "es": "el la los las del para con una y cómo curso aprende aprender desde cero tu más básicos básico "
    "introducción gestión diseño fundamentos qué en es",
    "pt": "o os e do da dos das para com em um uma como curso aprenda ações iniciantes você não é",
    "fr": "le la les des du pour avec une et en à cours apprendre débutants fondamentaux gestion",
    "de": "der das und für mit eine einen zum zur um lernen kurs den dem ist wie sie als",
    "it": "il lo la gli del della delle per con di una corso come impara alla",
    "id": "di dan yang untuk dengan ini dari tidak atau apa pun bidang karier anda",
}


def _index_stopwords() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for code, words in _STOPWORDS.items():
        for word in words.split():
            index[word] = (*index.get(word, ()), code)
    return index


_LANGUAGES_OF_WORD = _index_stopwords()


LANGUAGE_SAMPLE = 400  # characters: plenty for a guess, and cheap on long descriptions


def guess_language(text: str) -> str:
    """ISO 639-1 code of a title or description for sources that list none; "en" unless the evidence is clear.

    Non-Latin scripts decide at once (a third of the letters; any kana means Japanese). Latin text needs at least
    two function words of one language, more than of English and of any other language (so "Data Science for
    Business" stays English).
    """
    text = text[:LANGUAGE_SAMPLE]
    letters = len(_LETTER_RE.findall(text))
    if not letters:
        return "en"
    kana = len(_KANA_RE.findall(text))
    if kana and (kana + len(_HAN_RE.findall(text))) * 3 >= letters:
        return "ja"  # kana is Japanese only; Japanese also writes Han characters
    for code, pattern in _SCRIPTS:
        if len(pattern.findall(text)) * 3 >= letters:
            return "uk" if code == "ru" and _UKRAINIAN_RE.search(text) else code
    scores = dict.fromkeys(_STOPWORDS, 0)
    for word in _WORD_RE.findall(text.lower()):
        for code in _LANGUAGES_OF_WORD.get(word, ()):
            scores[code] += 1
    best = max(scores, key=lambda code: (scores[code], code == "en"))
    ranked = sorted(scores.values(), reverse=True)
    if best != "en" and scores[best] >= 2 and scores[best] > scores["en"] and ranked[0] > ranked[1]:
        return best
    return "en"


# --- skills --------------------------------------------------------------------------------------------------------

# A token is a run of letters/digits with trailing "+"/"#" ("c++", "c#"), or one with a leading dot when the dot
# starts a word (".net"). Inner dots and hyphens split ("node.js" -> "node js", "problem-solving" ->
# "problem solving"); phrases and text are tokenized alike, so the spellings still meet.
_TOKEN_RE = re.compile(r"(?<![^\W_])\.[^\W_]+|[^\W_]+[+#]*")
MAX_PHRASE_TOKENS = 6


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.lower())


def phrase_key(phrase: str) -> str:
    return " ".join(tokens(phrase))


def _is_part_of(short: str, long: str) -> bool:
    return short != long and f" {short} " in f" {long} "


class SkillMatcher:
    """A vocabulary indexed once, so matching a record costs a few set look-ups per word, not one regex per phrase."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._phrases: dict[str, str] = {}
        for phrase in vocabulary:
            key = phrase_key(phrase)
            if key and len(key.split()) <= MAX_PHRASE_TOKENS:
                self._phrases.setdefault(key, normalize_space(phrase.lower()))
        # first word -> the phrase lengths (in words) starting with it, longest first
        self._starts: dict[str, tuple[int, ...]] = {}
        for key in self._phrases:
            words = key.split()
            self._starts[words[0]] = tuple(sorted({*self._starts.get(words[0], ()), len(words)}, reverse=True))

    def find(self, text: str, limit: int = 8, taken: Sequence[str] = ()) -> list[str]:
        """Vocabulary phrases in `text` at word boundaries: longest first, none that is a word-part of a longer one
        already chosen (or of `taken`), at most `limit`, returned in order of first appearance."""
        words = tokens(text)
        first: dict[str, int] = {}
        for i, word in enumerate(words):
            for n in self._starts.get(word, ()):
                key = " ".join(words[i : i + n])
                if key in self._phrases and key not in first:
                    first[key] = i
        blocked = [phrase_key(t) for t in taken]
        chosen: list[str] = []
        for key in sorted(first, key=lambda k: (-len(k), first[k], k)):  # longest (in characters) first
            if len(chosen) >= limit:
                break
            if key in blocked or any(_is_part_of(key, other) for other in (*chosen, *blocked)):
                continue
            chosen.append(key)
        chosen.sort(key=lambda k: (first[k], k))
        return [self._phrases[k] for k in chosen]


@lru_cache(maxsize=4)
def _matcher(vocabulary: tuple[str, ...]) -> SkillMatcher:
    return SkillMatcher(vocabulary)


def extract_skills(text: str, vocabulary: Sequence[str], limit: int = 8) -> list[str]:
    """Vocabulary phrases (lower-case) found in text; see SkillMatcher.find. Importers keep one matcher instead."""
    return _matcher(tuple(vocabulary)).find(text, limit)


_TITLE_FILLER_RE = re.compile(
    r"^(?:(?:an?|the)\s+)?"
    r"(?:(?:complete|ultimate|practical|essential|basic|beginners?'?s?|quick|crash|hands-on|absolute)\s+)*"
    r"(?:(?:introduction|intro|guide|course|masterclass|bootcamp|fundamentals|foundations|basics|"
    r"essentials|principles)\s+(?:to|of|in|for|on)\s+(?:the\s+)?)?"
    r"(?:(?:introducción|introduccion|curso|fundamentos|aspectos básicos)\s+(?:a|de|del)\s+"
    r"(?:la\s+|el\s+|los\s+|las\s+)?)?"
    r"(?:(?:learn|learning|master|mastering|understanding|understand|getting started with|how to|aprende a|"
    r"aprenda a)\s+(?:to\s+)?)?",
)
_TITLE_TAIL_RE = re.compile(r"\s+(?:for (?:absolute |complete |total )?(?:beginners|everyone|everybody|dummies)|101)$")
_TITLE_SPLIT_RE = re.compile(r"\s*(?::|\s[-–—|]\s|\(|\[|,|!|\?)\s*")
_CHUNK_BREAK_RE = re.compile(
    r"\s+(?:for|with|and|to|in|of|from|by|on|using|via|the|your|a|an|through|into|about|at|as|like|before|after|"
    r"without|within|beyond)\s+"
)


def title_skills(title: str) -> list[str]:
    """Last resort when neither source nor vocabulary gives a skill: the title's main chunk, lower-cased.

    "Introduction to Python: Absolute Beginner" -> ["python"]; a long chunk is cut at its first linking word.
    """
    head = _TITLE_SPLIT_RE.split(normalize_space(title).lower(), maxsplit=1)[0]
    head = _TITLE_TAIL_RE.sub("", _TITLE_FILLER_RE.sub("", head)).strip(" .-&")
    if len(head.split()) > 5:
        head = _CHUNK_BREAK_RE.split(head, maxsplit=1)[0]
        head = " ".join(head.split()[:5])
    head = head.strip(" .-&")
    if not head:
        head = normalize_space(title).lower()
    return [head]


def merge_skills(
    source_skills: Iterable[str], matcher: SkillMatcher, text: str, title: str, limit: int = 8
) -> list[str]:
    """Source skills first (lower-cased, deduplicated), then vocabulary phrases found in `text`, at most `limit`;
    the title's main chunk when both give nothing, because a record needs at least one skill."""
    skills: list[str] = []
    for skill in source_skills:
        clean = normalize_space(skill).lower()
        if clean and clean not in skills:
            skills.append(clean)
    skills = skills[:limit]
    if len(skills) < limit:
        skills.extend(matcher.find(text, limit - len(skills), taken=skills))
    return skills or title_skills(title)
