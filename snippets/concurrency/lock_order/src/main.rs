use std::sync::{Arc, Mutex};
use std::thread;

struct Account {
    id: u32,
    balance: Mutex<i64>,
}

/// Takes both locks in the order of the accounts' ids, whichever way the
/// money goes. Locking `from` first instead would let two opposite transfers
/// each hold one lock and wait forever for the other: a deadlock, which the
/// compiler does not catch.
fn transfer(from: &Account, to: &Account, amount: i64) {
    let (mut from_balance, mut to_balance);
    if from.id < to.id {
        from_balance = from.balance.lock().unwrap();
        to_balance = to.balance.lock().unwrap();
    } else {
        to_balance = to.balance.lock().unwrap();
        from_balance = from.balance.lock().unwrap();
    }
    *from_balance -= amount;
    *to_balance += amount;
}

const TRANSFERS: u32 = 100_000;

fn main() {
    let alice = Arc::new(Account {
        id: 1,
        balance: Mutex::new(1000),
    });
    let bob = Arc::new(Account {
        id: 2,
        balance: Mutex::new(1000),
    });

    let (a, b) = (Arc::clone(&alice), Arc::clone(&bob));
    let to_bob = thread::spawn(move || {
        for _ in 0..TRANSFERS {
            transfer(&a, &b, 1);
        }
    });
    let (a, b) = (Arc::clone(&alice), Arc::clone(&bob));
    let to_alice = thread::spawn(move || {
        for _ in 0..TRANSFERS {
            transfer(&b, &a, 1);
        }
    });
    to_bob.join().unwrap();
    to_alice.join().unwrap();

    let alice = *alice.balance.lock().unwrap();
    let bob = *bob.balance.lock().unwrap();
    println!("{TRANSFERS} transfers each way, no deadlock");
    println!("alice: {alice}, bob: {bob}, total: {}", alice + bob);
}
