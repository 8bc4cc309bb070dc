import asyncio
import sys
import time

BEAT = 0.05


async def heartbeat() -> float:
    """Another task on the same event loop: it wants to wake up after 50 ms."""
    await asyncio.sleep(BEAT)
    return time.monotonic()


def slow_job() -> None:
    """Blocks its thread for 300 ms, as CPU-bound work or blocking I/O would."""
    time.sleep(0.3)


async def run(offload: bool) -> tuple[float, float, float]:
    """Runs the job next to the heartbeat; returns when each one finished."""
    started = time.monotonic()
    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(0)  # let the heartbeat start waiting
    if offload:
        # Runs in the loop's thread pool; this task waits for it without
        # holding up the others.
        await asyncio.to_thread(slow_job)
    else:
        slow_job()  # holds up every task on the loop for 300 ms
    job_done = time.monotonic()
    return started, await beat, job_done


async def main(timings: bool) -> None:
    for offload, how in [(False, "called in the task"), (True, "to_thread")]:
        started, beat_done, job_done = await run(offload)
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
