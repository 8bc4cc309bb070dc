use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::task::JoinSet;

const TASKS: u64 = 10;

/// Counts the tasks that are waiting at the same moment.
#[derive(Default)]
struct InFlight {
    now: AtomicUsize,
    most: AtomicUsize,
}

/// Stands in for a request to another service: mostly waiting.
///
/// Relaxed is enough: each atomic is a count of its own that publishes
/// nothing else, and join_all orders the last load after every task.
async fn fetch(i: u64, in_flight: Arc<InFlight>) -> (u64, u64) {
    let now = in_flight.now.fetch_add(1, Ordering::Relaxed) + 1;
    in_flight.most.fetch_max(now, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(200)).await;
    in_flight.now.fetch_sub(1, Ordering::Relaxed);
    (i, i * i)
}

#[tokio::main]
async fn main() {
    let in_flight = Arc::new(InFlight::default());
    let mut tasks = JoinSet::new();
    for i in 0..TASKS {
        // Each task runs on whichever worker thread is free: the future must
        // be Send, and everything it holds must be owned ('static).
        tasks.spawn(fetch(i, Arc::clone(&in_flight)));
    }
    // join_all hands back the results in the order the tasks finished.
    let mut results = tasks.join_all().await;
    results.sort();
    let squares: Vec<u64> = results.into_iter().map(|(_, sq)| sq).collect();
    println!("{TASKS} tasks, each waiting 200 ms");
    let most = in_flight.most.load(Ordering::Relaxed);
    println!("most tasks waiting at the same time: {most}");
    println!("results: {squares:?}");
}
