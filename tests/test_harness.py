"""The harness's own checks fail on the defects they name."""

import signal
import sys

from harness.servers import left_behind, running

# Serves on a free port, and forks a child that ignores Ctrl+C and keeps the listening
# socket: what a worker that outlives its parent looks like.
LINGERING = """
import os, signal, socket, time
sock = socket.create_server(("127.0.0.1", 0))
signal.signal(signal.SIGINT, signal.SIG_IGN)
if os.fork() == 0:
    os.close(1)
    time.sleep(30)
    os._exit(0)
signal.signal(signal.SIGINT, signal.default_int_handler)
print(f"Listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
time.sleep(30)
"""


def test_a_stop_that_leaves_a_process_holding_the_port_is_seen():
    with running([sys.executable, "-c", LINGERING]) as server:
        stopped = server.stop(signal.SIGINT)
        left = left_behind(server)
    assert stopped.stderr.rstrip().endswith("KeyboardInterrupt")  # the parent stopped
    assert len(left) == 2 and left[0].startswith("process ") and "still bound" in left[1], left
