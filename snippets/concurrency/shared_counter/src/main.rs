use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

const THREADS: u64 = 4;
const STEPS: u64 = 100_000;

/// Each thread adds 1, STEPS times, to a number behind a lock.
fn with_mutex() -> u64 {
    let counter = Arc::new(Mutex::new(0u64));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..STEPS {
                    // The guard is the only way to reach the number; the lock
                    // is released when the guard goes out of scope.
                    *counter.lock().unwrap() += 1;
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    *counter.lock().unwrap()
}

/// The same with an atomic: one indivisible read-add-write, no lock.
fn with_atomic() -> u64 {
    let counter = Arc::new(AtomicU64::new(0));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..STEPS {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    counter.load(Ordering::Relaxed)
}

fn main() {
    println!("expected: {}", THREADS * STEPS);
    println!("Arc<Mutex<u64>>: {}", with_mutex());
    println!("Arc<AtomicU64>: {}", with_atomic());
}
