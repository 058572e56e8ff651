"""Bad catalog files on disk through the real `credbot catalog` commands: a clear error on the right line, the
credentials table untouched (row count and content), memory bounded on a 100 MB file; CSV export neutralises
formulas, JSON Lines export keeps every byte."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest
from click.testing import CliRunner

from catalog.formats import FORMULA_START, MAX_FILE_BYTES
from credbot.cli import _register_optional, cli
from tests.fakes import record

ROOT = Path(__file__).resolve().parents[2]
RSS_LIMIT_MB = 600


def line(**overrides: object) -> str:
    return json.dumps(record(**overrides))


def table_state(db: Path) -> tuple[int, str]:
    """Row count and a digest of every row's content: what an import must leave alone when it fails."""
    with sqlite3.connect(db) as conn:
        count = conn.execute("select count(*) from credentials").fetchone()[0]
        digest = conn.execute("select group_concat(id || content_hash, ',') from credentials order by id").fetchone()
    return count, str(digest[0])


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One catalog with the bundled records, shared by every failing import: none may change it."""
    db = tmp_path_factory.mktemp("catalog") / "credbot.db"
    _register_optional()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CREDBOT_DB", str(db))
        assert CliRunner().invoke(cli, ["catalog", "stats"]).exit_code == 0
    return db


@pytest.fixture
def runner(shared_db: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CREDBOT_DB", str(shared_db))
    return CliRunner()


def huge_description(path: Path) -> None:
    path.write_text(line(id="fine-one") + "\n" + line(id="too-long", description="x" * 10_000_000) + "\n")


def not_utf8(path: Path) -> None:
    latin = line(id="latin-one", title="Cafe").encode().replace(b"Cafe", b"Caf\xe9")  # Latin-1, not UTF-8
    path.write_bytes(line(id="fine-one").encode() + b"\n" + latin + b"\n")


def utf16(path: Path) -> None:
    path.write_text(line(id="wide-one") + "\n", encoding="utf-16")


def csv_rows(path: Path) -> None:
    good = {k: (";".join(v) if isinstance(v, list) else v) for k, v in record(id="csv-good").items()}
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(good))
        writer.writeheader()
        writer.writerow(good)
        writer.writerow({**good, "id": "csv-bad", "hours": "ten", "level": "guru"})
        writer.writerow({**good})  # the same id again


def csv_unclosed_quote(path: Path) -> None:
    header = ",".join(record())
    path.write_text(f'{header}\n"never closed,{"x" * 200_000}\n', encoding="utf-8")


BAD_FILES: list[tuple[str, Callable[[Path], None] | str, int, list[str]]] = [
    ("truncated.jsonl", line(id="fine-one") + "\n" + line(id="cut-one")[:40] + "\n", 1,
     [":2: record: bad JSON: Unterminated string starting at column 28"]),
    ("types.jsonl", line(id="fine-one") + "\n" + line(id="typed-one", hours="ten", skills="sql", cost=None) + "\n", 1,
     [":2: hours: must be a number, got str", ":2: skills: must be a list of strings", ":2: cost: must be a number"]),
    ("huge.jsonl", huge_description, 1, [":2: record: this line is 10,00"]),
    ("field.jsonl", line(id="fine-one") + "\n" + line(id="long-one", description="d" * 50_000) + "\n", 1,
     [":2: description: is 50,000 characters long, at most 20,000 allowed"]),
    ("dupes.jsonl", line(id="twin-one") + "\n" + line(id="other-one") + "\n" + line(id="twin-one") + "\n", 1,
     [":3: id: duplicate id 'twin-one' (first at line 1)"]),
    ("latin1.jsonl", not_utf8, 1, [":2: record: not UTF-8 text (byte 0xe9 at column"]),
    ("wide.jsonl", utf16, 2, [":1: not UTF-8 text: the file is UTF-16"]),
    ("empty.jsonl", "", 2, [": the file is empty"]),
    ("blank.jsonl", "\n  \n\n", 2, [": the file is empty"]),
    ("deep.jsonl", "[" * 50_000 + "\n" + line(id="fine-one") + "\n", 1, [":1: record: bad JSON: nested too deeply"]),
    ("surrogate.jsonl", line(id="fine-one") + "\n" + line(id="odd-one", title="\ud83d alone") + "\n", 1,
     [":2: title: is not valid UTF-8 text"]),
    ("rows.csv", csv_rows, 1, [":3: hours: must be a number", ":3: level: 'guru' is not allowed",
                               ":4: id: duplicate id 'csv-good' (first at line 2)"]),
    ("quote.csv", csv_unclosed_quote, 1, [":2: record: this line is 200,"]),
    ("header.csv", "id,title,id\nx,y,z\n", 2, [":1: the header row names 'id' twice"]),
    ("only-header.csv", ",".join(record()) + "\n", 2, [": holds a header row but no records"]),
    ("empty.csv", "", 2, [": empty CSV file"]),
    ("badge.json", '{"type": ["Achievement"], "name": "Cut', 1,
     [":1: record: bad JSON: Unterminated string starting at column 35"]),
    ("empty.json", "", 2, [": the file is empty"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "code", "expected"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_explained_by_line_and_imports_nothing(
    runner: CliRunner,
    shared_db: Path,
    tmp_path: Path,
    name: str,
    content: Callable[[Path], None] | str,
    code: int,
    expected: list[str],
) -> None:
    path = tmp_path / name
    if callable(content):
        content(path)
    else:
        path.write_text(content, encoding="utf-8")
    before = table_state(shared_db)
    for command in ("validate", "import"):
        result = runner.invoke(cli, ["catalog", command, str(path)])
        assert result.exit_code == code, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        for text in expected:
            assert f"{path}{text}" in result.output, result.output
        assert all(len(out) < 500 for out in result.output.splitlines())
        if code == 2:
            assert result.stderr.count("\n") == 1 and result.stderr.startswith("credbot: ")
    assert table_state(shared_db) == before
    with sqlite3.connect(shared_db) as conn:
        assert conn.execute("select count(*) from credentials where id = 'fine-one'").fetchone()[0] == 0


def test_a_flood_of_broken_lines_stops_after_a_page_of_problems(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "flood.jsonl"
    path.write_text("{oops\n" * 1_000_000)  # 6 MB, one problem a line
    result = runner.invoke(cli, ["catalog", "import", str(path)])
    assert result.exit_code == 1
    problems = [out for out in result.stdout.splitlines() if out.startswith(f"{path}:")]
    assert len(problems) == 1_000
    assert "Stopped after 1,000 problems at line 1000; the rest of the file was not checked." in result.stdout


RSS_PROBE = """
import resource, sys
from credbot.cli import main
try:
    main(sys.argv[1:])
