"""Every command's numeric and enumerated options, out of range or malformed: one line on stderr that names the
problem, exit code 2, nothing on stdout, no traceback, and nothing loaded or changed before the answer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from credbot.cli import _register_optional, cli

ROOT = Path(__file__).resolve().parents[2]
LONG = "x" * 600

CASES: list[tuple[list[str], str]] = [
    # recommend: click's own ranges and choices
    (["recommend", "--role", "nurse", "--top", "0"], "'--top': 0 is not in the range 1<=x<=50"),
    (["recommend", "--role", "nurse", "--top", "51"], "'--top'"),
    (["recommend", "--role", "nurse", "--top", "1.5"], "'--top'"),
    (["recommend", "--role", "nurse", "--top", "many"], "'--top'"),
    (["recommend", "--role", "nurse", "--format", "tv"], "'--format': 'tv' is not one of"),
    (["recommend", "--role", "nurse", "--level", "guru"], "'--level': 'guru' is not one of"),
    (["recommend", "--role", "nurse", "--top"], "'--top' requires an argument"),
    # recommend: the project's own reading of hours, weeks and budget
    (["recommend", "--role", "nurse", "--hours-per-week", "lots"], "--hours-per-week: I couldn't find a number"),
    (["recommend", "--role", "nurse", "--hours-per-week", "-3"], "--hours-per-week: must be a number greater than 0"),
    (["recommend", "--role", "nurse", "--hours-per-week", "0"], "--hours-per-week: must be a number greater than 0"),
    (["recommend", "--role", "nurse", "--hours-per-week", "500"], "--hours-per-week: more than 80 hours"),
    (["recommend", "--role", "nurse", "--hours-per-week", "nan"], "--hours-per-week: 'nan' is not a number"),
    (["recommend", "--role", "nurse", "--hours-per-week", "inf"], "--hours-per-week: 'inf' is not a number"),
    (["recommend", "--role", "nurse", "--hours-per-week", ""], "--hours-per-week: Tell me roughly"),
    (["recommend", "--role", "nurse", "--hours-per-week", "3 days"], "--hours-per-week: How many hours is"),
    (["recommend", "--role", "nurse", "--weeks", "0"], "--weeks: must be a number greater than 0"),
    (["recommend", "--role", "nurse", "--weeks", "-2"], "--weeks: must be a number greater than 0"),
    (["recommend", "--role", "nurse", "--weeks", "nan"], "--weeks: 'nan' is not a number"),
    (["recommend", "--role", "nurse", "--weeks", "1e9"], "--weeks: 1e9 weeks is more than five years"),
    (["recommend", "--role", "nurse", "--weeks", "100 years"], "--weeks: That is more than five years"),
    (["recommend", "--role", "nurse", "--weeks", "by 1999-01-01"], "--weeks: 1 January 1999 has already passed"),
    (["recommend", "--role", "nurse", "--weeks", "2026-02-30"], "--weeks: 2026-02-30 is not a real date"),
    (["recommend", "--role", "nurse", "--weeks", "soonish"], "--weeks: I couldn't read a time frame"),
    (["recommend", "--role", "nurse", "--budget", "-1"], "--budget: a number of at least 0"),
    (["recommend", "--role", "nurse", "--budget", "nan"], "--budget: 'nan' is not a number"),
    (["recommend", "--role", "nurse", "--budget", "-inf"], "--budget: '-inf' is not a number"),
    (["recommend", "--role", "nurse", "--budget", "lots"], "--budget: I couldn't find an amount"),
    (["recommend", "--role", "nurse", "--budget", "5 hours"], "--budget: That sounds like time, not money"),
    (["recommend", "--role", LONG], "--role: please keep it under 500 characters"),
    (["recommend"], "give at least a role or a goal"),
    (["recommend", "--batch", "no-such-file.jsonl"], "no-such-file.jsonl: no such file"),
    # nudges preview --at
    (["nudges", "preview", "--at", "next tuesday"], "--at must be an ISO date-time"),
    (["nudges", "preview", "--at", "2026-13-01"], "--at must be an ISO date-time"),
    (["nudges", "preview", "--at", ""], "--at must be an ISO date-time"),
    (["nudges", "preview", "--at", "2026-12-01T09:00:00+25:00"], "--at must be an ISO date-time"),
    (["nudges", "preview", "--at", "9999-12-31T23:59:59-12:00"], "is out of range; give a date-time between 2000"),
    (["nudges", "preview", "--at", "0001-01-01T00:00:00+05:00"], "is out of range"),
    (["nudges", "preview", "--at", "1999-12-31"], "is out of range"),
    (["nudges", "preview"], "Missing option '--at'"),
    (["nudges", "preview", "--at", "2026-12-01", "--json=yes"], "'--json' does not take a value"),
    # catalog
    (["catalog", "build", "--show-problems", "-1"], "'--show-problems': -1 is not in the range 0<=x<=100000"),
    (["catalog", "build", "--show-problems", "100001"], "'--show-problems'"),
    (["catalog", "build", "--show-problems", "some"], "'--show-problems'"),
    (["catalog", "search", "sql", "--limit", "0"], "'--limit': 0 is not in the range 1<=x<=100"),
    (["catalog", "search", "sql", "--limit", "101"], "'--limit'"),
    (["catalog", "search", "sql", "--limit", "ten"], "'--limit'"),
    (["catalog", "search"], "Missing argument 'TEXT...'"),
    (["catalog", "search", LONG], "the search text is 600 characters; keep it under 500"),
    (["catalog", "export", "--format", "xml"], "'--format': 'xml' is not one of 'jsonl', 'csv'"),
    (["catalog", "validate", "x.jsonl", "--format", "xml"], "'--format': 'xml' is not one of"),
    (["catalog", "import", "x.jsonl", "--format", "xml"], "'--format'"),
    (["catalog", "validate", "no-such-file.jsonl"], "no-such-file.jsonl: no such file"),
    (["catalog", "import"], "Missing argument 'FILE'"),
    (["catalog", "stats", "--top", "3"], "No such option '--top'"),
    # model, eval, bench, run, chat, and the root
    (["model", "tune", "--epochs", "0"], "'--epochs': 0 is not in the range 1<=x<=10"),
    (["model", "tune", "--epochs", "11"], "'--epochs'"),
    (["model", "tune", "--epochs", "one"], "'--epochs'"),
    (["eval", "--write", "yes"], "unexpected extra argument (yes)"),
    (["bench", "--quick", "3"], "unexpected extra argument (3)"),
    (["run", "--no-warm-up=1"], "'--no-warm-up' does not take a value"),
    (["chat", "--name"], "'--name' requires an argument"),
    (["frobnicate"], "No such command 'frobnicate'"),
    (["--frobnicate"], "No such option '--frobnicate'"),
    (["recommend", "--tpo", "3"], "Did you mean '--top'?"),
]


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CREDBOT_DB", str(tmp_path / "args.db"))
    monkeypatch.chdir(tmp_path)
    _register_optional()
    return CliRunner()


@pytest.mark.parametrize(("argv", "says"), CASES, ids=[" ".join(a)[:60] for a, _ in CASES])
def test_a_bad_value_gets_one_line_and_exit_code_2(
    runner: CliRunner, tmp_path: Path, argv: list[str], says: str
) -> None:
    result = runner.invoke(cli, argv)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("credbot: "), result.stderr
    assert says in lines[0]
    assert not (tmp_path / "args.db").exists()  # answered before opening anything


RUN_CASES: list[tuple[list[str], dict[str, str], str]] = [
    (["run", "--port", "8443"], {}, "--listen and --port need --webhook URL"),
    (["run", "--listen", "0.0.0.0"], {}, "--listen and --port need --webhook URL"),
    (["run", "--webhook", "ftp://bot.example.org/tg"], {}, "--webhook must be an https:// address"),
    (["run", "--webhook", "bot.example.org"], {}, "--webhook must be an https:// address"),
    (["run", "--webhook", "https://bot.example.org/healthz"], {}, "cannot use the path /healthz"),
    (["run", "--webhook", "https://bot.example.org/tg", "--port", "70000"], {}, "'--port': 70000 is not in the range"),
    (["run", "--webhook", "https://x.org/tg"], {"CREDBOT_WEBHOOK_SECRET": "not ok!"}, "CREDBOT_WEBHOOK_SECRET must be"),
    (["run", "--claim-lease", "0"], {}, "'--claim-lease': 0.0 is not in the range"),
    (["run", "--send-rate", "0"], {}, "'--send-rate': 0.0 is not in the range"),
    (["run", "--nudge-every", "soon"], {}, "'--nudge-every'"),
]


@pytest.mark.parametrize(("argv", "env", "says"), RUN_CASES, ids=[" ".join(a)[:60] for a, _, _ in RUN_CASES])
def test_run_options_that_cannot_work_get_one_line_and_exit_code_2(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str], says: str
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:" + "A" * 35)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(cli, argv)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("credbot: ") and says in lines[0], result.stderr
    assert "AAAAAAAA" not in result.stderr  # the token is never echoed
    assert not (tmp_path / "args.db").exists()  # answered before opening anything


def test_a_directory_where_a_file_is_expected_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    for argv in (["catalog", "import", str(tmp_path)], ["eval", "--pool", str(tmp_path)]):
        result = runner.invoke(cli, argv)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and "is a directory" in result.stderr


def test_nudges_run_once_without_a_token_is_one_line(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    result = runner.invoke(cli, ["nudges", "run-once"])
    assert result.exit_code == 2 and result.stderr == "credbot: TELEGRAM_BOT_TOKEN is not set.\n"


def test_a_bare_group_still_shows_its_help(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["catalog"])
    assert result.exit_code == 2 and "Commands:" in result.output and "import" in result.output


@pytest.mark.parametrize(
    "argv",
    [
        ["recommend", "--role", "nurse", "--top", "0"],
        ["recommend", "--role", "nurse", "--weeks", "inf"],
        ["nudges", "preview", "--at", "9999-12-31T23:59:59-12:00"],
        ["catalog", "search", "sql", "--limit", "1000"],
    ],
)
def test_the_console_script_answers_the_same_way(tmp_path: Path, argv: list[str]) -> None:
    credbot = Path(sys.executable).with_name("credbot")
    env = {"PATH": "/usr/bin:/bin", "CREDBOT_DB": str(tmp_path / "x.db"), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [str(credbot), *argv], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("credbot: ") and "Traceback" not in done.stderr


def test_an_unreachable_postgresql_store_is_one_line_without_the_password(tmp_path: Path) -> None:
    url = "postgresql://credbot:s3cret@127.0.0.1:1/credbot"  # port 1: nothing listens there
    env = {"PATH": "/usr/bin:/bin", "CREDBOT_DB": url, "HF_HUB_OFFLINE": "1"}
    for argv in (["catalog", "stats"], ["nudges", "status"]):
        done = subprocess.run(
            [sys.executable, "-c", f"from credbot.cli import main; main({argv!r})"],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("credbot: cannot reach the PostgreSQL store at postgresql://credbot:***@")
        assert done.stderr.count("\n") == 1 and "s3cret" not in done.stderr and "Traceback" not in done.stderr
