"""`credbot model tune`: a thin wrapper over recommender/finetune.py."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from credbot.commands.catalog import fail, open_repository


@click.group("model")
def model_group() -> None:
    """The embedding model: the bundled all-MiniLM-L6-v2, or one fine-tuned here on the project's judgements."""


@model_group.command("tune")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("credbot-model"), show_default=True,
              help="Directory to write the tuned model to.")  # fmt: skip
@click.option("--epochs", type=click.IntRange(1, 10), default=1, show_default=True, help="Passes over the pairs.")
@click.option("--force", is_flag=True, help="Replace a tuned model already in --out (never other files).")
def tune_command(out: Path, epochs: int, force: bool) -> None:
    """Fine-tune all-MiniLM-L6-v2 on the tune split of eval/profiles.jsonl (a few minutes on 2 cores).

    Use it with CREDBOT_MODEL_DIR=<out>; the held-out splits of `credbot eval` then measure it fairly."""
    from recommender.encoder import MODEL_ID, model_path, tuned_model_id
    from recommender.evaluation import load_labelled
    from recommender.finetune import fine_tune, training_pairs

    if out.exists() and not out.is_dir():
        fail(f"{out} is a file, not a directory; choose another --out.")
    if out.is_dir() and any(out.iterdir()):
        if tuned_model_id(out) is None:
            fail(f"{out} already holds other files; choose an empty or new directory for --out.")
        if not force:
            fail(f"{out} already holds a tuned model; add --force to replace it, or choose another --out.")
    credentials = {c.id: c for c in open_repository().all()}
    pairs = training_pairs(load_labelled(), credentials)
    if not pairs:
        fail("the tune split of eval/profiles.jsonl has no judged-relevant records to learn from.", 1)
    click.echo(f"Training on {len(pairs)} goal -> record pairs from the tune split, {epochs} epoch(s)...", err=True)
    started = time.perf_counter()
    shown = -1

    def progress(step: int, steps: int, loss: float) -> None:
        nonlocal shown
        tenth = step * 10 // steps
        if tenth != shown:
            shown = tenth
            click.echo(f"  step {step}/{steps}, loss {loss:.3f}", err=True)

    model_id = fine_tune(model_path(), pairs, out, base_id=MODEL_ID, epochs=epochs, on_step=progress)
    click.echo(f"Saved {model_id} to {out} in {time.perf_counter() - started:.0f} s.")
    click.echo(f"Use it: export CREDBOT_MODEL_DIR={out.resolve()}")
    sys.stdout.flush()
