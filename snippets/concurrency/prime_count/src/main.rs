use std::env;
use std::thread;

fn is_prime(n: u64) -> bool {
    n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| n % d != 0)
}

/// Worker `k` takes blocks k, k + workers, k + 2 * workers, ... of BLOCK
/// numbers each, so that every worker gets a fair share of large numbers.
const BLOCK: u64 = 1000;

fn count(k: u64, workers: u64, limit: u64) -> usize {
    (k * BLOCK..limit)
        .step_by((workers * BLOCK) as usize)
        .flat_map(|start| start..(start + BLOCK).min(limit))
        .filter(|&n| is_prime(n))
        .count()
}

fn main() {
    let mut args = env::args().skip(1).map(|a| a.parse().expect("a number"));
    let limit: u64 = args.next().unwrap_or(200_000);
    let workers: u64 = args.next().unwrap_or(1);

    let handles: Vec<_> = (0..workers)
        .map(|k| thread::spawn(move || count(k, workers, limit)))
        .collect();
    let total: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    println!("{total} primes below {limit}");
}
