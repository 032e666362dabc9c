"""A pool of worker processes that build one report each at a time.

Not concurrent.futures: a unit that runs past its timeout must be stopped on its own, and
only a worker of our own can be ended without ending the others. A worker ends on SIGTERM
or Ctrl-C through KeyboardInterrupt, so the build's own clean-up runs (its temporary files
go, the previous outputs stay); one killed outright has its temporary files swept here.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import resource
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import connection
from pathlib import Path
from typing import Any

from .units import Unit

OK, FAILED, TIMEOUT, INTERRUPTED = "已生成", "失败", "超时", "已中断"
STOP_GRACE = 5.0  # seconds a worker has to clean up after SIGTERM before it is killed


@dataclass
class UnitResult:
    """One report folder's outcome in a batch: status, message, summary, outputs and cost."""

    unit: Unit
    status: str
    message: str = ""
    summary: dict[str, Any] | None = None  # scores, overrides, check counts (summary.py)
    outputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    peak_kb: int = 0  # the worker's peak resident memory so far

    @property
    def ok(self) -> bool:
        return self.status == OK


def _interrupt(signum, frame) -> None:  # noqa: ANN001
    """Ctrl-C (the terminal signals the whole group) or the parent's SIGTERM: stop once, so
    the build's clean-up is not itself interrupted by the second signal that follows."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, _ignore)  # not SIG_IGN: Python raises for a pending ignored signal
    raise KeyboardInterrupt


def _ignore(signum, frame) -> None:  # noqa: ANN001
    pass


def _task(root: str, out: str, pdf: bool) -> dict[str, Any]:
    from ..errors import ReportError
    from .summary import build_and_summarize

    start = time.perf_counter()
    try:
        summary, outputs = build_and_summarize(Path(root), Path(out), pdf)
        done = {"status": OK, "summary": summary, "outputs": outputs}
    except ReportError as exc:
        done = {"status": FAILED, "message": str(exc)}
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - one report's bug never stops the batch
        done = {"status": FAILED, "message": f"内部错误：{type(exc).__name__}: {exc}"}
    done["seconds"] = time.perf_counter() - start
    done["peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return done


def worker_main(conn: connection.Connection) -> None:
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while True:
            task = conn.recv()
            if task is None:
                return
            conn.send(_task(*task))
    except (KeyboardInterrupt, EOFError, BrokenPipeError):
        return


class _Worker:
    def __init__(self, context: multiprocessing.context.BaseContext):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.unit: Unit | None = None
        self.started = 0.0

    def give(self, unit: Unit, out: Path, pdf: bool) -> None:
        self.unit, self.started = unit, time.monotonic()
        self.conn.send((str(unit.root), str(out / unit.folder), pdf))

    def stop(self) -> None:
        """End the worker: ask an idle one, signal a busy one, kill one that does not go."""
        if self.process.is_alive():
            try:
                if self.unit is None:
                    self.conn.send(None)
                else:
                    self.process.terminate()
            except (BrokenPipeError, OSError):
                self.process.terminate()
        self.process.join(STOP_GRACE)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _sweep(folder: Path) -> None:
    """After a stopped build: finish a move it had journaled, or remove its temporary files
    (build's own recovery), and the unit's folder when nothing is left in it."""
    from ..build import recover

    if folder.is_dir():
        recover(folder)
        if not any(folder.iterdir()):
            folder.rmdir()


def run_pool(
    units: list[Unit], out: Path, *, jobs: int, pdf: bool, timeout: float,
    on_event: Callable[[str, Unit, UnitResult | None], None] | None = None,
) -> tuple[list[UnitResult], bool]:
    """Every unit's result in batch order, and whether Ctrl-C stopped the batch."""
    event = on_event or (lambda kind, unit, result: None)
    context = multiprocessing.get_context("spawn")  # no fork of a parent whose progress bar runs a thread
    queue = deque(units)
    results: dict[int, UnitResult] = {}
    workers: list[_Worker] = []
    interrupted = False

    def finish(worker: _Worker, result: UnitResult) -> None:
        results[result.unit.index] = result
        worker.unit = None
        event("done", result.unit, result)

    def replace(worker: _Worker) -> _Worker:
        worker.stop()
        if worker.unit is not None:
            _sweep(out / worker.unit.folder)
        fresh = _Worker(context)
        workers[workers.index(worker)] = fresh
        return fresh

    def collect(worker: _Worker) -> bool:
        """The worker's result, when it has sent one."""
        try:
            data = worker.conn.recv() if worker.conn.poll() else None
        except (EOFError, OSError):
            data = None
        if data is None:
            return False
        finish(worker, UnitResult(
            worker.unit, data["status"], data.get("message", ""), data.get("summary"),
            [Path(p) for p in data.get("outputs", ())], data["seconds"], data["peak_kb"],
        ))
        return True

    try:
        workers.extend(_Worker(context) for _ in range(max(1, min(jobs, len(units)))))
        while queue or any(w.unit for w in workers):
            for worker in workers:
                if worker.unit is None and queue:
                    unit = queue.popleft()
                    worker.give(unit, out, pdf)
                    event("start", unit, None)
            busy = [w for w in workers if w.unit]
            left = min(w.started + timeout for w in busy) - time.monotonic()
            connection.wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                            timeout=max(0.0, min(left, 1.0)))
            for worker in busy:
                unit = worker.unit
                if collect(worker):
                    continue
                if not worker.process.is_alive() or worker.conn.closed:
                    code = worker.process.exitcode
                    fresh = replace(worker)
                    finish(fresh, UnitResult(unit, FAILED, f"生成时工作进程意外退出（退出码 {code}），可能是内存不足"))
                elif time.monotonic() - worker.started > timeout:
                    fresh = replace(worker)
                    finish(fresh, UnitResult(
                        unit, TIMEOUT, f"超过 {timeout:g} 秒仍未完成，已停止（可用 --timeout 放宽）",
                        seconds=timeout,
                    ))
    except KeyboardInterrupt:
        interrupted = True
    finally:
        for worker in workers:
            if worker.unit is not None:
                with contextlib.suppress(KeyboardInterrupt):
                    collect(worker)  # finished just as Ctrl-C came: its outputs are whole
            busy_unit = worker.unit
            worker.stop()
            if busy_unit is not None:
                _sweep(out / busy_unit.folder)
    for unit in units:
        if unit.index not in results:
            results[unit.index] = UnitResult(unit, INTERRUPTED, "批量生成被中断，本单位未生成")
    return [results[u.index] for u in units], interrupted
