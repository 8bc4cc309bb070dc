//! The users API of the Databases page: Axum 0.8 and SQLx, on PostgreSQL.
use std::collections::HashMap;
use std::pin::pin;
use std::process::ExitCode;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use serde::Serialize;
use serde_json::{Map, Value, json};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use tokio::net::TcpListener;

/// Connections to PostgreSQL, shared by every request.
const POOL_SIZE: u32 = 10;
/// How long a request waits for a connection (or to open one): then 503.
const DB_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a client has to send a whole request head, counted from when the
/// server starts waiting for one: a new connection, or the end of an answer.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for open connections before it drops them.
const GRACE: Duration = Duration::from_secs(2);

#[derive(Serialize)]
struct User {
    id: i64,
    name: String,
    email: String,
}

/// Every error answers `{"error": ..., "field": ...}`.
struct ApiError {
    status: StatusCode,
    error: String,
    field: Option<&'static str>,
}

impl ApiError {
    fn new(
        status: StatusCode,
        field: Option<&'static str>,
        error: &str,
    ) -> Self {
        let error = error.to_string();
        ApiError {
            status,
            error,
            field,
        }
    }

    fn invalid(field: Option<&'static str>, error: &str) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, field, error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.error, "field": self.field });
        (self.status, Json(body)).into_response()
    }
}

/// A path that does not fit, such as `/users/abc`: Axum's 400, our shape.
impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        let error = rejection.body_text();
        Self::new(rejection.status(), None, &error)
    }
}

/// What the database says, as the client should hear it: the UNIQUE
/// constraint decides a duplicate email; a database that cannot be reached
/// (refused, shut down, pool timed out) is a 503, not a 500.
impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        use sqlx::Error::{Database, Io, PoolClosed, PoolTimedOut, Tls};
        match &err {
            Database(db) if db.is_unique_violation() => ApiError::new(
                StatusCode::CONFLICT,
                Some("email"),
                "email already registered",
            ),
            // SQLSTATE class 08, or 57P01 to 57P05: see unavailable()
            Database(db) if unavailable(db.code().as_deref()) => {
                ApiError::unavailable()
            }
            Io(_) | Tls(_) | PoolTimedOut | PoolClosed => {
                ApiError::unavailable()
            }
            _ => {
                eprintln!("error: {err}");
                let status = StatusCode::INTERNAL_SERVER_ERROR;
                ApiError::new(status, None, "internal error")
            }
        }
    }
}

impl ApiError {
    fn unavailable() -> Self {
        let status = StatusCode::SERVICE_UNAVAILABLE;
        ApiError::new(status, None, "database unavailable")
    }
}

/// SQLSTATE class 08 (connection), or 57P01 to 57P05 (shutting down,
/// starting up...): the database is not there. Not all of class 57: 57014
/// is a query cancelled (statement_timeout, pg_cancel_backend), a 500.
fn unavailable(code: Option<&str>) -> bool {
    code.is_some_and(|code| code.starts_with("08") || code.starts_with("57P"))
}

fn text<'a>(
    object: &'a Map<String, Value>,
    field: &'static str,
) -> Result<&'a str, ApiError> {
    match object.get(field) {
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(ApiError::invalid(Some(field), "must be a string")),
        None => Err(ApiError::invalid(Some(field), "is required")),
    }
}

/// The body is parsed here, not by `Json<T>`: JSON sent without its
/// Content-Type is still JSON, and a JSON array is not a user.
fn new_user(body: &[u8]) -> Result<(String, String), ApiError> {
    let Ok(body) = serde_json::from_slice::<Value>(body) else {
        let status = StatusCode::BAD_REQUEST;
        return Err(ApiError::new(status, None, "the body is not valid JSON"));
    };
    let Some(object) = body.as_object() else {
        return Err(ApiError::invalid(None, "the body must be a JSON object"));
    };
    let (name, email) = (text(object, "name")?, text(object, "email")?);
    if !(1..=50).contains(&name.chars().count()) {
        return Err(ApiError::invalid(
            Some("name"),
            "must be 1 to 50 characters",
        ));
    }
    if !email.contains('@') {
        return Err(ApiError::invalid(Some("email"), "must contain @"));
    }
    // The UNIQUE index cannot hold a long one (and no address is longer).
    if email.chars().count() > 254 {
        let error = "must be at most 254 characters";
        return Err(ApiError::invalid(Some("email"), error));
    }
    // PostgreSQL's text cannot hold U+0000: a 422 here, not a 500 later.
    for (field, text) in [("name", name), ("email", email)] {
        if text.contains('\0') {
            let error = "must not contain NUL characters";
            return Err(ApiError::invalid(Some(field), error));
        }
    }
    Ok((name.to_string(), email.to_string()))
}

