"""`credbot eval`: recommendation quality on the project's labelled set, a thin wrapper over recommender/."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from credbot.commands.recommend import open_recommender


@click.command("eval")
@click.option("--write/--no-write", default=True, help="Write docs/EVALUATION.md.")
@click.option(
    "--tune",
    "tune_weights",
    is_flag=True,
    help="First search the weights on the tune split (never the held-out one) and evaluate with what it finds.",
)
@click.option(
    "--pool",
    "pool_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Instead: write the top-10 records of all three systems that no profile judgement covers yet (JSON Lines, "
    "sorted by profile and record, no system named) for blind judging.",
)
def eval_command(write: bool, tune_weights: bool, pool_file: str | None) -> None:
    """Recommendation quality on eval/profiles.jsonl: credbot vs TF-IDF vs embeddings-only."""
    from recommender.evaluation import load_labelled, render_markdown, run_evaluation, tune, weight_changes

    today = date(2026, 12, 1)
    rec = open_recommender()
    if pool_file:
        from recommender.evaluation import unjudged_pool

        pairs = unjudged_pool(rec, load_labelled(today=today), today)
        with open(pool_file, "w", encoding="utf-8") as pool_out:
            for item, c in pairs:
                row = {"profile_id": item.id, "credential_id": c.id, "title": c.title, "provider": c.provider}
                pool_out.write(json.dumps(row, ensure_ascii=False) + "\n")
        click.echo(f"{len(pairs)} unjudged pairs over {len({i.id for i, _ in pairs})} profiles written to {pool_file}")
        return
    if tune_weights:
        before = rec.weights
        click.echo("Searching weights on the tune split...", err=True)
        found = tune(rec, load_labelled(today=today), today)
        changes = weight_changes(before, found)
        click.echo("Weights found: " + (", ".join(changes) if changes else "no change from the defaults"))
        click.echo("To keep them, set these defaults in recommender/scoring.py.")
    report = run_evaluation(rec, today=today)
    click.echo(report.table())
    for goals, told, of in report.hedges:
        click.echo(f'"nothing fits" said for {told} of {of} goals: {goals}')
    if write:
        out = Path("docs/EVALUATION.md")
        out.parent.mkdir(exist_ok=True)
        out.write_text(render_markdown(report), encoding="utf-8")
        click.echo(f"\nWritten to {out}")
