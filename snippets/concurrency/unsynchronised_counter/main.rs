use std::thread;

fn main() {
    let mut counter = 0u64;
    thread::scope(|s| {
        for _ in 0..4 {
            // Each thread would write to the same number with no lock.
            s.spawn(|| {
                for _ in 0..1_000_000 {
                    counter += 1;
                }
            });
        }
    });
    println!("{counter}");
}
