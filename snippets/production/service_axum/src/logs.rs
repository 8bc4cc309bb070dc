//! Logs as JSON lines on stdout. Each request runs in a `tracing` span that
//! holds its method, path and id, and every line written while it is served
//! carries that span.
use std::backtrace::{Backtrace, BacktraceStatus};

use tracing_subscriber::filter::LevelFilter;

use crate::settings::LogLevel;

pub fn init(level: LogLevel) {
    let level = match level {
        LogLevel::Error => LevelFilter::ERROR,
        LogLevel::Warn => LevelFilter::WARN,
        LogLevel::Info => LevelFilter::INFO,
        LogLevel::Debug => LevelFilter::DEBUG,
    };
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true) // the event's fields at the top level
        .with_current_span(true) // the request's fields under "span"
        .with_span_list(false)
        .with_max_level(level)
        .init();
    // A panic would print to stderr as text: log it as a JSON line instead,
    // inside the span of the request whose handler panicked, with a backtrace
    // where RUST_BACKTRACE asks for one.
    std::panic::set_hook(Box::new(|panic| {
        let backtrace = Backtrace::capture();
        if backtrace.status() == BacktraceStatus::Captured {
            tracing::error!(%panic, %backtrace, "panic");
        } else {
            tracing::error!(%panic, "panic");
        }
    }));
}
