//! The article's hyper 0.14 server, its generics put back: it builds and runs.
use hyper::service::{make_service_fn, service_fn};
use hyper::{Body, Request, Response, Server};

async fn handle_request(
    _req: Request<Body>,
) -> Result<Response<Body>, hyper::Error> {
    Ok(Response::new(Body::from("Hello, world!")))
}

#[tokio::main]
async fn main() {
    let make_svc = make_service_fn(|_| async {
        Ok::<_, hyper::Error>(service_fn(handle_request))
    });
    // One change besides the generics: the port may come from the command line
    // (0 = any free one), so the address printed is read from the bound socket.
    let port = std::env::args().nth(1).map_or(3000, |p| p.parse().unwrap());
    let addr = ([127, 0, 0, 1], port).into();

    let server = Server::bind(&addr).serve(make_svc);
    println!("Listening on http://{}", server.local_addr());
    if let Err(err) = server.await {
        eprintln!("Server error: {}", err);
    }
}
