"""Run the PDF reader in a worker process with a time, memory and page limit.

A hostile PDF (a decompression bomb, a parser loop, ten thousand pages) can only
take its own worker down: the worker gets an address-space limit
(`RLIMIT_AS`), the parent kills it after `timeout` seconds, and every failure
becomes an `IngestError` with a one-line Swedish message naming the file. Cheap
checks (empty, not a PDF, truncated) run before a worker is started.
"""

from __future__ import annotations

import multiprocessing
import resource
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

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
    """`ingest.pdf.read_pdf` in a worker process under `params`' limits."""
    params = params or ExtractParams()
    check_pdf_file(path)
    ctx = multiprocessing.get_context("forkserver")
    receiver, sender = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_work, args=(path, params, sender), daemon=True)
    worker.start()
    sender.close()
    try:
        if not receiver.poll(params.timeout):
            raise IngestError(
                f"{path}: tolkningen tog mer än {params.timeout:g} s och avbröts"
            )
        try:
            status, payload = receiver.recv()
        except EOFError:
            raise IngestError(
                f"{path}: PDF-läsaren dog (slut på minne, gränsen är {params.memory_mb} MB?)"
            ) from None
    finally:
        receiver.close()
        if worker.is_alive():
            worker.kill()
        worker.join()
    if status == "error":
        raise IngestError(payload)
    return payload


def _work(path: Path, params: ExtractParams, sender: Connection) -> None:
    """Worker body: limit memory, read, send ("ok", pages) or ("error", message)."""
    limit = params.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        from ingest.pdf import read_pdf

        sender.send(("ok", read_pdf(path, params)))
    except IngestError as exc:
        sender.send(("error", str(exc)))
    except MemoryError:
        sender.send(("error", f"{path}: minnesgränsen {params.memory_mb} MB överskreds "
                              "(en dekomprimeringsbomb?)"))
    except Exception as exc:  # noqa: BLE001 - every parser failure becomes one message
        sender.send(("error", f"{path}: {describe_pdf_error(exc)}"))
    finally:
        sender.close()


def describe_pdf_error(exc: Exception) -> str:
    """A Swedish one-line reason for a pdfminer exception."""
    name = type(exc).__name__
    if "Password" in name or "Encrypt" in name or "ExtractionNotAllowed" in name:
        return "PDF-filen är krypterad eller lösenordsskyddad och kan inte läsas"
    if "Syntax" in name or "XRef" in name or "EOF" in name:
        return f"PDF-filen är trasig ({name})"
    detail = str(exc).splitlines()[0][:120] if str(exc) else ""
    return f"PDF-filen kunde inte läsas ({name}{': ' + detail if detail else ''})"
