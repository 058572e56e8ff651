"""`credbot catalog ...`: export, validate, import, stats, search."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import click

from bot.config import Settings
from catalog.formats import (
    FORMATS,
    MAX_FILE_BYTES,
    MAX_RECORD_BYTES,
    CatalogFileError,
    iter_records,
    write_csv,
    write_jsonl,
)
from catalog.provenance import source_name
from catalog.repository import BundledCatalogError, CatalogRepository
from catalog.stats import stats
from catalog.validate import RawRecord, Validated, format_problems, validate
from credbot.tables import format_table
from store.connect import open_engine


def fail(message: str, code: int = 2) -> None:
    click.echo(f"credbot: {message}", err=True)
    sys.exit(code)


def open_repository() -> CatalogRepository:
    settings = Settings.from_env()
    try:
        return CatalogRepository(open_engine(settings.db_path))
    except BundledCatalogError as exc:
        fail(str(exc), 1)
        raise
    except OSError as exc:
        fail(f"cannot open database {settings.db_path}: {exc}")
        raise


@click.group("catalog")
def catalog_group() -> None:
    """The credential catalog (stored in CREDBOT_DB, default ./credbot.db)."""


@catalog_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
def export_command(fmt: str) -> None:
    """Print every credential, every field (JSON Lines by default).

    In CSV, a cell that a spreadsheet would run as a formula (= + - @ tab CR first) starts with a ' instead."""
    repo = open_repository()
    writer = write_jsonl if fmt == "jsonl" else write_csv
    try:
        writer(repo.all(), sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # `credbot catalog export | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


MAX_PROBLEMS = 1_000  # listed before the check stops: a page to fix, not a flood


def _read(path: str, fmt: str | None) -> tuple[Validated, dict[int, tuple[str, ...]]]:
    """Read and validate in one pass, one record at a time (the file is never held whole in memory)."""
    defaulted: dict[int, tuple[str, ...]] = {}

    def noting(records: Iterator[RawRecord]) -> Iterator[RawRecord]:
        for record in records:
            if record.defaulted:
                defaulted[record.line] = record.defaulted
            yield record

    try:
        checked = validate(noting(iter_records(Path(path), fmt, today=date.today())), limit=MAX_PROBLEMS)
    except CatalogFileError as exc:
        fail(str(exc))
        raise
    return checked, defaulted


def _checked(file: str, fmt: str | None, verdict: str) -> tuple[Validated, dict[int, tuple[str, ...]]]:
    """Read and validate; on any problem list them all, say `verdict`, exit 1."""
    checked, defaulted = _read(file, fmt)
    if checked.problems:
        click.echo(format_problems(checked.problems))
        if checked.stopped_at:
            click.echo(f"Stopped after {len(checked.problems):,} problems at line {checked.stopped_at}; "
                       "the rest of the file was not checked.")  # fmt: skip
        click.echo(verdict.format(n=len(checked.problems), ok=len(checked.credentials), file=file), err=True)
        sys.exit(1)
    return checked, defaulted


LIMITS = (
    f"Files of up to {MAX_FILE_BYTES // (1024 * 1024)} MiB, records (lines) of up to {MAX_RECORD_BYTES // 1024} KiB; "
    "larger ones are refused with a message, never loaded."
)
FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default=None, help="Default: from the file name."
)


@catalog_group.command("validate", epilog=LIMITS)
@click.argument("file", type=click.Path(dir_okay=False))
@FORMAT_OPTION
def validate_command(file: str, fmt: str | None) -> None:
    """Check FILE and list every problem as FILE:LINE: field: message."""
    checked, defaulted = _checked(file, fmt, "{n} problem(s); {ok} record(s) are fine.")
    _report_defaults(defaulted)
    click.echo(f"{file}: {len(checked.credentials)} valid credential(s).")


