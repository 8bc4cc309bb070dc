"""A blocking call in async code holds up the other tasks; spawn_blocking and to_thread
do not, for a job that waits or computes. The outputs show only the order things finished
in; ./dev bench measures how late."""

import re

import pytest

from harness import transcripts
from harness.support import sample_of

SAMPLE = sample_of(__file__)
LATE = re.compile(r"  heartbeat late by (\d+\.\d) ms")


@pytest.mark.parametrize(
    "command",
    [
        "cargo run -q -p blocking_in_async -- --timings",
        "python snippets/concurrency/blocking_in_async/blocking_in_async.py --timings",
    ],
)
def test_timings_for_the_benchmark(rust_binaries, command):
    """The figures ./dev bench reads: a delay per mode, the blocked one at least the 250 ms the
    job overruns the heartbeat, the offloaded ones less (the job blocks it no more; a
    CPU-bound Python job takes the GIL, which delays it by the switch interval, not by the
    job). How much less is measured, never a pass/fail figure."""
    lines = transcripts.run(command).stdout.splitlines()
    assert [line.split(":")[1].strip() for line in lines[::2]] == [
        "job, then heartbeat",
        "heartbeat, then job",
        "heartbeat, then job",
    ]
    blocked, offloaded, busy = (float(LATE.fullmatch(line)[1]) for line in lines[1::2])
    assert blocked >= 250 > max(offloaded, busy)
