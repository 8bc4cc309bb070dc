import asyncio

TASKS = 10
waiting = 0  # one thread runs every task: no lock is needed
most = 0


async def fetch(i: int) -> int:
    """Stands in for a request to another service: mostly waiting."""
    global waiting, most
    waiting += 1
    most = max(most, waiting)
    await asyncio.sleep(0.2)
    waiting -= 1
    return i * i


async def main() -> None:
    # The group waits for every task; if one fails, it cancels the others.
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(fetch(i)) for i in range(TASKS)]
    squares = [task.result() for task in tasks]
    print(f"{TASKS} tasks, each waiting 200 ms")
    print(f"most tasks waiting at the same time: {most}")
    print(f"results: {squares}")


if __name__ == "__main__":
    asyncio.run(main())
