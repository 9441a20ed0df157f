"""Run a lesson's solved copy for the tests, and read what each ``qN.check`` recorded.

Every ``check`` appends ``{"notebook", "question", "outcome", ...}`` to
``$PLAYBOOK_HOME/progress.jsonl``; a test points ``PLAYBOOK_HOME`` at a fresh folder, runs the
notebook (the kernel inherits the environment), then asks :func:`not_correct` which questions'
last outcome is not "correct", with the feedback the check printed.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from queue import Empty
from typing import Any

import nbformat

from playbook_lib import lessons

CELL_TIMEOUT = 300  # seconds a cell may run; the slowest lesson cell takes a few

_CHECK = re.compile(r"^(q\d+)\.check\(", flags=re.MULTILINE)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@cache
def _kernel_manager_class():
    """The kit's way to run a ``python3`` kernel (the interpreter running the tests, as
    ``report._this_python_kernel_manager``), with a client that polls its sockets in short
    slices.

    Why: with this environment's pyzmq/jupyter_client, papermill's async client now and then
    misses the wake-up for a message that has already arrived (seen on cells that display a
    ``widgets.interactive``, in about one run in three of a notebook with fifteen of them), so
    the cell "runs" until the cell timeout and then completes normally. Polling in 0.2 s
    slices catches the message at the next slice. Without it a lesson run costs up to
    ``CELL_TIMEOUT`` extra now and then.
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


def run_solved(md: Path, out_dir: Path, *, data: str | Path = "demo",
               params: Mapping[str, Any] | None = None, nb=None) -> Path:
    """papermill (kernel ``python3``, this interpreter) on the solved copy of a lesson source.

    ``nb`` replaces the solved copy (a doctored one, in the test that proves a wrong answer is
    caught). Returns the path of the executed notebook (also written when a cell fails, and
    papermill's error then names the cell).
    """
    import papermill as pm

    src = out_dir / "solved" / f"{md.stem}.ipynb"
    src.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb if nb is not None else lessons.solved_notebook(md), str(src))
    executed = out_dir / f"{md.stem}.executed.ipynb"
    pm.execute_notebook(
        str(src), str(executed), parameters={"DATA": str(data), **(params or {})},
        kernel_name="python3", language="python", execution_timeout=CELL_TIMEOUT,
        progress_bar=False, log_output=False, cwd=str(src.parent),
        kernel_manager_class=_kernel_manager_class(), extra_arguments=["--log-level=ERROR"])
    return executed


def last_outcomes(progress_file: Path, lesson: str) -> dict[str, str]:
    """The last recorded outcome of each question of ``lesson`` in a progress file."""
    out: dict[str, str] = {}
    if not Path(progress_file).is_file():
        return out
    for line in Path(progress_file).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            if rec["notebook"] == lesson:
                out[rec["question"]] = rec["outcome"]
    return out


def check_feedback(executed: Path) -> dict[str, str]:
    """What each check cell of an executed notebook printed: ``{"q1": "q1 - Incorrect. ..."}``."""
    nb = nbformat.read(str(executed), as_version=4)
    out = {}
    for cell in nb.cells:
        m = _CHECK.search(cell.source) if cell.cell_type == "code" else None
        if not m:
            continue
        texts = []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                texts.append(o.get("text", ""))
            elif o.get("output_type") in ("display_data", "execute_result"):
                texts.append(o.get("data", {}).get("text/plain", ""))
            elif o.get("output_type") == "error":
                texts.append(f"{o.get('ename')}: {o.get('evalue')}")
        out[m.group(1)] = _ANSI.sub("", " ".join(t.strip() for t in texts if t)).strip()
    return out


def not_correct(lesson: str, questions: Iterable[str], progress_file: Path,
                executed: Path) -> list[str]:
    """One line per question whose last check was not "correct": its outcome (or "never
    checked") and the feedback its check cell printed. Empty when every question is correct."""
    outcomes = last_outcomes(progress_file, lesson)
    feedback = None
    bad = []
    for q in questions:
        got = outcomes.get(q)
        if got == "correct":
            continue
        if feedback is None:
            feedback = check_feedback(executed)
        bad.append(f"{q}: {got or 'never checked'}: {feedback.get(q) or '(no output)'}")
    return bad
