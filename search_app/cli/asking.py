"""`kb ask "fråga" [--json]`: an extractive, cited answer from the documents.

`--json` prints exactly `Answer.to_json()`, the object `GET /api/ask` returns.
"""

from __future__ import annotations

import json

import click

from search_app.settings import Settings


@click.command("ask")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Skriv svaret som JSON (som /api/ask).")
@click.pass_obj
def ask_cmd(settings: Settings, question: str, as_json: bool) -> None:
    """Besvara en fråga med citat ur dokumenten."""
    from search_app.engine import Engine

    if not question.strip():
        raise click.UsageError("Frågan är tom.")
    result = Engine(settings).ask(question)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    click.echo(result.answer)
    if result.entities:
        click.echo("")
        for entity in result.entities:
            click.echo(f"{entity.name} ({entity.kind})")
            for ev in entity.evidence:
                click.echo(f"  ”{ev.quote}” — {ev.title or ev.doc_id}, {_pages(ev)}")
    if result.sources:
        click.echo("\nKällor:")
        for i, hit in enumerate(result.sources, start=1):
            c = hit.chunk
            label = f" › {c.section_label}" if c.section else ""
            click.echo(f"{i}. {c.title or c.doc_id}{label}, "
                       f"{_pages(c)} [{c.id}]")


def _pages(item) -> str:
    if item.page_start == item.page_end:
        return f"s. {item.page_start}"
    return f"s. {item.page_start}–{item.page_end}"


COMMANDS: list[click.Command] = [ask_cmd]
