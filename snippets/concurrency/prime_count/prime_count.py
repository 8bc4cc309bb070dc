import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def is_prime(n: int) -> bool:
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


BLOCK = 1000


def count(k: int, workers: int, limit: int) -> int:
    """Worker k takes blocks k, k + workers, k + 2 * workers, ... of BLOCK
    numbers each, so that every worker gets a fair share of large numbers."""
    return sum(
        is_prime(n)
        for start in range(k * BLOCK, limit, workers * BLOCK)
        for n in range(start, min(start + BLOCK, limit))
    )


def main() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    pool = (
        ProcessPoolExecutor
        if sys.argv[3:] == ["processes"]
        else ThreadPoolExecutor
    )
    with pool(workers) as executor:
        counts = executor.map(
            count, range(workers), [workers] * workers, [limit] * workers
        )
        total = sum(counts)
    print(f"{total} primes below {limit}")


if __name__ == "__main__":
    main()
