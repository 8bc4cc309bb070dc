import asyncio
import sys
import time

BEAT = 0.05
JOB = 0.3


async def heartbeat() -> float:
    """Another task on the same event loop: it wants to wake up after 50 ms."""
    await asyncio.sleep(BEAT)
    return time.monotonic()


def slow_job() -> None:
    """Blocks its thread for 300 ms, waiting, as blocking I/O would. While it
    waits it lets go of the GIL."""
    time.sleep(JOB)


def busy_job() -> None:
    """300 ms of pure-Python computation, which holds the GIL: CPython hands it
    to a thread that asks only every switch interval (5 ms by default)."""
    end = time.monotonic() + JOB
    while time.monotonic() < end:
        pass


async def run(job, offload: bool) -> tuple[float, float, float]:
    """Runs the job next to the heartbeat; returns when each one finished."""
    started = time.monotonic()
    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(0)  # let the heartbeat start waiting
    if offload:
        # Runs in the loop's thread pool; this task waits for it without
        # holding up the others.
        await asyncio.to_thread(job)
    else:
        job()  # holds up every task on the loop for 300 ms
    job_done = time.monotonic()
    return started, await beat, job_done


async def main(timings: bool) -> None:
    modes = [
        (slow_job, False, "called in the task"),
        (slow_job, True, "to_thread"),
        (busy_job, True, "to_thread, CPU-bound"),
    ]
    for job, offload, how in modes:
        started, beat_done, job_done = await run(job, offload)
        if beat_done < job_done:
            order = "heartbeat, then job"
        else:
            order = "job, then heartbeat"
        print(f"{how}: {order}")
        if timings:
            late = beat_done - started - BEAT
            print(f"  heartbeat late by {late * 1e3:.1f} ms")


if __name__ == "__main__":
    asyncio.run(main("--timings" in sys.argv))
