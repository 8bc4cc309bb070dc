/// A Python module written in Rust: `import fast_primes`.
#[pyo3::pymodule]
mod fast_primes {
    use pyo3::prelude::*;

    fn is_prime(n: u64) -> bool {
        n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| n % d != 0)
    }

    const BLOCK: u64 = 1000;

    /// count(k, workers, limit): the primes in worker k's share of the
    /// numbers below limit, the same share as in prime_count.py.
    #[pyfunction]
    fn count(py: Python<'_>, k: u64, workers: u64, limit: u64) -> usize {
        // detach releases the GIL while the closure runs, so other Python
        // threads run meanwhile. The closure cannot touch Python objects.
        py.detach(|| {
            (k * BLOCK..limit)
                .step_by((workers * BLOCK) as usize)
                .flat_map(|start| start..(start + BLOCK).min(limit))
                .filter(|&n| is_prime(n))
                .count()
        })
    }
}
