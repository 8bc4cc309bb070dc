use std::rc::Rc;
use std::thread;

fn main() {
    let settings = Rc::new(String::from("max_connections=100"));
    // Rc counts its owners without atomic operations: two threads changing
    // the count at once could lose an update and free the string too early.
    let for_worker = Rc::clone(&settings);
    let handle = thread::spawn(move || {
        println!("worker sees {for_worker}");
    });
    handle.join().unwrap();
    println!("main sees {settings}");
}
