//! "Hello, world!" over HTTP with hyper 1.x and tokio.
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::pin;
use std::process::ExitCode;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;

/// How long a client has to send a whole request head, counted from when the
/// server starts waiting for one: a new connection, or the end of an answer.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for connections to finish before it drops them.
const GRACE: Duration = Duration::from_secs(2);

async fn hello(
    _req: Request<Incoming>, // (1)!
) -> Result<Response<Full<Bytes>>, Infallible> {
    let mut response =
        Response::new(Full::new(Bytes::from_static(b"Hello, world!")));
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Ok(response)
}

/// The first argument, else PORT, else 3000; 0 picks a free port.
fn port() -> Result<u16, String> {
    match std::env::args()
        .nth(1)
        .or_else(|| std::env::var("PORT").ok())
    {
        Some(text) => text
            .parse()
            .map_err(|_| format!("the port must be 0 to 65535, not {text:?}")),
        None => Ok(3000),
    }
}

/// Listens for Ctrl+C and SIGTERM from now on; the future resolves at the
/// first of them.
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        _ = tokio::signal::ctrl_c().await;
    })
}

/// A failed accept that is about one client only (it gave up before its
/// connection was taken, or its network went away: accept(2) says to retry
/// at once on those): the next accept can go ahead at once.
fn is_per_connection(err: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        err.kind(),
        ConnectionRefused
            | ConnectionAborted
            | ConnectionReset
            | NetworkDown
            | NetworkUnreachable
            | HostUnreachable
    )
}

async fn serve() -> Result<(), String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port()?));
    let listener = TcpListener::bind(addr) // (2)!
        .await
        .map_err(|err| format!("cannot listen on {addr}: {err}"))?;
    let mut shutdown = pin!(shutdown_signal().map_err(|err| err.to_string())?);
    let local = listener.local_addr().map_err(|err| err.to_string())?;
    println!("Listening on http://{local}");

    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(err) if is_per_connection(&err) => continue,
                    // Out of file descriptors, say: the client stays queued,
                    // and accepting again at once would fail again at once.
                    Err(err) => {
                        eprintln!("accept failed, retrying in 1 s: {err}");
                        let pause = tokio::time::sleep(Duration::from_secs(1));
                        tokio::select! {
                            () = pause => continue,
                            () = &mut shutdown => break,
                        }
                    }
                };
                let connection = http1::Builder::new() // (3)!
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), service_fn(hello));
                let connection = graceful.watch(connection); // (4)!
                // An error here is the client's (a bad request, a dropped
                // socket): the server answered what it could, and carries on.
                tokio::spawn(async move { _ = connection.await });
            }
            () = &mut shutdown => break,
        }
    }

    drop(listener); // no new connections from here on
    tokio::select! { // (5)!
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(GRACE) => {}
    }
    Ok(())
}

#[tokio::main] // (6)!
async fn main() -> ExitCode {
    match serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
