"""`kb serve`: the web app under waitress; registered by search_app/cli/__init__.py via `COMMANDS`.

Options → Settings → `create_app(settings)` → server, as datasette's `serve`
does. When `KB_HOME` holds no index yet, the corpus is ingested and indexed
first by the same command `kb ingest` runs (with its progress bars), and the
embedder is loaded once before the first request.
"""

from __future__ import annotations

import click

from search_app.cli.ingesting import run_ingest
from search_app.engine import IndexFormatError
from search_app.pipeline import has_index
from search_app.settings import Settings

MAX_REQUEST_HEADERS = 32 * 1024  # a 500-character q in percent-encoded UTF-8 is ~4.5 KiB


def build_first(settings: Settings) -> None:
    """Ingest the corpus and build the index, exactly as `kb ingest` would."""
    click.echo(f"Läser in {settings.corpus} och bygger indexet i {settings.home}.")
    run_ingest(settings)


def make_server(settings: Settings):
    """A waitress server for the app (not yet running); tests use it on port 0."""
    from waitress.server import create_server

    from search_app.web import MAX_REQUEST_BYTES, create_app

    app = create_app(settings)
    if has_index(settings):
        _ = app.extensions["kb"].embedder  # load the model once, before any request
    return create_server(
        app,
        host=settings.host,
        port=settings.port,
        threads=settings.threads,
        ident="Kunskapsbanken",
        max_request_body_size=MAX_REQUEST_BYTES,
        max_request_header_size=MAX_REQUEST_HEADERS,
        clear_untrusted_proxy_headers=True,
    )


def _server_or_rebuild(settings: Settings, no_build: bool):
    """An index this code cannot read (older format, other embedder) is rebuilt
    the way `kb ingest` builds one, unless --no-build."""
    try:
        return make_server(settings)
    except IndexFormatError as exc:
        if no_build:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"{exc}\nBygger ett nytt index.")
        build_first(settings)
        return make_server(settings)


@click.command("serve")
@click.option("--host", help="Adress att lyssna på (KB_HOST, standard 127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535), help="Port (KB_PORT, standard 8000).")
@click.option("--threads", type=click.IntRange(1, 64), help="Antal trådar (KB_THREADS).")
@click.option("--no-build", is_flag=True, help="Bygg inte indexet även om det saknas.")
@click.pass_context
def serve_cmd(ctx: click.Context, host: str | None, port: int | None, threads: int | None,
              no_build: bool) -> None:
    """Starta webbtjänsten (sök, frågesvar och JSON-API) med waitress."""
    settings: Settings = ctx.obj.replace(
        **{k: v for k, v in {"host": host, "port": port, "threads": threads}.items()
           if v is not None}
    )
    if not has_index(settings) and not no_build:
        build_first(settings)
    server = _server_or_rebuild(settings, no_build)
    click.echo(f"Kunskapsbanken svarar på http://{settings.host}:{server.effective_port}/ "
               "(avsluta med Ctrl+C)")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("Avslutar.")
    finally:
        server.close()


COMMANDS: list[click.Command] = [serve_cmd]
