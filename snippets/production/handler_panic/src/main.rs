//! A handler with a bug, served twice: under /unguarded as Axum serves it,
//! under /guarded behind tower-http's CatchPanicLayer.
use axum::Router;
use axum::extract::Path;
use axum::routing::get;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;

const NAMES: [&str; 2] = ["Ann", "Bob"];

/// The bug: an index past the end of NAMES panics.
async fn name(Path(index): Path<usize>) -> &'static str {
    NAMES[index]
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let guarded = Router::new()
        .route("/guarded/names/{index}", get(name))
        .layer(CatchPanicLayer::new());
    let app = Router::new()
        .route("/unguarded/names/{index}", get(name))
        .merge(guarded);
    let port = std::env::args().nth(1).unwrap_or("3000".to_string());
    let listener = TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("Listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
