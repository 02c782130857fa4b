"""Progress bars on stderr for the long commands (tqdm); the library only calls back."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click

from search_app.pipeline import update_index
from search_app.settings import Settings


@contextmanager
def bar(total: int | None, unit: str, desc: str, enabled: bool = True):
    """A tqdm bar whose `update` the library's progress callbacks call; a no-op when disabled."""
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, leave=False) as b:
        yield b


def build_index(settings: Settings, rebuild: bool = False, quiet: bool = False) -> None:
    """`update_index` with a progress bar, then one line saying what was built."""
    with bar(None, "fönster", "Bäddar in textfönster", enabled=not quiet) as b:
        report = update_index(settings, rebuild=rebuild,
                              progress=b.update if b is not None else None)
    if report.unchanged:
        click.echo(f"Indexet {report.generation} är redan aktuellt ({report.chunks} avsnitt).")
        return
    click.echo(
        f"{report.generation}: {report.documents} dokument, {report.chunks} avsnitt "
        f"({report.embedded} inbäddade, {report.reused} återanvända) på {report.seconds:.1f} s."
    )
