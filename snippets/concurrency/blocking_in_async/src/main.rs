use std::env;
use std::time::{Duration, Instant};
use tokio::task;

const BEAT: Duration = Duration::from_millis(50);
const JOB: Duration = Duration::from_millis(300);

/// Another task on the same runtime: it wants to wake up after 50 ms.
async fn heartbeat() -> Instant {
    tokio::time::sleep(BEAT).await;
    Instant::now()
}

/// Blocks its thread for 300 ms, waiting, as blocking I/O would.
fn slow_job() {
    std::thread::sleep(JOB);
}

/// 300 ms of computation: it holds its own thread, and nothing else.
fn busy_job() {
    let end = Instant::now() + JOB;
    let mut spins: u64 = 0;
    while Instant::now() < end {
        spins = std::hint::black_box(spins + 1);
    }
}

/// Runs the job next to the heartbeat; returns when each one finished.
async fn run(job: fn(), offload: bool) -> (Instant, Instant, Instant) {
    let started = Instant::now();
    let beat = task::spawn(heartbeat());
    task::yield_now().await; // let the heartbeat start waiting
    if offload {
        // Runs on tokio's pool of threads meant for blocking; this task
        // waits for it without holding up the others.
        task::spawn_blocking(job).await.unwrap();
    } else {
        job(); // holds up every task on this thread for 300 ms
    }
    let job_done = Instant::now();
    (started, beat.await.unwrap(), job_done)
}

// One thread, like asyncio's event loop. On the multi-threaded runtime a
// blocking call takes one worker out (see the page for what waits on it).
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let timings = env::args().any(|arg| arg == "--timings");
    let modes: [(fn(), bool, &str); 3] = [
        (slow_job, false, "called in the task"),
        (slow_job, true, "spawn_blocking"),
        (busy_job, true, "spawn_blocking, CPU-bound"),
    ];
    for (job, offload, how) in modes {
        let (started, beat_done, job_done) = run(job, offload).await;
        let order = if beat_done < job_done {
            "heartbeat, then job"
        } else {
            "job, then heartbeat"
        };
        println!("{how}: {order}");
        if timings {
            let late = beat_done - started - BEAT;
            println!("  heartbeat late by {:.1} ms", late.as_secs_f64() * 1e3);
        }
    }
}
