"""Run a notebook as a report: papermill on an explicit kernel, then the HTML export.

:func:`run_notebook` checks the parameters against the notebook's ``parameters`` cell
(:mod:`.params`), runs it with papermill on an explicit kernel, and writes the executed
``.ipynb`` and an HTML report (:mod:`.html`), each written to a temporary file first and moved
into place, so a reader never sees half a report. A failing cell raises
:class:`NotebookRunError` with one readable block and keeps the partly executed notebook as
``<name>.FAILED.ipynb``. :func:`run_many` runs several, one progress line each.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from queue import Empty
from typing import Any

from ..exercises._progress import PROGRESS_ENV
from ._files import FILE_MODE
from .html import export_html
from .params import find_notebook, read_notebook, resolve_parameters

__all__ = ["NotebookRunError", "RunResult", "run_many", "run_notebook"]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class NotebookRunError(RuntimeError):
    """A notebook cell failed. ``str(err)`` is one readable block; attributes hold the parts.

    Attributes
    ----------
    notebook : Path
    failed_path : Path or None
        The partly executed notebook (``<name>.FAILED.ipynb``), if one was written.
    cell_index : int or None
        Index of the failing cell in the source notebook (0-based, all cell types).
    cell_line : str
        First line of the failing cell's source.
    ename, evalue : str
        Error type and message, without terminal colour codes.
    """

    def __init__(self, message: str, *, notebook: Path, failed_path: Path | None = None,
                 cell_index: int | None = None, cell_line: str = "", ename: str = "",
                 evalue: str = ""):
        super().__init__(message)
        self.notebook = notebook
        self.failed_path = failed_path
        self.cell_index = cell_index
        self.cell_line = cell_line
        self.ename = ename
        self.evalue = evalue


@dataclass(frozen=True)
class RunResult:
    """Where :func:`run_notebook` wrote its outputs, and what it ran with."""

    notebook: Path
    ipynb_path: Path
    html_path: Path
    parameters: dict = field(default_factory=dict)
    seconds: float = 0.0


# --- running ---------------------------------------------------------------------------------


def _normalise_kernel(kernel_name: str | None) -> str:
    """``None``, ``""``, ``"python"`` -> ``"python3"`` (the current interpreter's kernel)."""
    if not kernel_name or kernel_name in ("python", "python3", "py3"):
        return "python3"
    return kernel_name


@contextmanager
def _no_progress_recording():
    """A report run is not somebody studying: its kernel records no exercise progress.

    The kernel inherits this process's environment, so ``PLAYBOOK_PROGRESS=off`` is set for
    the run (see :mod:`playbook_lib.exercises._progress`) and the old value put back after.
    """
    old = os.environ.get(PROGRESS_ENV)
    os.environ[PROGRESS_ENV] = "off"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(PROGRESS_ENV, None)
        else:
            os.environ[PROGRESS_ENV] = old


@cache
def _this_python_kernel_manager():
    """A kernel manager whose "python3" kernel is always the interpreter running the kit.

    A ``python3`` kernelspec in the user's Jupyter folder (e.g. left by another Python) would
    otherwise win over the environment's; the kernel spec here comes from ipykernel itself
    (``sys.executable -m ipykernel_launcher``).

    Its client polls the kernel's sockets in 0.2 s slices. With pyzmq 27 and jupyter_client 8
    the asynchronous client now and then misses the wake-up for a message that has already
    arrived (seen on cells that display a ``widgets.interactive``: about one run in three of a
    notebook with fifteen of them), and the cell then "runs" until the cell time limit before
    completing normally. Polling in short slices picks the message up at the next slice.
    """
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.channels import AsyncZMQSocketChannel
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Type, default

    class SlicedPollChannel(AsyncZMQSocketChannel):
        async def get_msg(self, timeout=None):
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                left = None if deadline is None else deadline - time.monotonic()
                step = 200 if left is None else max(0, min(200, int(left * 1000)))
                if await self.socket.poll(step):
                    return await self._recv()
                if left is not None and left <= 0.2:
                    raise Empty

    class SlicedPollClient(AsyncKernelClient):
        shell_channel_class = Type(SlicedPollChannel)
        iopub_channel_class = Type(SlicedPollChannel)

    class ThisPythonKernelManager(AsyncKernelManager):
        @default("client_factory")
        def _sliced_poll_client(self):
            return SlicedPollClient

        @property
        def kernel_spec(self):
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(resource_dir="", **get_kernel_dict())
            return self._kernel_spec

    return ThisPythonKernelManager


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _failure_block(path: Path, nb_source, exc, failed_path: Path | None) -> NotebookRunError:
    """One readable block from a PapermillExecutionError."""
    source = exc.source or ""
    index = next((i for i, c in enumerate(nb_source.cells)
                  if c.cell_type == "code" and c.source == source), exc.cell_index)
    ename = _ANSI.sub("", exc.ename or "Error")
    evalue = _ANSI.sub("", str(exc.evalue or "")).strip()
    tb = _ANSI.sub("", "\n".join(exc.traceback or []))
    where = ""
    m = list(re.finditer(r"Cell In\[\d+\], line (\d+)", tb))
    if m:
        n = int(m[0].group(1))
        lines = source.splitlines()
        if 1 <= n <= len(lines):
            where = f"\n  at line {n}: {lines[n - 1].strip()}"
    first = _first_line(source)
    lines = [f"Notebook {path.name} failed in cell {index}: {first}{where}",
             f"  {ename}: {evalue}" if evalue else f"  {ename}"]
    if failed_path is not None:
        lines.append(f"The partly executed notebook is kept at {failed_path}")
    return NotebookRunError("\n".join(lines), notebook=path, failed_path=failed_path,
                            cell_index=index, cell_line=first, ename=ename, evalue=evalue)


def run_notebook(notebook: str | os.PathLike, *, params: Mapping[str, Any] | None = None,
                 params_file: str | os.PathLike | None = None,
                 data: str | os.PathLike | None = None, out_dir: str | os.PathLike = "reports",
                 kernel_name: str = "python3", timeout: float | None = 600,
                 progress: bool = False, output_name: str | None = None) -> RunResult:
    """Run a notebook with parameters and write ``<out_dir>/<name>.ipynb`` and ``.html``.

    Parameters
    ----------
    notebook : path or name
        A notebook file, or the name of one of the kit's notebooks (``"00_start_here"``).
    params : mapping, optional
        Parameter values (text is converted to the type of each default: ``"3"`` -> 3 for an
        int default, ``"007"`` stays ``"007"`` for a text default, ``yes``/``no`` for bools).
    params_file : path, optional
        YAML or JSON file of parameters; ``params`` win over it.
    data : path, optional
        Shortcut for the ``DATA`` parameter (a shop folder, or ``"demo"``).
    out_dir : path
        Output folder (created if needed).
    kernel_name : str
        Jupyter kernel; ``"python3"`` is the interpreter running this function.
    timeout : float or None
        Seconds each cell may run (None: no limit).
    progress : bool
        Show papermill's progress bar.
    output_name : str, optional
        Output file stem (default: the notebook's name).

    Returns
    -------
    RunResult
        ``ipynb_path`` and ``html_path`` of the outputs.

    Raises
    ------
    ParameterError
        Unknown parameter or bad value (before anything runs).
    NotebookRunError
        A cell failed or timed out; ``<name>.FAILED.ipynb`` is kept in ``out_dir``, no HTML is
        written.
    """
    import papermill as pm  # heavy: only when a notebook runs
    from papermill.exceptions import PapermillExecutionError

    path = find_notebook(notebook)
    values = resolve_parameters(path, params, params_file=params_file, data=data)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = output_name or path.stem
    ipynb_path, html_path = out / f"{stem}.ipynb", out / f"{stem}.html"
    failed_path = out / f"{stem}.FAILED.ipynb"
    fd, tmp_name = tempfile.mkstemp(dir=out, prefix=f".{stem}.", suffix=".part.ipynb")
    os.close(fd)
    tmp = Path(tmp_name)
    started = time.perf_counter()
    try:
        kernel = _normalise_kernel(kernel_name)
        # ipykernel warns on stderr that its local TCP sockets are not encrypted; that is
        # noise for a report run, so our own Python kernel logs errors only.
        engine = {}
        if kernel == "python3":
            engine = {"kernel_manager_class": _this_python_kernel_manager(),
                      "extra_arguments": ["--log-level=ERROR"]}
        try:
            with _no_progress_recording():
                executed = pm.execute_notebook(
                    str(path), str(tmp), parameters=values, kernel_name=kernel,
                    language="python", execution_timeout=timeout, progress_bar=progress,
                    log_output=False, cwd=str(path.parent), **engine)
        except PapermillExecutionError as exc:
            os.chmod(tmp, FILE_MODE)
            os.replace(tmp, failed_path)
            raise _failure_block(path, read_notebook(path), exc, failed_path) from None
        except Exception as exc:  # noqa: BLE001 - a timeout or a dead kernel, not a cell error
            kept = None
            if tmp.exists() and tmp.stat().st_size > 0:
                os.chmod(tmp, FILE_MODE)
                os.replace(tmp, failed_path)
                kept = failed_path
            name = type(exc).__name__
            msg = _ANSI.sub("", str(exc)).strip().splitlines()
            text = (f"Notebook {path.name} did not finish: {name}: {msg[0] if msg else ''}"
                    + (f" (cell time limit {timeout:g} s)" if "Timeout" in name and timeout
                       else ""))
            if kept:
                text += f"\nThe partly executed notebook is kept at {kept}"
            raise NotebookRunError(text, notebook=path, failed_path=kept, ename=name,
                                   evalue=msg[0] if msg else "") from None
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, ipynb_path)
    finally:
        tmp.unlink(missing_ok=True)
    failed_path.unlink(missing_ok=True)
    export_html(executed, html_path)
    return RunResult(path, ipynb_path, html_path, values, time.perf_counter() - started)


