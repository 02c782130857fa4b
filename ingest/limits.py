"""Run the PDF reader in a worker process with a time, memory and page limit.

A hostile PDF (a decompression bomb, a parser loop, ten thousand pages) can only
take its own worker down: the worker gets an address-space limit
(`RLIMIT_AS`), the parent kills it after `timeout` seconds, and every failure
becomes an `IngestError` with a one-line Swedish message naming the file. Cheap
checks (empty, not a PDF, truncated) run before a worker is started.
"""

from __future__ import annotations

import os
import pickle
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ingest.model import Page


class IngestError(Exception):
    """A file that cannot be ingested; the message names the file and says why (in Swedish)."""


@dataclass(frozen=True)
class ExtractParams:
    """Limits for reading one file (search_app's Settings: pdf_timeout, pdf_memory_mb,
    pdf_max_pages)."""

    timeout: float = 60.0  # wall-clock seconds for one PDF
    memory_mb: int = 1024  # address-space limit of the worker
    max_pages: int = 2000  # PDFs with more pages are refused


_TAIL_BYTES = 2048  # %%EOF must stand within this many bytes of the end


def check_pdf_file(path: Path) -> None:
    """Refuse, without parsing, files that cannot be a complete PDF."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fp:
            head = fp.read(1024)
            fp.seek(max(0, size - _TAIL_BYTES))
            tail = fp.read()
    except OSError as exc:
        raise IngestError(f"{path}: filen kan inte läsas ({exc.strerror})") from exc
    if size == 0:
        raise IngestError(f"{path}: filen är tom")
    if b"%PDF-" not in head:
        raise IngestError(f"{path}: inte en PDF (filen börjar inte med %PDF-)")
    if b"%%EOF" not in tail:
        raise IngestError(f"{path}: PDF-filen är avkortad (slutmarkeringen %%EOF saknas)")


def read_limited(path: Path, params: ExtractParams | None = None) -> list[Page]:
    """`ingest.pdf.read_pdf` in a worker process (`python -m ingest.pdf`) under
    `params`' limits; the worker is killed when the time is up."""
    params = params or ExtractParams()
    check_pdf_file(path)
    command = [sys.executable, "-m", "ingest.pdf", str(path),
               str(params.memory_mb), str(params.max_pages)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=params.timeout,
                              env=_worker_env(), check=False)
    except subprocess.TimeoutExpired:
        raise IngestError(
            f"{path}: tolkningen tog mer än {params.timeout:g} s och avbröts"
        ) from None
    try:
        status, payload = pickle.loads(done.stdout)
    except Exception:  # noqa: BLE001 - no answer at all: the worker died
        raise IngestError(
            f"{path}: PDF-läsaren avbröts (kod {done.returncode}; "
            f"minnesgränsen är {params.memory_mb} MB)"
        ) from None
    if status != "ok":
        raise IngestError(payload)
    return payload


def _worker_env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def run_worker(path: Path, params: ExtractParams, read, out: BinaryIO) -> None:
    """The worker's body: limit memory, read, write pickled ("ok", pages) or
    ("error", message) to `out`."""
    limit = params.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result = ("ok", read(path, params))
    except IngestError as exc:
        result = ("error", str(exc))
    except MemoryError:
        result = ("error", f"{path}: minnesgränsen {params.memory_mb} MB överskreds "
                           "(en dekomprimeringsbomb?)")
    except Exception as exc:  # noqa: BLE001 - every parser failure becomes one message
        result = ("error", f"{path}: {describe_pdf_error(exc)}")
    try:
        data = pickle.dumps(result)
    except MemoryError:
        data = pickle.dumps(("error", f"{path}: minnesgränsen {params.memory_mb} MB "
                                      "räckte inte för texten"))
    out.write(data)
    out.flush()


def describe_pdf_error(exc: Exception) -> str:
    """A Swedish one-line reason for a pdfminer exception."""
    name = type(exc).__name__
    if "Password" in name or "Encrypt" in name or "ExtractionNotAllowed" in name:
        return "PDF-filen är krypterad eller lösenordsskyddad och kan inte läsas"
    if "Syntax" in name or "XRef" in name or "EOF" in name:
        return f"PDF-filen är trasig ({name})"
    detail = str(exc).splitlines()[0][:120] if str(exc) else ""
    return f"PDF-filen kunde inte läsas ({name}{': ' + detail if detail else ''})"
