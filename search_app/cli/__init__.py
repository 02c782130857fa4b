"""`kb`: options → Settings → library call → print. Each command is thin."""

from __future__ import annotations

from pathlib import Path

import click

from search_app.engine import EmbedderError, IndexError_
from search_app.settings import Settings, SettingsError


class KbGroup(click.Group):
    """Known failures of any command (no index yet, an index of another format or
    embedder, a build already running, an embedder that cannot load) end in their
    Swedish message and exit code 1, never in a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (IndexError_, EmbedderError) as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=KbGroup)
@click.option("--home", type=click.Path(path_type=Path), help="Datakatalog (KB_HOME).")
@click.option("--corpus", type=click.Path(path_type=Path), help="Korpuskatalog (KB_CORPUS).")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, corpus: Path | None) -> None:
    """Kunskapsbanken: sök och frågesvar i styrdokument om idéburen sektor."""
    try:
        ctx.obj = Settings.from_env(home=home, corpus=corpus)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc


@cli.command("settings")
@click.pass_obj
def settings_cmd(settings: Settings) -> None:
    """Visa alla inställningar med miljövariabel och värde."""
    for name, env, _default, help_text in Settings.describe():
        click.echo(f"{env}={getattr(settings, name)}\t{help_text}")


def _register() -> None:
    """Each area keeps its commands in its own module (cli_<area>.py, `COMMANDS`)."""
    from search_app.cli import asking, ingesting, measuring, searching, serving

    for module in (ingesting, searching, asking, serving, measuring):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()
