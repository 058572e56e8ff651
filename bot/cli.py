"""The `credbot` console script: wiring only; every rule lives in catalog/, recommender/, store/ and bot/."""

from __future__ import annotations

import sys

import click

from bot.cli_catalog import catalog_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="credbot")
def cli() -> None:
    """credbot: micro-credentials that fit your goal and your week."""


cli.add_command(catalog_group)


def _register_optional() -> None:
    """Later command groups register here; each imports heavy libraries only when run."""
    from bot import cli_recommend

    cli.add_command(cli_recommend.recommend_command)
    cli.add_command(cli_recommend.eval_command)
    cli.add_command(cli_recommend.bench_command)
    from bot import cli_bot

    cli.add_command(cli_bot.run_command)
    cli.add_command(cli_bot.chat_command)
    from bot import cli_nudges

    cli.add_command(cli_nudges.nudges_group)
    from bot import cli_model

    cli.add_command(cli_model.model_group)


def main(argv: list[str] | None = None) -> None:
    _register_optional()
    try:
        cli.main(args=argv, prog_name="credbot", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except ValueError as exc:
        from recommender.encoder import ModelDirError

        if not isinstance(exc, ModelDirError):
            raise
        click.echo(f"credbot: {exc}", err=True)  # CREDBOT_MODEL_DIR points at no tuned model
        sys.exit(2)