async fn create_user(
    State(pool): State<PgPool>,
    body: Bytes,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let (name, email) = new_user(&body)?;
    // Checked against the real table when this compiles (see the page).
    let user = sqlx::query_as!(
        User,
        "INSERT INTO users (name, email) VALUES ($1, $2)
         RETURNING id, name, email",
        name,
        email,
    )
    .fetch_one(&pool)
    .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

fn no_such_user() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, None, "no such user")
}

async fn get_user(
    State(pool): State<PgPool>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<User>, ApiError> {
    let Path(id) = id?;
    let user = sqlx::query_as!(
        User,
        "SELECT id, name, email FROM users WHERE id = $1",
        id,
    )
    .fetch_optional(&pool)
    .await?;
    user.map(Json).ok_or_else(no_such_user)
}

/// `?limit=N`: the N users with the lowest ids, in one query.
async fn list_users(
    State(pool): State<PgPool>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Vec<User>>, ApiError> {
    let limit = match query.get("limit").map(|text| text.parse::<i64>()) {
        None => 20,
        Some(Ok(limit)) if (1..=100).contains(&limit) => limit,
        Some(_) => {
            let error = "must be an integer from 1 to 100";
            return Err(ApiError::invalid(Some("limit"), error));
        }
    };
    let users = sqlx::query_as!(
        User,
        "SELECT id, name, email FROM users ORDER BY id LIMIT $1",
        limit,
    )
    .fetch_all(&pool)
    .await?;
    Ok(Json(users))
}

/// `?ids=3,17,42`: one query per id, one after the other on one connection,
/// as a loop over an ORM's lazy relation does (TechEmpower's "queries").
async fn queries(
    State(pool): State<PgPool>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Vec<User>>, ApiError> {
    let ids = query.get("ids").and_then(|text| {
        let ids: Result<Vec<i64>, _> =
            text.split(',').map(str::parse::<i64>).collect();
        ids.ok()
            .filter(|ids| (1..=100).contains(&ids.len()))
            .filter(|ids| ids.iter().all(|&id| id > 0))
    });
    let Some(ids) = ids else {
        let error = "must be 1 to 100 comma-separated positive integers";
        return Err(ApiError::invalid(Some("ids"), error));
    };
    let mut conn = pool.acquire().await?;
    let mut users = Vec::with_capacity(ids.len());
    for id in ids {
        let user = sqlx::query_as!(
            User,
            "SELECT id, name, email FROM users WHERE id = $1",
            id,
        )
        .fetch_optional(&mut *conn)
        .await?;
        users.extend(user);
    }
    Ok(Json(users))
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, None, "not found")
}

async fn method_not_allowed() -> ApiError {
    let status = StatusCode::METHOD_NOT_ALLOWED;
    ApiError::new(status, None, "method not allowed")
}

/// The first argument, else 3000; 0 picks a free port.
fn port() -> Result<u16, String> {
    match std::env::args().nth(1) {
        Some(text) => text
            .parse()
            .map_err(|_| format!("the port must be 0 to 65535, not {text:?}")),
        None => Ok(3000),
    }
}

/// Resolves at the first Ctrl+C or SIGTERM; listening starts at once.
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
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
    let url = std::env::var("DATABASE_URL")
        .map_err(|_| "DATABASE_URL is not set".to_string())?;
    // Lazy: no connection until a request needs one, so the service starts
    // (and answers 503) while the database is down. Each connection is
    // checked with a ping before use, so those that a restart of the
    // database broke are replaced.
    let pool = PgPoolOptions::new()
        .max_connections(POOL_SIZE)
        .acquire_timeout(DB_TIMEOUT)
        .connect_lazy(&url)
        .map_err(|err| format!("DATABASE_URL: {err}"))?;

    let app = Router::new()
        .route("/users", get(list_users).post(create_user))
        .route("/users/{id}", get(get_user))
        .route("/queries", get(queries))
        .route("/health", get(health))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(pool);

    let listener = TcpListener::bind(("127.0.0.1", port()?))
        .await
        .map_err(|err| format!("cannot listen: {err}"))?;
    let mut shutdown = pin!(shutdown_signal().map_err(|err| err.to_string())?);
    let local = listener.local_addr().map_err(|err| err.to_string())?;
    println!("Listening on http://{local}");

    // Served as on the Frameworks page: hyper's own builder with a timer, so
    // that a client that never sends a request is not kept for ever, and a
    // grace period for the connections still open at shutdown.
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let graceful = GracefulShutdown::new();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) if is_per_connection(&err) => continue,
                // Out of file descriptors, say: the client stays queued, and
                // accepting again at once would fail again at once.
                Err(err) => {
                    eprintln!("accept failed, retrying in 1 s: {err}");
                    let pause = tokio::time::sleep(Duration::from_secs(1));
                    tokio::select! {
                        () = pause => continue,
                        () = &mut shutdown => break,
                    }
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move { _ = connection.await });
    }

    drop(listener); // no new connections from here on
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(GRACE) => {}
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
