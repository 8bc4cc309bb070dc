fn parse_port(text: &str) -> Result<u16, std::num::ParseIntError> {
    text.trim().parse()
}

fn main() {
    // A Result, not the number inside it: the caller must say what happens
    // when parsing fails.
    let port: u16 = parse_port("8080");
    println!("listening on port {port}");
}
