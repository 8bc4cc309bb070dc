use std::thread;

fn main() {
    let mut handles = Vec::new();

    for i in 0..5 {
        // `move` hands each thread its own copy of `i`.
        let handle = thread::spawn(move || {
            println!("Thread {i} is running!");
        });
        handles.push(handle);
    }

    for handle in handles {
        // Wait; join is Err if the thread panicked, and unwrap then panics.
        handle.join().unwrap();
    }
}