finally:
    print(f"peak-rss-mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", file=sys.stderr)
"""


def run_import(db: Path, path: str, stdin: IO[bytes] | int = subprocess.DEVNULL) -> tuple[int, list[str], int]:
    """`credbot catalog import` in its own process: (exit code, stderr lines but the probe's, peak RSS in MB)."""
    env = {"PATH": "/usr/bin:/bin", "CREDBOT_DB": str(db), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, "catalog", "import", path],
        stdin=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, check=False,
    )  # fmt: skip
    *lines, probe = done.stderr.strip().splitlines()
    assert probe.startswith("peak-rss-mb "), done.stderr
    return done.returncode, lines, int(probe.split()[1])


def write_big(path: Path, size: int) -> None:
    """Valid records, each with its own id, up to `size` bytes, written in chunks (never held whole)."""
    chunk: list[str] = []
    written = n = 0
    with path.open("w", encoding="utf-8") as fh:
        while written < size:
            text = line(id=f"bulk-{n:07d}", description="Analysing data with care, step by step. " * 20) + "\n"
            chunk.append(text)
            written += len(text)
            n += 1
            if len(chunk) == 5_000:
                fh.write("".join(chunk))
                chunk.clear()
        fh.write("".join(chunk))


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    big = tmp_path_factory.mktemp("big") / "big.jsonl"
    write_big(big, 100 * 1024 * 1024)
    assert big.stat().st_size >= 100 * 1024 * 1024
    return big


TOO_BIG = "more than the 32.0 MiB a catalog file of this kind may hold; split it and import the parts one by one"


