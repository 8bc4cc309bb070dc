use std::future::Future;
use std::sync::Mutex;

/// The bound tokio::spawn puts on a task on its multi-threaded runtime: the
/// runtime may move the task to another thread at any `.await`.
fn spawn<F: Future + Send + 'static>(task: F) {
    drop(task); // a real runtime would run it
}

static VISITS: Mutex<u64> = Mutex::new(0);

async fn save(count: u64) {
    println!("saving {count}");
}

async fn count_visit() {
    let mut visits = VISITS.lock().unwrap();
    *visits += 1;
    // The guard is still alive across this `.await`, and a std MutexGuard
    // must be unlocked on the thread that locked it.
    save(*visits).await;
}

fn main() {
    spawn(count_visit());
}
