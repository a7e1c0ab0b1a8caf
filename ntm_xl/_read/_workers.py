"""Reading files in worker processes that are allowed to die.

python-calamine is native code: on a hostile file it can abort the whole
process (a failed allocation aborts in Rust), exhaust memory or run for
minutes. So each file is read by one of a few worker processes, with a memory
limit per worker and a time limit per file. A worker that dies or overruns is
replaced; the file it held comes back as a ``Failure`` and the run goes on.

Design, for speed: the workers are started once per run and kept (a small
pool, one per CPU, at most ``MAX_WORKERS``); on Linux they are forked, which
costs a few milliseconds, elsewhere they start fresh. Each worker is given one
file at a time plus one waiting, and sends back each result as soon as it has
it, pickled alone, so the caller consumes results while later files are read.

Workers never outlive the run: on Linux the kernel kills a worker when its
parent dies (``PR_SET_PDEATHSIG``); elsewhere a thread in the worker waits on
the parent's sentinel and exits with it; on Windows, when pywin32 is present, a
job object also kills the workers with the parent and caps their memory.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

__all__ = ["DEFAULT_MEMORY", "DEFAULT_SECONDS", "Failure", "ReadLimits", "read_isolated"]

T = TypeVar("T")

DEFAULT_MEMORY = 1 << 30  # bytes a worker may allocate beyond what it starts with
DEFAULT_SECONDS = 30.0  # per file
MAX_WORKERS = 8
_QUEUE_DEPTH = 2  # files handed to a worker at once: one read, one waiting
_STDERR_TAIL = 64 * 1024  # a Rust backtrace (RUST_BACKTRACE=1) after the message runs to KBs


@dataclass(frozen=True)
class ReadLimits:
    """How files are read: in worker processes (``isolated``) with these limits.

    ``memory`` is in bytes per worker (``None``: no limit), ``seconds`` per file
    (``None``: no limit), ``workers`` the number of worker processes (``None``: one
    per CPU, fewer for few files).
    """

    memory: int | None = DEFAULT_MEMORY
    seconds: float | None = DEFAULT_SECONDS
    workers: int | None = None
    isolated: bool = True


@dataclass(frozen=True)
class Failure:
    """Why a file gave no result: ``kind`` is "abort", "memory", "timeout" or "error"."""

    kind: str
    detail: str = ""


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """One file's result, or its failure, and the seconds its reading took."""

    value: T | None
    failure: Failure | None
    seconds: float


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    stderr: Path
    job: Any = None  # the Windows job object holding it, kept alive with it
    queue: deque[int] = field(default_factory=deque)  # indexes handed over, in order
    started: float = 0.0  # when the head of the queue started
    retiring: bool = False  # it ran out of memory, said so, and exits


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _context() -> BaseContext:
    import multiprocessing

    # Forking is much cheaper than a fresh interpreter, but only safe on Linux and in a
    # process with no other thread (xlwings or a library user may have some).
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def can_isolate() -> bool:
    """Whether worker processes can be started here (not in a frozen app without an interpreter)."""
    return not getattr(sys, "frozen", False) and bool(sys.executable)


def read_isolated(
    paths: Sequence[Path],
    function: Callable[..., T],
    args: tuple[object, ...],
    limits: ReadLimits,
) -> Iterator[Outcome[T]]:
    """``function(path, *args)`` for each path, in order, each in a worker process.

    ``function`` and ``args`` must be picklable where workers start fresh (module
    level functions and plain data). Any exception inside ``function`` becomes a
    ``Failure("error")``; callers are expected not to raise for a bad file.
    """
    if not paths:
        return
    pool = _Pool(function, args, limits, len(paths))
    try:
        yield from pool.run(paths)
    finally:
        pool.close()


