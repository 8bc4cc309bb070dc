use std::fs;
use std::io;

fn read_port(path: &str) -> Result<u16, io::Error> {
    let text = fs::read_to_string(path)?; // an io::Error: passed on as it is
    let port = text.trim().parse()?; // a ParseIntError: no From into io::Error
    Ok(port)
}

fn main() {
    match read_port("port.txt") {
        Ok(port) => println!("port {port}"),
        Err(err) => eprintln!("error: {err}"),
    }
}
