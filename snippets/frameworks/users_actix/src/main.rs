//! The users API of the Frameworks page, with Actix-web 4.
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Mutex;

use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{App, HttpResponse, HttpServer, ResponseError, error, web};
use serde::Serialize;
use serde_json::{Map, Value, json};
use tokio::signal::unix::{SignalKind, signal};

/// Seconds shutdown waits for open connections (Actix's default is 30).
const GRACE_SECONDS: u64 = 2;

#[derive(Clone, Serialize)]
struct User {
    id: u64,
    name: String,
    email: String,
}

#[derive(Default)]
struct Store {
    next_id: u64,
    users: HashMap<u64, User>,
}

/// Every error answers `{"error": ..., "field": ...}`.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    error: String,
    field: Option<&'static str>,
}

impl ApiError {
    fn invalid(field: Option<&'static str>, error: &str) -> Self {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        ApiError {
            status,
            error: error.to_string(),
            field,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.error)
    }
}

/// What Actix calls to turn a handler's `Err` into a response.
impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }
    fn error_response(&self) -> HttpResponse {
        let body = json!({ "error": self.error, "field": self.field });
        HttpResponse::build(self.status).json(body)
    }
}

/// Actix's own errors (a body that is not JSON: 400, not sent as JSON: 400,
/// too big: 413; a path that does not fit: 400) keep their status and
/// message, in our shape. Registered below with JsonConfig and PathConfig.
fn our_shape(err: impl ResponseError) -> error::Error {
    let (status, error) = (err.status_code(), err.to_string());
    ApiError {
        status,
        error,
        field: None,
    }
    .into()
}

/// Actix answers a path no route has (404) and a method a path does not have
/// (405, with the Allow header) with an empty body: give it our shape too.
/// Answers that already have a content type, such as ours, pass as they are.
fn framework_error<B>(
    response: ServiceResponse<B>,
) -> error::Result<ErrorHandlerResponse<B>> {
    if response.headers().contains_key(CONTENT_TYPE) {
        let response = response.map_into_left_body();
        return Ok(ErrorHandlerResponse::Response(response));
    }
    let reason = response.status().canonical_reason().unwrap_or("error");
    let body = json!({ "error": reason.to_lowercase(), "field": null });
    let response = response.map_body(|head, _| {
        let json = HeaderValue::from_static("application/json");
        head.headers.insert(CONTENT_TYPE, json);
        BoxBody::new(body.to_string())
    });
    Ok(ErrorHandlerResponse::Response(
        response.map_into_right_body(),
    ))
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

/// Checked by hand from the parsed JSON: deriving Deserialize for a struct
/// would also accept a JSON array (`["Ann", "ann@example.com"]`) as one.
fn new_user(body: &Value) -> Result<(String, String), ApiError> {
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
    Ok((name.to_string(), email.to_string()))
}

async fn create_user(
    store: web::Data<Mutex<Store>>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let (name, email) = new_user(&body)?;
    let mut store = store.lock().unwrap();
    store.next_id += 1;
    let user = User {
        id: store.next_id,
        name,
        email,
    };
    store.users.insert(user.id, user.clone());
    drop(store); // the lock, before the answer is serialised
    Ok(HttpResponse::Created().json(user))
}

async fn get_user(
    store: web::Data<Mutex<Store>>,
    id: web::Path<u64>,
) -> Result<HttpResponse, ApiError> {
    // Cloned out, so the lock is not held while the answer is serialised.
    let user = store.lock().unwrap().users.get(&id).cloned();
    match user {
        Some(user) => Ok(HttpResponse::Ok().json(user)),
        None => Err(ApiError {
            status: StatusCode::NOT_FOUND,
            error: "no such user".to_string(),
            field: None,
        }),
    }
}

async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
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

async fn serve() -> Result<(), String> {
    // Our own signal handling, registered before the Listening line, so that a
    // signal that comes right after it is never missed (Actix-web registers
    // its handlers only once the server runs).
    let err = |err: std::io::Error| err.to_string();
    let mut interrupt = signal(SignalKind::interrupt()).map_err(err)?;
    let mut terminate = signal(SignalKind::terminate()).map_err(err)?;
    let stopped = async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    };

    // One store for every worker: Data is an Arc, each worker gets a clone.
    let store = web::Data::new(Mutex::new(Store::default()));
    let server = HttpServer::new(move || {
        App::new()
            .app_data(store.clone())
            .app_data(
                web::JsonConfig::default().error_handler(|e, _| our_shape(e)),
            )
            .app_data(
                web::PathConfig::default().error_handler(|e, _| our_shape(e)),
            )
            // Resources, not the #[get] and #[post] macros: a macro's route
            // turns a wrong method into 404 rather than 405.
            .service(web::resource("/users").post(create_user))
            .service(web::resource("/users/{id}").get(get_user))
            .service(web::resource("/health").get(health))
            .wrap(ErrorHandlers::new().default_handler(framework_error))
    })
    .shutdown_timeout(GRACE_SECONDS)
    .shutdown_signal(stopped) // a graceful stop, within shutdown_timeout
    .bind(("127.0.0.1", port()?))
    .map_err(|err| format!("cannot listen: {err}"))?;

    println!("Listening on http://{}", server.addrs()[0]);
    server.run().await.map_err(err)
}

#[actix_web::main]
async fn main() -> ExitCode {
    match serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