def test_a_100_mb_file_is_refused_at_once_with_bounded_memory(shared_db: Path, big_file: Path) -> None:
    before = table_state(shared_db)
    code, stderr, peak = run_import(shared_db, str(big_file))
    assert code == 2
    assert stderr == [f"credbot: {big_file}: is 100.0 MiB, {TOO_BIG}"]
    assert peak < RSS_LIMIT_MB
    assert table_state(shared_db) == before


def test_a_100_mb_stream_stops_at_the_limit_with_bounded_memory(shared_db: Path, big_file: Path) -> None:
    """Through a pipe there is no size to check first: reading stops once the limit is passed."""
    before = table_state(shared_db)
    feeder = subprocess.Popen(["cat", str(big_file)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert feeder.stdout is not None
    try:
        code, stderr, peak = run_import(shared_db, "/dev/stdin", stdin=feeder.stdout)
    finally:
        feeder.stdout.close()
        feeder.wait()
    assert code == 2
    assert stderr == [f"credbot: /dev/stdin: holds {TOO_BIG}"]
    assert peak < RSS_LIMIT_MB
    assert table_state(shared_db) == before


def test_a_file_just_under_the_limit_imports_whole(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    big = tmp_path / "near.jsonl"
    write_big(big, MAX_FILE_BYTES - 4096)
    records = sum(1 for _ in big.open(encoding="utf-8"))
    code, stderr, peak = run_import(db, str(big))
    assert code == 0 and stderr == [], stderr
    assert peak < RSS_LIMIT_MB
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from credentials where id like 'bulk-%'").fetchone()[0] == records


# --- export ----------------------------------------------------------------------------------------------------------

RISKY = [
    {
        "id": "risky-cells",
        "title": '=HYPERLINK("https://evil.example","click")',
        "provider": "@SUM(1+1)",
        "description": "+cmd|' /C calc'!A0",
        "skills": ["-2+3", "sql"],
        "prerequisites": ["'quoted", "basics"],
    },
    {"id": "tab-cells", "title": "\tTabbed title", "description": "\rA carriage return first"},
]


def test_export_neutralises_formulas_in_csv_and_keeps_json_lines_exact(tmp_path: Path) -> None:
    source = tmp_path / "risky.jsonl"
    source.write_text("".join(line(**r) + "\n" for r in RISKY), encoding="utf-8")
    mine = [json.dumps(record(**r), ensure_ascii=False) for r in RISKY]
    runner = CliRunner()
    _register_optional()
    env = {"CREDBOT_DB": str(tmp_path / "export.db")}
    assert runner.invoke(cli, ["catalog", "import", str(source)], env=env).exit_code == 0

    as_jsonl = runner.invoke(cli, ["catalog", "export"], env=env).stdout
    assert [out for out in as_jsonl.splitlines() if '-cells"' in out] == mine

    as_csv = runner.invoke(cli, ["catalog", "export", "--format", "csv"], env=env).stdout
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(as_csv, newline=""))}
    for row in rows.values():
        for cell in row.values():
            assert not cell.startswith(FORMULA_START), (row["id"], cell)
    risky, tabs = rows["risky-cells"], rows["tab-cells"]
    assert risky["title"] == "'" + RISKY[0]["title"] and risky["provider"] == "'@SUM(1+1)"
    assert risky["description"] == "'+cmd|' /C calc'!A0" and risky["skills"] == "'-2+3;sql"
    assert risky["prerequisites"] == "''quoted;basics"  # a leading quote is doubled, so it survives the way back
    assert tabs["title"] == "'\tTabbed title" and tabs["description"] == "'\rA carriage return first"

    back_csv = tmp_path / "back.csv"  # just these two rows, cells exactly as exported
    with back_csv.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(risky))
        writer.writeheader()
        writer.writerows([risky, tabs])
    other = {"CREDBOT_DB": str(tmp_path / "other.db")}
    again = runner.invoke(cli, ["catalog", "import", str(back_csv)], env=other)
    assert again.exit_code == 0 and "2 new" in again.output, again.output
    back = runner.invoke(cli, ["catalog", "export"], env=other).stdout
    assert [out for out in back.splitlines() if '-cells"' in out] == mine
