"""How the Flask sample stops on Ctrl+C, beyond the request suite all implementations share:
when gunicorn would add a line to what the page shows.

gunicorn 27.0.1's arbiter answers SIGINT with a quick shutdown (arbiter.py, handle_int and
stop(graceful=False)): SIGQUIT to the worker, then it waits up to `graceful_timeout` (the
sample's 2 s) for the worker to exit, sends SIGKILL to a worker still there, and on reaping it
logs `Worker (pid:N) was sent SIGKILL! Perhaps out of memory?` (reap_workers). The worker exits
about 0.1 s after the first of its two signals (workers/base.py, handle_quit). So the line
comes only from a worker that has not exited 2 s after Ctrl+C: one that both signals reached
before it had set up its own handlers (it still has the arbiter's, which only queue a signal:
both are lost, and it goes on to serve), or one that got no CPU for 2 s. The first happens
before the `Listening on` line (post_worker_init comes after the handlers), so the output
check, which waits for that line, cannot meet it; the second takes a machine busier than any
run of the suite has been (the worker's exit took 1.05 s at most in 60 stops beside two CPU
burners and another test run, load 8.7 on 2 cores).
"""

import contextlib
import signal
import threading

import psutil
import pytest

from harness.servers import GRACE, STOP_BOUND, running, sample_argv
from harness.support import sample_of

SAMPLE = sample_of(__file__)
KILLED = "was sent SIGKILL! Perhaps out of memory?"
# Stops in a row: under a second each, here.
STOPS = 12


@pytest.mark.slow
def test_ctrl_c_after_the_listening_line_adds_nothing_to_the_output(request):
    """The output check's start and stop, again and again, while the suite's other workers
    load the machine (run beside `yes` burners it gave the same, 0 of about 400): every stop
    exits with 0 within the stop bound and prints nothing: no `KILLED` line, nor `was sent
    SIGQUIT!` or `SIGINT!` (earlier versions of the sample printed them), nor Python's
    `Signal 3 ignored due to race condition` (the arbiter's SIGQUIT reaching the worker before
    worker_int has ignored it)."""
    argv = sample_argv(request, SAMPLE, "0")
    for stop in range(STOPS):
        with running(argv) as server:
            stopped = server.stop(signal.SIGINT)
        assert (stopped.status, stopped.stderr) == (0, ""), f"stop {stop + 1} of {STOPS}"
        assert stopped.seconds < STOP_BOUND, f"stop {stop + 1}: {stopped.seconds:.2f} s"


@pytest.mark.slow
@pytest.mark.parametrize("held", [0.5, 3.0], ids=["held 0.5 s", "held 3 s"])
def test_gunicorn_kills_the_worker_only_when_it_has_not_exited_within_the_graceful_timeout(
    request, held
):
    """The worker kept off the CPU (SIGSTOP) from just before Ctrl+C until `held` s after it,
    as an overloaded machine would: under the 2 s graceful timeout it exits by itself; over
    it, the arbiter kills it and logs `KILLED`, the one line the page's output would then show
    beyond its own, after about 2 s."""
    with running(sample_argv(request, SAMPLE, "0")) as server:
        (worker,) = psutil.Process(server.process.pid).children()
        worker.suspend()

        def resume() -> None:
            with contextlib.suppress(psutil.NoSuchProcess):  # killed already
                worker.resume()

        timer = threading.Timer(held, resume)
        timer.start()
        try:
            stopped = server.stop(signal.SIGINT)
        finally:
            timer.cancel()
            resume()
    assert stopped.status == 0, stopped.stderr
    assert stopped.stdout == server.first_line
    if held < GRACE:
        assert KILLED not in stopped.stderr
        assert stopped.seconds < STOP_BOUND
    else:
        (line,) = stopped.stderr.splitlines()
        assert line.endswith(f"[ERROR] Worker (pid:{worker.pid}) {KILLED}"), line
        assert GRACE <= stopped.seconds < held, f"{stopped.seconds:.2f} s"
