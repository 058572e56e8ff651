"""The console script as people use it: exit codes, one-line errors, all-or-nothing import, batch errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from credbot.cli import _register_optional, cli
from tests.fakes import record


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CREDBOT_DB", str(tmp_path / "cli.db"))
    _register_optional()
    return CliRunner()


def test_export_prints_every_bundled_record_with_every_field(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["catalog", "export"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) >= 300 and len({r["provider"] for r in rows}) >= 40
    assert set(rows[0]) == set(record())


def test_broken_file_imports_nothing_and_lists_every_error_with_its_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([json.dumps(record(id="new-one")), "{oops", json.dumps(record(id="x-y", hours=-1))]))
    before = runner.invoke(cli, ["catalog", "stats"]).output.splitlines()[0]
    result = runner.invoke(cli, ["catalog", "import", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2: record: bad JSON" in result.output
    assert f"{bad}:3: hours: must be greater than 0, got -1" in result.output
    assert runner.invoke(cli, ["catalog", "stats"]).output.splitlines()[0] == before
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(record(id="new-one")) + "\n")
    ok = runner.invoke(cli, ["catalog", "import", str(good)])
    assert ok.exit_code == 0 and "1 new" in ok.output


@pytest.mark.parametrize(
    "argv",
    [
        ["catalog", "validate", "no-such-file.jsonl"],
        ["catalog", "import", "no-such-file.jsonl"],
        ["catalog", "import", "x.jsonl", "--format", "xml"],
        ["recommend", "--role", "nurse", "--hours-per-week", "lots"],
        ["recommend", "--batch", "no-such-file.jsonl"],
        ["nudges", "preview", "--at", "next tuesday"],
    ],
)
def test_bad_arguments_get_one_line_and_exit_code_2(runner: CliRunner, argv: list[str]) -> None:
    result = runner.invoke(cli, argv)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith(("Error:", "credbot:"))]
    assert len(errors) == 1, result.output


def test_run_without_token_exits_2_with_one_clear_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "CREDBOT_DB": str(tmp_path / "x.db")}
    result = subprocess.run(
        [sys.executable, "-c", "from credbot.cli import main; main(['run'])"],
        capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parents[2], check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "TELEGRAM_BOT_TOKEN" in result.stderr


def test_importing_the_packages_does_not_import_torch() -> None:
    code = (
        "import sys, catalog, recommender, recommender.engine, credbot.cli, bot.app; print('torch' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


CONTRACT = {"id", "title", "provider", "url", "hours", "weeks", "cost", "currency", "score", "reasons"}


@pytest.mark.model
def test_batch_recommend_keeps_going_past_bad_lines(runner: CliRunner, tmp_path: Path) -> None:
    batch = tmp_path / "profiles.jsonl"
    batch.write_text(
        "\n".join(
            [
                json.dumps({"role": "teacher", "goal": "data analyst", "hours_per_week": 5, "weeks": 12, "budget": 0}),
                "{not json",
                json.dumps({"role": "nurse", "hours_per_week": "lots"}),
                json.dumps({"goal": "front-end web developer", "format": "online"}),
            ]
        )
    )
    result = runner.invoke(cli, ["recommend", "--batch", str(batch), "--top", "3"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 4
    assert "line 2: bad JSON" in lines[1]["error"] and "hours_per_week" in lines[2]["error"]
    for ok in (lines[0], lines[3]):
        assert len(ok["results"]) == 3
        for pick in ok["results"]:
            assert {"id", "title", "provider", "url", "hours", "weeks", "cost", "currency", "score", "reasons"} <= set(
                pick
            )
    assert all(p["cost"] == 0 for p in lines[0]["results"])


def test_eval_prints_all_three_systems_per_split_and_tunes_on_request(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["eval", "--no-write", "--tune"])
    assert result.exit_code == 0, result.output
    assert "Weights found: " in result.output
    rows = [line for line in result.output.splitlines() if line.startswith("| ") and "split" not in line]
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows]
    assert {(c[0], c[1]) for c in cells} == {
        (split, system)
        for split in ("untuned", "heldout", "fresh", "fresh2", "tune", "all")
        for system in ("credbot", "tf-idf", "embeddings-only")
    }
    for c in cells:
        assert all(0.0 <= float(v) <= 1.0 for v in c[3:])
    hedges = [line for line in result.output.splitlines() if line.startswith('"nothing fits" said for ')]
    assert [line.split(": ", 1)[1].split(" (")[0] for line in hedges] == [
        "outside the catalog",
        "tune",
        "heldout",
        "fresh",
        "fresh2",
        "served since the catalog grew",
    ]


def test_model_tune_never_overwrites_without_force(runner: CliRunner, tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    result = runner.invoke(cli, ["model", "tune", "--out", str(taken)])
    assert result.exit_code == 2
    assert "already holds other files; choose an empty or new directory" in result.output
    forced = runner.invoke(cli, ["model", "tune", "--out", str(taken), "--force"])
    assert forced.exit_code == 2 and "other files" in forced.output  # --force never touches foreign files
    assert (taken / "notes.txt").read_text() == "mine"
    (tmp_path / "tuned").mkdir()
    (tmp_path / "tuned" / "credbot-tuned.json").write_text('{"model_id": "x"}')
    again = runner.invoke(cli, ["model", "tune", "--out", str(tmp_path / "tuned")])
    assert again.exit_code == 2 and "already holds a tuned model; add --force" in again.output
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    as_file = runner.invoke(cli, ["model", "tune", "--out", str(a_file)])
    assert as_file.exit_code == 2 and "is a file, not a directory" in as_file.output


def test_a_model_dir_without_a_tuned_model_is_one_clear_line(tmp_path: Path) -> None:
    env = {"CREDBOT_DB": str(tmp_path / "x.db"), "CREDBOT_MODEL_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "credbot", "recommend", "--goal", "learn sql"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("credbot: ")
    assert "credbot model tune" in done.stderr and "Traceback" not in done.stderr


def test_catalog_build_reproduces_the_shipped_files_byte_for_byte(runner: CliRunner) -> None:
    """From catalog/sources: catalog, occupations, domains and vectors (unchanged texts reuse their shipped vector,
    so nothing is encoded and the model is never loaded)."""
    result = runner.invoke(cli, ["catalog", "build", "--check"])
    assert result.exit_code == 0, result.output
    assert "identical to" in result.output and "vectors.npz" in result.output
    assert "vectors: " in result.output and " 0 encoded" in result.output
    assert "5957 credentials from 380 providers" in result.output


def test_catalog_build_refuses_a_folder_without_sources(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["catalog", "build", "--sources", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "no curated/ folder" in result.output


def test_stats_count_by_source_and_domain_and_search_shows_the_source(runner: CliRunner) -> None:
    stats = runner.invoke(cli, ["catalog", "stats"]).output
    for source in ("curated", "coursera", "edx", "udemy"):
        assert any(line.split()[:1] == [source] for line in stats.splitlines())
    assert "software-development" in stats
    found = runner.invoke(cli, ["catalog", "search", "android", "kotlin"]).output
    assert "source, as of" in found and ("coursera 2023-11-08" in found or "curated 2026-" in found)
