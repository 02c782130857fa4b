"""`kb ingest` and `kb chunks`; registered by search_app/cli.py through `COMMANDS`."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from ingest.chunk import ChunkParams
from ingest.clean import summarize
from ingest.limits import ExtractParams
from ingest.manifest import ManifestError
from ingest.model import Chunk, CleanReport, Document
from ingest.pipeline import IngestParams
from ingest.store import ChunkStore, StoreChanges
from search_app.settings import Settings


def ingest_params(settings: Settings) -> IngestParams:
    """Settings → the parameters ingestion receives."""
    return IngestParams(
        chunk=ChunkParams(
            min_words=settings.chunk_min_words,
            max_words=settings.chunk_max_words,
            overlap_sentences=settings.chunk_overlap_sentences,
        ),
        extract=ExtractParams(
            timeout=settings.pdf_timeout,
            memory_mb=settings.pdf_memory_mb,
            max_pages=settings.pdf_max_pages,
        ),
    )


def _progress_bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, unit="fil", desc="Läser in", file=sys.stderr, leave=False)


def _report_lines(doc: Document, report: CleanReport) -> list[str]:
    """Pages, words, repairs by step with examples, furniture lines removed
    (the summary is made by the cleaning stage, `ingest.clean.summarize`)."""
    summary = summarize(list(doc.paragraphs), report)
    head = f"{doc.meta.doc_id} ({doc.meta.source}, {doc.page_count} sidor)"
    return [head, *(f"  {line}" for line in summary.lines())]


def _update_index(settings: Settings) -> None:
    try:
        from search_app.indexing import update_index
    except ImportError:
        click.echo("(Indexet byggs inte: search_app.indexing saknas ännu.)", err=True)
        return
    update_index(settings, progress=True)


@click.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--report", is_flag=True, help="Visa per dokument: sidor, ord, reparationer.")
@click.option("--no-index", is_flag=True, help="Uppdatera bara dokumentlagret, inte indexet.")
@click.pass_obj
def ingest_cmd(settings: Settings, paths: tuple[Path, ...], report: bool, no_index: bool) -> None:
    """Läs in filer eller mappar (standard: korpusmappen) till dokumentlagret."""
    from ingest.pipeline import expand_paths

    targets = list(paths) or [settings.corpus]
    store = ChunkStore(settings.home)
    try:
        with _progress_bar(len(expand_paths(targets))) as bar:
            changes = store.sync(targets, ingest_params(settings), progress=lambda _p: bar.update())
    except ManifestError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(changes.summary())
    if report:
        _print_reports(store, changes)
    if not (changes.added or changes.changed or changes.unchanged) and changes.errors:
        raise SystemExit(1)
    if not no_index:
        _update_index(settings)


def _print_reports(store: ChunkStore, changes: StoreChanges) -> None:
    fresh = {r.document.meta.doc_id: r for r in changes.results}
    for doc_id in [*changes.added, *changes.changed, *changes.unchanged]:
        if doc_id in fresh:
            doc, report = fresh[doc_id].document, fresh[doc_id].report
        else:
            doc, report = store.document(doc_id), store.report(doc_id)
        if doc is not None:
            click.echo("\n".join(_report_lines(doc, report or CleanReport())))


def chunk_json(chunk: Chunk) -> dict:
    data = dataclasses.asdict(chunk)
    data.pop("id")
    return {"chunk_id": chunk.id, **data, "section_label": chunk.section_label}


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
