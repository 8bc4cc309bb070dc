import sys
from concurrent.futures import ThreadPoolExecutor

from fast_primes import count  # written in Rust, built by maturin


def main() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    # Threads, not processes: count releases the GIL while it computes.
    with ThreadPoolExecutor(workers) as executor:
        counts = executor.map(
            count, range(workers), [workers] * workers, [limit] * workers
        )
        total = sum(counts)
    print(f"{total} primes below {limit}")


if __name__ == "__main__":
    main()
