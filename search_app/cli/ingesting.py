"""`kb ingest` and `kb chunks`; registered by search_app/cli/__init__.py through `COMMANDS`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ingest.clean import summarize
from ingest.manifest import ManifestError
from ingest.model import CleanReport, Document
from ingest.store import ChunkStore, StoreChanges
from search_app.cli.progress import bar, build_index
from search_app.pipeline import files_to_ingest, sync_store
from search_app.serialize import chunk_json
from search_app.settings import Settings


def _report_lines(doc: Document, report: CleanReport) -> list[str]:
    """Pages, words, repairs by step with examples, furniture lines removed
    (the summary is made by the cleaning stage, `ingest.clean.summarize`)."""
    summary = summarize(list(doc.paragraphs), report)
    head = f"{doc.meta.doc_id} ({doc.meta.source}, {doc.page_count} sidor)"
    return [head, *(f"  {line}" for line in summary.lines())]


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
        _print_reports(ChunkStore(settings.home), changes)
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


def _print_reports(store: ChunkStore, changes: StoreChanges) -> None:
    fresh = {r.document.meta.doc_id: r for r in changes.results}
    for doc_id in [*changes.added, *changes.changed, *changes.unchanged]:
        if doc_id in fresh:
            doc, report = fresh[doc_id].document, fresh[doc_id].report
        else:
            doc, report = store.document(doc_id), store.report(doc_id)
        if doc is not None:
            click.echo("\n".join(_report_lines(doc, report or CleanReport())))


@click.command("chunks")
@click.option("--doc", "doc_id", help="Bara detta dokument (doc_id).")
@click.option("--json", "as_json", is_flag=True, help="En JSON-rad per chunk.")
@click.pass_obj
def chunks_cmd(settings: Settings, doc_id: str | None, as_json: bool) -> None:
    """Skriv ut chunkarna i dokumentlagret."""
    store = ChunkStore(settings.home)
    if doc_id and store.record(doc_id) is None:
        raise click.ClickException(f"Dokumentet {doc_id!r} finns inte i lagret.")
    for chunk in store.chunks(doc_id):
        if as_json:
            click.echo(json.dumps(chunk_json(chunk), ensure_ascii=False))
        else:
            click.echo(f"{chunk.id}  s. {chunk.page_start}–{chunk.page_end}  "
                       f"{chunk.section_label}\n  {chunk.text[:200]}")


COMMANDS: list[click.Command] = [ingest_cmd, chunks_cmd]
