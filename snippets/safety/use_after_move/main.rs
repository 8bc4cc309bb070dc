fn send(outbox: &mut Vec<String>, message: String) {
    outbox.push(message); // the outbox now owns the message
}

fn main() {
    let mut outbox = Vec::new();
    let mut message = String::from("Hello");
    send(&mut outbox, message);
    message.push_str(", edited after sending");
    println!("{outbox:?}");
}
