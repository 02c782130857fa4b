"""`kb index` and `kb search`; registered by search_app/cli/__init__.py through `COMMANDS`."""

from __future__ import annotations

import json

import click

from index.model import MODES, Filters, Query
from search_app.cli.progress import build_index
from search_app.settings import Settings


@click.command("index")
@click.option("--rebuild", is_flag=True, help="Bädda in alla textavsnitt på nytt.")
@click.option("--quiet", is_flag=True, help="Ingen förloppsindikator.")
@click.pass_obj
def index_cmd(settings: Settings, rebuild: bool, quiet: bool) -> None:
    """Bygg en ny indexgeneration från textlagret (KB_HOME/store)."""
    build_index(settings, rebuild=rebuild, quiet=quiet)


@click.command("search")
@click.argument("text")
@click.option("--k", "k", default=10, show_default=True, help="Antal träffar.")
@click.option("--offset", default=0, show_default=True, help="Hoppa över så många träffar.")
@click.option("--mode", type=click.Choice(MODES), default="hybrid", show_default=True)
@click.option("--doc", multiple=True, help="Bara detta dokument (doc_id); kan upprepas.")
@click.option("--kind", multiple=True, help="Bara denna dokumenttyp; kan upprepas.")
@click.option("--region", multiple=True, help="Bara avsnitt som nämner regionen.")
@click.option("--year", multiple=True, type=int, help="Bara detta år; kan upprepas.")
@click.option("--json", "as_json", is_flag=True, help="Skriv samma JSON som GET /api/search.")
@click.pass_obj
def search_cmd(
    settings: Settings, text: str, k: int, offset: int, mode: str, doc: tuple[str, ...],
    kind: tuple[str, ...], region: tuple[str, ...], year: tuple[int, ...], as_json: bool,
) -> None:
    """Sök i indexet."""
    from search_app.engine import Engine
    from search_app.serialize import search_result_json

    query = Query(text, k=k, offset=offset, mode=mode, filters=Filters(doc, kind, region, year))
    result = Engine(settings).search(query)
    if as_json:
        click.echo(json.dumps(search_result_json(result), ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.total} träffar för {text!r}")
    if result.suggestion:
        click.echo(f"Menade du: {result.suggestion}")
    for rank, hit in enumerate(result.hits, start=offset + 1):
        c = hit.chunk
        pages = f"s. {c.page_start}" + (f"–{c.page_end}" if c.page_end != c.page_start else "")
        click.echo(f"{rank:>3}. [{hit.score:.4f}] {c.title} › {c.section_label} ({pages})")
        snippet = hit.snippet.render("[", "]") if hit.snippet else ""
        click.echo(f"     {snippet}")


COMMANDS: list[click.Command] = [index_cmd, search_cmd]
