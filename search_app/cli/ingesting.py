"""`kb ingest` and `kb chunks`; registered by search_app/cli/__init__.py through `COMMANDS`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from search_app.cli.progress import bar, build_index
from search_app.pipeline import (
    ManifestError,
    files_to_ingest,
    ingest_reports,
    is_stored,
    stored_chunks,
    sync_store,
)
from search_app.serialize import chunk_json
from search_app.settings import Settings


def run_ingest(settings: Settings, paths: tuple[Path, ...] = (), report: bool = False,
               index: bool = True) -> None:
    """Sync the store with `paths` (default: the corpus folder), print what changed,
    then update the index; `kb serve` runs the same on a home without an index."""
    try:
        with bar(len(files_to_ingest(settings, paths)), "fil", "Läser in") as b:
            changes = sync_store(settings, paths, progress=lambda _p: b.update())
    except ManifestError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(changes.summary())
    if report:
        for head, *lines in ingest_reports(settings, changes):
            click.echo("\n".join([head, *(f"  {line}" for line in lines)]))
    if not (changes.added or changes.changed or changes.unchanged) and changes.errors:
        raise SystemExit(1)
    if index:
        build_index(settings)


@click.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--report", is_flag=True, help="Visa per dokument: sidor, ord, reparationer.")
@click.option("--no-index", is_flag=True, help="Uppdatera bara dokumentlagret, inte indexet.")
@click.pass_obj
def ingest_cmd(settings: Settings, paths: tuple[Path, ...], report: bool, no_index: bool) -> None:
    """Läs in filer eller mappar (standard: korpusmappen) till dokumentlagret."""
    run_ingest(settings, paths, report=report, index=not no_index)


@click.command("chunks")
@click.option("--doc", "doc_id", help="Bara detta dokument (doc_id).")
@click.option("--json", "as_json", is_flag=True, help="En JSON-rad per chunk.")
@click.pass_obj
def chunks_cmd(settings: Settings, doc_id: str | None, as_json: bool) -> None:
    """Skriv ut chunkarna i dokumentlagret."""
    if doc_id and not is_stored(settings, doc_id):
        raise click.ClickException(f"Dokumentet {doc_id!r} finns inte i lagret.")
    for chunk in stored_chunks(settings, doc_id):
        if as_json:
            click.echo(json.dumps(chunk_json(chunk), ensure_ascii=False))
        else:
            click.echo(f"{chunk.id}  s. {chunk.page_start}–{chunk.page_end}  "
                       f"{chunk.section_label}\n  {chunk.text[:200]}")


COMMANDS: list[click.Command] = [ingest_cmd, chunks_cmd]
