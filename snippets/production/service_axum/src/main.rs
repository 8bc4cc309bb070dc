//! Starts the service: settings from the environment (or exit at once,
//! saying which is wrong), logs as JSON lines, and hyper serving the router
//! until Ctrl+C or SIGTERM.
use std::pin::pin;
use std::time::Duration;

use anyhow::Context;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use service_axum::settings::Settings;
use service_axum::{logs, users};
use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};

/// How long a client has to send a whole request head.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    logs::init(settings.log_level);
    let address = ("127.0.0.1", settings.port);
    let listener = TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", address.1))?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut stop = pin!(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    });
    tracing::info!("Listening on http://{}", listener.local_addr()?);

    // hyper's own builder, as on the Frameworks page: axum::serve gives
    // hyper no timer, so a silent client would hold its connection for ever.
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let app = users::app();
    let graceful = GracefulShutdown::new();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) if is_per_connection(&err) => continue,
                // Out of file descriptors, say: the client stays queued, and
                // accepting again at once would fail again at once.
                Err(err) => {
                    tracing::warn!(%err, "accept failed, retrying in 1 s");
                    let pause = tokio::time::sleep(Duration::from_secs(1));
                    tokio::select! {
                        () = pause => continue,
                        () = &mut stop => break,
                    }
                }
            },
            () = &mut stop => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move { _ = connection.await });
    }

    drop(listener); // no new connections from here on
    let grace = Duration::from_secs_f64(settings.grace_seconds);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(grace) => {}
    }
    Ok(())
}
