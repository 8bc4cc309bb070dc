//! A request's span and the work its handler hands on. The handler's own
//! events carry the span; a spawned task or a blocking closure starts
//! outside any span, and carries it only if it is handed over.
use tokio::task::JoinError;
use tracing::{Instrument, Span};

#[tokio::main]
async fn main() -> Result<(), JoinError> {
    // The Production service's JSON lines (logs.rs), without the time, so
    // that every run prints the same.
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
        .without_time()
        .init();
    // What TraceLayer does for a request: its handler runs in its span.
    let span = tracing::info_span!(
        "request",
        method = "POST",
        path = "/users",
        request_id = "req-1"
    );
    handler().instrument(span).await
}

async fn handler() -> Result<(), JoinError> {
    tracing::info!("in the handler");
    // Each is awaited before the next starts: the lines come in order.
    tokio::spawn(async { tracing::info!("in tokio::spawn") }).await?;
    let task = async { tracing::info!("in tokio::spawn, in_current_span") };
    tokio::spawn(task.in_current_span()).await?;

    tokio::task::spawn_blocking(|| tracing::info!("in spawn_blocking")).await?;
    let span = Span::current();
    tokio::task::spawn_blocking(move || {
        span.in_scope(|| tracing::info!("in spawn_blocking, span entered"))
    })
    .await
}
