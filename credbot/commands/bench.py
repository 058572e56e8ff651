"""`credbot bench`: performance figures (recommender/bench.py, then the bot's in credbot/bench.py)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("bench")
@click.option("--quick", is_flag=True, help="Fewer repetitions and no 100k run (for a smoke test).")
@click.option("--write/--no-write", default=True, help="Write docs/BENCHMARKS.md.")
def bench_command(quick: bool, write: bool) -> None:
    """Performance figures as ratios to bare model calls; writes docs/BENCHMARKS.md."""
    from recommender.bench import run_bench

    text = run_bench(quick=quick, echo=click.echo)
    try:
        from credbot.bench import run_bot_bench

        text += "\n" + "\n".join(run_bot_bench(quick=quick, echo=click.echo))
    except ImportError as exc:  # the emulator is part of the package; this only guards a broken install
        click.echo(f"bot benchmarks skipped: {exc}", err=True)
    if write:
        out = Path("docs/BENCHMARKS.md")
        out.parent.mkdir(exist_ok=True)
        out.write_text(text, encoding="utf-8")
        click.echo(f"\nWritten to {out}")
