"""`kb eval` and `kb bench`; registered by search_app/cli/__init__.py through `COMMANDS`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from search_app.settings import Settings

MODE_CHOICES = ("keyword", "dense", "hybrid")


def _modes(value: str) -> tuple[str, ...]:
    modes = tuple(m.strip() for m in value.split(",") if m.strip())
    unknown = [m for m in modes if m not in MODE_CHOICES]
    if unknown or not modes:
        raise click.BadParameter(f"okänt läge {unknown}; välj bland {', '.join(MODE_CHOICES)}")
    return modes


def _dump(report: dict, out: Path | None, as_json: bool) -> bool:
    text = json.dumps(report, ensure_ascii=False, indent=2)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
    if as_json:
        click.echo(text)
    return as_json


def _ensure_index(settings: Settings, docs: Path) -> None:
    """Ingest and index `docs` into settings.home unless that home already has an index."""
    from search_app.measure.bench import current_generation, kb

    if current_generation(settings.home) is not None:
        click.echo(f"{settings.home} har redan ett index; --docs används inte.", err=True)
        return
    click.echo(f"Läser in {docs} till {settings.home} …", err=True)
    kb(settings, "ingest", str(docs))
    kb(settings, "index")


def _read_all(paths: tuple[Path, ...]) -> list:
    """The questions of every file, in order; ids must be unique across files."""
    from search_app.measure import evaluate

    items, origin = [], {}
    for path in paths:
        try:
            questions = evaluate.read_questions(path)
        except evaluate.EvalFileError as exc:
            raise click.ClickException(str(exc)) from exc
        for q in questions:
            if q.id in origin:
                raise click.ClickException(
                    f"Fråge-id {q.id!r} finns i både {origin[q.id]} och {path}; "
                    "id:n måste vara unika (de avgör halvorna i --cv).")
            origin[q.id] = path
        items += questions
    return items


@click.command("eval")
@click.argument("questions", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Skriv hela rapporten som JSON.")
@click.option("--modes", default="keyword,dense,hybrid", show_default=True,
              help="Sökläge(n), kommaseparerade.")
@click.option("--no-ask", is_flag=True, help="Mät bara sökningen (inga svar).")
@click.option("--perturb", is_flag=True,
              help="Fråga också varianter (utan å/ä/ö, gemener, stavfel, nyckelord, synonym) "
                   "och mät hur ofta svaret blir detsamma.")
@click.option("--cv", is_flag=True,
              help="Korsvalidera svarsparametrarna: anpassa på ena halvan av frågorna, mät "
                   "på den andra, åt båda hållen.")
@click.option("--docs", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Läs först in den här katalogen till KB_HOME om det saknar index.")
@click.option("--negatives", "negatives", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Frågefil ur en annan samling (t.ex. SweFAQ): varje fråga ska avböjas.")
@click.option("--worst", default=8, show_default=True, help="Antal sämsta frågor att visa.")
@click.option("--out", type=click.Path(path_type=Path), help="Spara JSON-rapporten här.")
@click.pass_obj
def eval_cmd(settings: Settings, questions: tuple[Path, ...], as_json: bool, modes: str,
             no_ask: bool, perturb: bool, cv: bool, docs: Path | None,
             negatives: tuple[Path, ...], worst: int, out: Path | None) -> None:
    """Mät sökning och svar mot en eller flera frågefiler (format som
    ../shared/eval/dev.jsonl); --perturb och --cv lägger till robusthet och
    korsvaliderade svarsmått (docs/evaluation.md)."""
    from search_app.engine import Engine
    from search_app.measure import evaluate
    from search_app.measure.crossval import CachedEngine

    items = _read_all(questions) + evaluate.as_negatives(_read_all(negatives))
    if docs is not None:
        _ensure_index(settings, docs)
    # One cache of retrieval and embeddings shared by every section below.
    engine = CachedEngine(Engine(settings))

    def progress(label: str):
        def show(done: int, total: int) -> None:
            click.echo(f"\r{label}{done}/{total} frågor", nl=done == total, err=True)
        return show

    report = evaluate.run_eval(engine, items, _modes(modes), ask=not no_ask,
                               progress=progress(""), worst=worst)
    if perturb:
        from search_app.measure.perturb import run_perturbation

        report["perturbation"] = run_perturbation(engine, items, progress=progress("varianter: "),
                                                  worst=max(worst, 10))
    if cv:
        from search_app.measure.crossval import run_crossval

        report["crossval"] = run_crossval(engine, items, log=lambda m: click.echo(m, err=True))
    from search_app.measure.bench import machine_info

    report["source"] = {"questions": [str(q) for q in questions],
                        "negatives": [str(n) for n in negatives], "home": str(settings.home),
                        "embedder": settings.embedder, "machine": machine_info()}
    if not _dump(report, out, as_json):
        click.echo(evaluate.format_report(report))
        if perturb:
            from search_app.measure.perturb import format_perturbation

            click.echo(format_perturbation(report["perturbation"]))
        if cv:
            from search_app.measure.crossval import format_crossval

            click.echo(format_crossval(report["crossval"]))


@click.command("bench")
@click.option("--scale", "scales", type=click.IntRange(1, 1000), multiple=True, default=(1,),
              show_default=True, help="Korpusens skala (upprepa: --scale 1 --scale 10).")
@click.option("--quick", is_flag=True, help="Få förfrågningar: för röktest.")
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
@click.option("--out", type=click.Path(path_type=Path), help="Spara JSON-resultatet här.")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path),
              help="Behåll korpus och index här (annars en temporär katalog).")
@click.option("--profile", "profile_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Skriv pyinstrument-profiler av sök och fråga hit.")
@click.option("--no-http", is_flag=True, help="Hoppa över mätningen mot kb serve.")
@click.option("--reuse", is_flag=True,
              help="Återanvänd ett index som redan byggts i --workdir (inget nytt bygge).")
@click.pass_obj
def bench_cmd(settings: Settings, scales: tuple[int, ...], quick: bool, as_json: bool,
              out: Path | None, workdir: Path | None, profile_dir: Path | None,
              no_http: bool, reuse: bool) -> None:
    """Mät hastighet: inläsning, embeddings, indexbygge och frågor, med referenser."""
    from search_app.measure.bench import BenchConfig, BenchError, format_bench, run_bench

    if reuse and workdir is None:
        raise click.UsageError("--reuse kräver --workdir")
    cfg = BenchConfig(scales=tuple(sorted(set(scales))), quick=quick, workdir=workdir,
                      profile_dir=profile_dir, http=not no_http, reuse=reuse)
    try:
        report = run_bench(cfg, settings, log=lambda msg: click.echo(msg, err=True),
                           checkpoint=lambda partial: _dump(partial, out, False))
    except BenchError as exc:
        raise click.ClickException(str(exc)) from exc
    if not _dump(report, out, as_json):
        click.echo(format_bench(report))


COMMANDS: list[click.Command] = [eval_cmd, bench_cmd]
