import threading

THREADS = 4
STEPS = 100_000


class Counter:
    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()


def add(counter: Counter) -> None:
    for _ in range(STEPS):
        # Nothing stops code from touching counter.value without the lock;
        # only the convention of always taking it keeps the count right.
        with counter.lock:
            counter.value += 1


def with_lock() -> int:
    counter = Counter()
    threads = [
        threading.Thread(target=add, args=(counter,)) for _ in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter.value


if __name__ == "__main__":
    print(f"expected: {THREADS * STEPS}")
    print(f"threading.Lock: {with_lock()}")
