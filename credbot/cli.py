"""The `credbot` console script: wiring only; every rule lives in catalog/, recommender/, store/ and bot/.

One module per command group in credbot/commands/; this root only adds them and keeps errors to one line.
"""

from __future__ import annotations

import sys
from typing import IO, Any

import click
from click.exceptions import NoArgsIsHelpError

from credbot.commands.catalog import catalog_group
from store.engine import StoreUnavailable


class OneLineUsageError(click.UsageError):
    """A usage error told in one line on stderr (exit code 2): what was wrong, and where the help is."""

    def show(self, file: IO[Any] | None = None) -> None:
        where = f" See '{self.ctx.command_path} --help'." if self.ctx is not None else ""
        message = " ".join(self.format_message().split())
        click.echo(f"credbot: {message}{where}", file=file, err=file is None)


def one_line(error: click.UsageError) -> click.UsageError:
    """The same error told in one line; a bare group (`credbot catalog`) still shows its help."""
    if isinstance(error, OneLineUsageError | NoArgsIsHelpError):
        return error
    return OneLineUsageError(error.format_message(), ctx=error.ctx)


class CredbotGroup(click.Group):
    """The root command: click's usage errors (bad option values, unknown options, missing arguments) come out
    as one line, like the project's own (`credbot: ...`), instead of usage text plus an error."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise one_line(exc) from exc.__cause__

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise one_line(exc) from exc.__cause__


@click.group(cls=CredbotGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="credbot")
def cli() -> None:
    """credbot: micro-credentials that fit your goal and your week."""


cli.add_command(catalog_group)


def _register_optional() -> None:
    """Later command groups register here; each imports heavy libraries only when run."""
    from credbot.commands import bench, evaluation, model, nudges, recommend
    from credbot.commands import bot as bot_commands

    cli.add_command(recommend.recommend_command)
    cli.add_command(evaluation.eval_command)
    cli.add_command(bench.bench_command)
    cli.add_command(bot_commands.run_command)
    cli.add_command(bot_commands.chat_command)
    cli.add_command(nudges.nudges_group)
    cli.add_command(model.model_group)


def main(argv: list[str] | None = None) -> None:
    _register_optional()
    try:
        cli.main(args=argv, prog_name="credbot", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except StoreUnavailable as exc:
        click.echo(f"credbot: {exc}", err=True)
        sys.exit(2)
    except ValueError as exc:
        from recommender.encoder import ModelDirError

        if not isinstance(exc, ModelDirError):
            raise
        click.echo(f"credbot: {exc}", err=True)  # CREDBOT_MODEL_DIR points at no tuned model
        sys.exit(2)
