"""Processes the tests and the tools start: one that stops when whoever started it dies, and
the CPU time and memory of a process and its children. The lowest layer: the harness and the
tools both use it, and it imports neither."""

import contextlib
import ctypes
import signal
import subprocess

import psutil

# Looked up here, not between fork and exec, where the loader's lock may be held by a thread
# that the fork left behind.
_prctl = ctypes.CDLL(None, use_errno=True).prctl
PR_SET_PDEATHSIG = 1


def stop_with_parent() -> None:
    """In a started process (a preexec_fn): SIGINT (PostgreSQL's fast shutdown, Ctrl+C for a
    sample server) when whoever started it dies, also when it dies too suddenly to stop it
    itself (SIGKILL, a closed terminal)."""
    if _prctl(PR_SET_PDEATHSIG, signal.SIGINT) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")


def tree(process: subprocess.Popen) -> list[psutil.Process]:
    root = psutil.Process(process.pid)
    return [root, *root.children(recursive=True)]


def cpu_by_pid(processes: list[psutil.Process]) -> dict[int, float]:
    found = {}
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            found[process.pid] = times.user + times.system
    return found


def cpu_since(before: dict[int, float], processes: list[psutil.Process]) -> float:
    """CPU seconds the processes used since `before`, process by process: one that started
    since counts whole, one that has exited since counts nothing (summing totals would
    subtract its time, as for PostgreSQL backends that the service run before left open)."""
    now = cpu_by_pid(processes)
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in now.items())


def rss(processes: list[psutil.Process]) -> int:
    total = 0
    for p in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total
