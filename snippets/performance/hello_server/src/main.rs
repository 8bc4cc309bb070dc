//! "Hello, world!" over HTTP with hyper 0.14 and tokio.
use std::convert::Infallible;
use std::env;
use std::net::SocketAddr;

use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::service::{make_service_fn, service_fn};
use hyper::{Body, Request, Response, Server};
use tokio::signal::unix::{signal, SignalKind};

async fn handle_request(
    _req: Request<Body>, // (1)!
) -> Result<Response<Body>, Infallible> {
    let mut response = Response::new(Body::from("Hello, world!"));
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Ok(response)
}

/// The first argument, else PORT, else 3000; 0 picks a free port.
fn port() -> u16 {
    env::args()
        .nth(1)
        .or_else(|| env::var("PORT").ok())
        .map(|p| p.parse().expect("the port must be 0 to 65535"))
        .unwrap_or(3000)
}

/// Resolves at the first Ctrl+C (SIGINT) or SIGTERM.
async fn shutdown_signal() {
    let mut terminate = signal(SignalKind::terminate())
        .expect("cannot listen for SIGTERM");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
}

#[tokio::main] // (2)!
async fn main() {
    let addr = SocketAddr::from(([127, 0, 0, 1], port()));
    let make_svc = make_service_fn(|_conn| async {
        Ok::<_, Infallible>(service_fn(handle_request)) // (3)!
    });

    let server = Server::bind(&addr).serve(make_svc); // (4)!
    println!("Listening on http://{}", server.local_addr());
    let graceful = server.with_graceful_shutdown(shutdown_signal()); // (5)!
    if let Err(err) = graceful.await {
        eprintln!("Server error: {err}");
        std::process::exit(1);
    }
}