class _Pool(Generic[T]):
    def __init__(self, function: Callable[..., T], args: tuple[object, ...], limits: ReadLimits, files: int):
        self.function = function
        self.args = args
        self.limits = limits
        self.context = _context()
        wanted = limits.workers or min(cpu_count(), MAX_WORKERS)
        # A worker per few files at most: starting one costs about as much as reading a few.
        self.size = max(1, min(wanted, -(-files // 4)))
        self.workers: list[_Worker] = []
        self.folder = Path(tempfile.mkdtemp(prefix="ntm-xl-workers-"))

    def _start(self) -> _Worker:
        import multiprocessing

        parent_end, child_end = multiprocessing.Pipe(duplex=True)
        stderr = self.folder / f"stderr-{len(self.workers)}-{time.monotonic_ns()}.txt"
        process = self.context.Process(  # type: ignore[attr-defined]
            target=_worker_main,
            args=(child_end, os.getpid(), self.limits.memory, str(stderr), self.function, self.args),
            daemon=True,
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end, stderr)
        worker.job = _windows_job(process, self.limits.memory)
        return worker

    def run(self, paths: Sequence[Path]) -> Iterator[Outcome[T]]:
        from multiprocessing.connection import wait

        pending = deque(range(len(paths)))
        done: dict[int, Outcome[T]] = {}
        limit = self.limits.seconds
        self.workers = [self._start() for _ in range(self.size)]
        next_index = 0
        while next_index < len(paths):
            while next_index in done:
                yield done.pop(next_index)
                next_index += 1
            if next_index >= len(paths):
                break
            for worker in self.workers:
                while pending and len(worker.queue) < _QUEUE_DEPTH:
                    index = pending.popleft()
                    if not worker.queue:
                        worker.started = time.monotonic()
                    worker.queue.append(index)
                    try:
                        worker.connection.send((index, paths[index]))
                    except OSError:
                        break  # it died: seen by wait() below
            busy = [w for w in self.workers if w.queue]
            now = time.monotonic()
            timeout = None if limit is None else max(0.0, min(w.started + limit for w in busy) - now)
            ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout))
            for worker in busy:
                broken = worker.connection in ready and not self._receive(worker, done)
                dead = broken or worker.process.sentinel in ready
                if worker.retiring and not dead:
                    worker.process.join(5)
                overdue = (
                    bool(worker.queue) and limit is not None and time.monotonic() - worker.started > limit
                )
                if dead or overdue or worker.retiring:
                    self._replace(worker, done, pending, overdue and not dead)

    def _receive(self, worker: _Worker, done: dict[int, Outcome[T]]) -> bool:
        """Take every result the worker has sent; False when its connection broke."""
        try:
            while worker.connection.poll():
                index, value, failure, seconds = pickle.loads(worker.connection.recv_bytes())
                done[index] = Outcome(value, failure, seconds)
                if worker.queue and worker.queue[0] == index:
                    worker.queue.popleft()
                    worker.started = time.monotonic()
                if failure is not None and failure.kind == "memory":
                    worker.retiring = True  # it exits after this: the files it holds are read elsewhere
        except (EOFError, OSError, pickle.UnpicklingError):
            return False
        return True

    def _replace(
        self, worker: _Worker, done: dict[int, Outcome[T]], pending: deque[int], overdue: bool
    ) -> None:
        """Stop the worker, blame the file it was reading, hand the waiting ones back."""
        if overdue:
            worker.process.kill()
        worker.process.join(5)
        self._receive(worker, done)  # results it sent before dying still count
        while worker.queue and worker.queue[0] in done:
            worker.queue.popleft()
        if worker.retiring:
            pending.extendleft(reversed(worker.queue))
        elif worker.queue:
            blamed = worker.queue.popleft()
            elapsed = time.monotonic() - worker.started
            done[blamed] = Outcome(None, self._failure(worker, overdue), elapsed)
            pending.extendleft(reversed([i for i in worker.queue if i not in done]))
        self._discard(worker)
        self.workers[self.workers.index(worker)] = self._start()

    def _failure(self, worker: _Worker, overdue: bool) -> Failure:
        if overdue:
            return Failure("timeout", f"{self.limits.seconds:g}")
        code = worker.process.exitcode
        try:
            with worker.stderr.open("rb") as handle:
                handle.seek(max(0, worker.stderr.stat().st_size - _STDERR_TAIL))
                tail = handle.read().decode("utf-8", "replace")
        except OSError:
            tail = ""
        if "memory allocation" in tail or "MemoryError" in tail or code == -signal.SIGKILL:
            # Rust aborts when an allocation fails; a kill from outside is most often for memory.
            lines = tail.strip().splitlines()
            said = next((line for line in reversed(lines) if "memory allocation" in line), "")
            return Failure("memory", said or (lines[-1] if lines else ""))
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"tín hiệu {-code}"
            return Failure("abort", name)
        return Failure("abort", f"mã thoát {code}")

    def _discard(self, worker: _Worker) -> None:
        worker.connection.close()
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(5)
        worker.stderr.unlink(missing_ok=True)

    def close(self) -> None:
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
        deadline = time.monotonic() + 2
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            self._discard(worker)
        self.workers = []
        for leftover in self.folder.glob("*"):
            leftover.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self.folder.rmdir()


# --- in the worker ------------------------------------------------------------------------------


def _worker_main(
    connection: Connection,
    parent: int,
    memory: int | None,
    stderr: str,
    function: Callable[..., object],
    args: tuple[object, ...],
) -> None:
    import faulthandler
    import gc

    faulthandler.disable()  # a crash is reported by the parent, once
    _die_with_parent(parent)
    _redirect_stderr(stderr)
    if memory is not None:
        _limit_memory(memory)
    # Ctrl+C reaches the whole process group: the parent decides, the worker reads on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Reading makes many short-lived objects, few of them in cycles: instead of the
    # collector's own rhythm, the young ones are collected every 64 files and the rest
    # every 1,024. What the worker inherited (modules, caches) is never walked again.
    gc.disable()
    gc.freeze()
    files = 0
    while True:
        files += 1
        if files % 1024 == 0:
            gc.collect()
        elif files % 64 == 0:
            gc.collect(0)
        try:
            message = connection.recv()
        except (EOFError, OSError):
            os._exit(0)
        if message is None:
            os._exit(0)
        index, path = message
        start = time.perf_counter()
        value: object = None
        failure: Failure | None = None
        try:
            value = function(path, *args)
        except MemoryError:
            failure = Failure("memory", "MemoryError")
        except BaseException as exc:
            import traceback

            failure = Failure("error", "".join(traceback.format_exception_only(type(exc), exc)).strip())
            traceback.print_exc()
        try:
            data = pickle.dumps((index, value, failure, time.perf_counter() - start), pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            data = pickle.dumps((index, None, Failure("error", f"{type(exc).__name__}: {exc}"), 0.0))
        try:
            connection.send_bytes(data)
        except OSError:
            os._exit(0)
        if failure is not None and failure.kind == "memory":
            os._exit(0)  # start afresh: the heap may be left in pieces


def _die_with_parent(parent: int) -> None:
    if sys.platform == "linux":
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
            if os.getppid() != parent:  # the parent died before the call
                os._exit(1)
            return
        except (OSError, AttributeError):
            pass
    import multiprocessing

    parent_process = multiprocessing.parent_process()
    if parent_process is None:
        return

    def watch() -> None:
        from multiprocessing.connection import wait

        wait([parent_process.sentinel])
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _redirect_stderr(path: str) -> None:
    """Native code writes its last words to file descriptor 2: keep them for the parent."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(fd, 2)
        os.close(fd)
    except OSError:
        pass


def _limit_memory(memory: int) -> None:
    try:
        import resource
    except ImportError:
        return  # Windows: the job object, when there is one
    start = _address_space()
    limit = start + memory
    for name in ("RLIMIT_AS", "RLIMIT_DATA") if sys.platform == "darwin" else ("RLIMIT_AS",):
        kind = getattr(resource, name, None)
        if kind is None:
            continue
        try:
            _, hard = resource.getrlimit(kind)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(kind, (limit, hard))
        except (OSError, ValueError):
            pass


def _address_space() -> int:
    """Bytes of address space this process holds now (what it inherited, imports, ...)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(usage if sys.platform == "darwin" else usage * 1024)


def _windows_job(process: BaseProcess, memory: int | None) -> Any:
    """A job object capping the worker's memory and killing it with the parent (pywin32)."""
    if sys.platform != "win32":
        return None
    try:
        import win32api
        import win32con
        import win32job
    except ImportError:
        return None  # time alone limits the worker
    try:
        job = win32job.CreateJobObject(None, "")
        info = win32job.QueryInformationJobObject(job, win32job.JobObjectExtendedLimitInformation)
        flags = win32job.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        if memory is not None:
            flags |= win32job.JOB_OBJECT_LIMIT_PROCESS_MEMORY
            info["ProcessMemoryLimit"] = memory + 256 * 1024 * 1024  # the interpreter itself
        info["BasicLimitInformation"]["LimitFlags"] = flags
        win32job.SetInformationJobObject(job, win32job.JobObjectExtendedLimitInformation, info)
        handle = win32api.OpenProcess(win32con.PROCESS_ALL_ACCESS, False, process.pid)
        win32job.AssignProcessToJobObject(job, handle)
        return job
    except Exception:
        return None
