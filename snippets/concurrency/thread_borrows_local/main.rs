use std::thread;

fn main() {
    let mut handles = Vec::new();
    for i in 0..5 {
        handles.push(thread::spawn(|| {
            println!("Thread {i} is running!");
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }
}
