"""The impure side of `credbot catalog build`: read sources, write files, encode what changed, compare."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click

from catalog.builder import BuildError, assign_domains, build_catalog, catalog_text, domains_text, occupations_text
from catalog.occupations import Occupation
from catalog.taxonomy import build_occupations

SHIPPED = ("credentials.jsonl", "occupations.jsonl", "domains.json", "vectors.npz")


def write_outputs(src: Path, dest: Path, *, vectors: bool, previous: Path | None, show_problems: int) -> None:
    try:
        credentials, vocabulary, report = build_catalog(src)
    except BuildError as exc:
        click.echo(f"credbot: {exc}", err=True)
        sys.exit(1)
    rows, notes = build_occupations(src, vocabulary)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "credentials.jsonl").write_text(catalog_text(credentials), encoding="utf-8")
    (dest / "occupations.jsonl").write_text(occupations_text(rows), encoding="utf-8")
    curated_domains = json.loads((src / "curated" / "domains.json").read_text(encoding="utf-8"))
    domains = assign_domains(credentials, curated_domains)
    (dest / "domains.json").write_text(domains_text(domains), encoding="utf-8")
    for line in report.summary():
        click.echo(line)
    click.echo(f"{len(credentials)} credentials from {len({c.provider for c in credentials})} providers; "
               f"{len(rows)} occupations")
    brief = [n for n in notes if not n.startswith(("few skills:", "skipped "))]
    for line in brief:
        click.echo(f"occupations: {line}")
    if len(brief) < len(notes):
        click.echo(f"occupations: {len(notes) - len(brief)} more notes (codes skipped, short skill lists) not shown")
    if report.problems:
        click.echo(f"\n{len(report.problems)} source row(s) could not be parsed and were left out whole:")
        for line in report.problems[:show_problems]:
            click.echo(f"  {line}")
        if len(report.problems) > show_problems:
            click.echo(f"  ... and {len(report.problems) - show_problems} more (--show-problems N)")
    if report.skipped:
        click.echo(f"{len(report.skipped)} listing(s) of the second Coursera list have no URL and no match; skipped")
    if vectors:
        from recommender.bundle import ship_vectors
        from recommender.encoder import SentenceTransformerEncoder
        from recommender.shipped import ShippedVectors

        occupations = [Occupation.from_dict(r) for r in rows]
        old = ShippedVectors.load(previous) if previous is not None and previous.exists() else None
        made = ship_vectors(credentials, occupations, SentenceTransformerEncoder(), dest / "vectors.npz",
                            previous=old, progress=sys.stderr.isatty())
        click.echo(f"vectors: {made.total} texts, {made.encoded} encoded, {made.total - made.encoded} reused")


def run_build(src: Path, dest: Path, *, vectors: bool, check: bool, show_problems: int) -> None:
    if not check:
        write_outputs(src, dest, vectors=vectors, previous=dest / "vectors.npz", show_problems=show_problems)
        return
    with tempfile.TemporaryDirectory() as tmp:
        write_outputs(src, Path(tmp), vectors=vectors, previous=dest / "vectors.npz", show_problems=show_problems)
        names = SHIPPED if vectors else SHIPPED[:3]
        differ = [n for n in names if (Path(tmp) / n).read_bytes() != (dest / n).read_bytes()]
    if differ:
        click.echo(f"differs from {dest}: {', '.join(differ)}", err=True)
        sys.exit(1)
    click.echo(f"identical to {dest}: {', '.join(names)}")