def _report_defaults(defaulted: dict[int, tuple[str, ...]]) -> None:
    for index, fields in sorted(defaulted.items()):
        click.echo(f"achievement {index}: not in Open Badges 3.0, filled with defaults: {', '.join(fields)}")


@catalog_group.command("import", epilog=LIMITS)
@click.argument("file", type=click.Path(dir_okay=False))
@FORMAT_OPTION
def import_command(file: str, fmt: str | None) -> None:
    """Import FILE all-or-nothing: any problem imports nothing; a good file upserts by id."""
    checked, defaulted = _checked(file, fmt, "Nothing imported: {n} problem(s) in {file}.")
    if not checked.credentials:
        fail(f"{file}: no credentials found", 1)
    repo = open_repository()
    try:
        report = repo.upsert(checked.credentials)
    except sqlite3.Error as exc:  # locked, full disk, read-only file: the transaction rolled back
        fail(f"the database refused the import ({exc}); nothing was imported", 1)
        raise
    _report_defaults(defaulted)
    click.echo(
        f"Imported {file}: {report.inserted} new, {report.updated} updated, {report.unchanged} unchanged "
        f"({repo.count()} in the catalog)."
    )


CATALOG_DIR = Path(__file__).resolve().parents[2] / "catalog"


@catalog_group.command("build")
@click.option("--sources", type=click.Path(file_okay=False), default=None, help="Default: catalog/sources.")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Default: catalog/data (shipped files).")
@click.option("--vectors/--no-vectors", default=True, show_default=True, help="Also build the shipped vectors.")
@click.option("--check", is_flag=True, help="Build into a temporary folder and compare with --out byte for byte.")
@click.option("--show-problems", type=click.IntRange(0, 100_000), default=20, show_default=True)
def build_command(sources: str | None, out: str | None, vectors: bool, check: bool, show_problems: int) -> None:
    """Turn the public snapshots and the curated records into the shipped catalog, deterministically."""
    from credbot.catalog_build import run_build

    src = Path(sources) if sources else CATALOG_DIR / "sources"
    dest = Path(out) if out else CATALOG_DIR / "data"
    if not (src / "curated").is_dir():
        fail(f"{src} holds no curated/ folder: not a catalog sources folder")
    run_build(src, dest, vectors=vectors, check=check, show_problems=show_problems)


@catalog_group.command("stats")
def stats_command() -> None:
    """Counts by provider, type, level, cost band and hours band."""
    import json
    from importlib import resources

    domains = json.loads(resources.files("catalog").joinpath("data/domains.json").read_text(encoding="utf-8"))
    s = stats(open_repository().all(), domains)
    click.echo(f"{s.total} credentials from {len(s.by_provider)} providers\n")
    for title, counter in (
        ("Source", s.by_source),
        ("Domain", s.by_domain),
        ("Type", s.by_type),
        ("Level", s.by_level),
        ("Cost", s.by_cost),
        ("Hours", s.by_hours),
    ):
        click.echo(format_table([title, "count"], counter.most_common()))
        click.echo()
    top = s.by_provider.most_common()
    click.echo(format_table(["Provider", "count"], top))


MAX_SEARCH_CHARS = 500


@catalog_group.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
def search_command(text: tuple[str, ...], limit: int) -> None:
    """Full-text search over title, description and skills."""
    query = " ".join(text)
    if len(query) > MAX_SEARCH_CHARS:
        fail(f"the search text is {len(query):,} characters; keep it under {MAX_SEARCH_CHARS} (a few words do best)")
    found = open_repository().search(query, limit=limit)
    if not found:
        click.echo(f"No credential mentions {query!r}. Try fewer or other words.")
        return
    rows = [
        (
            c.id,
            c.title[:60],
            c.provider[:28],
            f"{c.hours:g} h",
            "free" if c.is_free else f"{c.cost:g} {c.currency}",
            f"{source_name(c)} {c.as_of}",
        )
        for c in found
    ]
    click.echo(format_table(["id", "title", "provider", "hours", "cost", "source, as of"], rows))