# --- batches ---------------------------------------------------------------------------------


def run_many(notebooks: Iterable[str | os.PathLike], *, out_dir: str | os.PathLike = "reports",
             stream=None, **kwargs) -> list[RunResult]:
    """Run several notebooks, one progress line each; raise at the end if any failed.

    Every notebook runs even when an earlier one fails; the :class:`NotebookRunError` raised
    at the end lists each failure.
    """
    stream = stream if stream is not None else sys.stdout
    notebooks = list(notebooks)
    results, failures = [], []
    for i, nb in enumerate(notebooks, start=1):
        name = Path(nb).stem
        print(f"[{i}/{len(notebooks)}] {name} ...", end=" ", file=stream, flush=True)
        t0 = time.perf_counter()
        try:
            r = run_notebook(nb, out_dir=out_dir, **kwargs)
        except NotebookRunError as exc:
            print(f"FAILED after {time.perf_counter() - t0:.1f} s: "
                  f"{exc.ename}: {exc.evalue}"[:200], file=stream, flush=True)
            failures.append(exc)
            continue
        print(f"ok ({r.seconds:.1f} s) -> {r.html_path}", file=stream, flush=True)
        results.append(r)
    if failures:
        raise NotebookRunError(
            f"{len(failures)} of {len(notebooks)} notebooks failed:\n\n"
            + "\n\n".join(str(f) for f in failures),
            notebook=failures[0].notebook, failed_path=failures[0].failed_path,
            cell_index=failures[0].cell_index, cell_line=failures[0].cell_line,
            ename=failures[0].ename, evalue=failures[0].evalue)
    return results
