//! The users API of the Frameworks page, with Rocket 0.5.
use std::collections::{HashMap, HashSet};
use std::process::ExitCode;
use std::sync::Mutex;

use rocket::config::{Config, LogLevel, Shutdown};
use rocket::error::ErrorKind;
use rocket::fairing::AdHoc;
use rocket::http::{Method, Status};
use rocket::response::{self, Responder, status};
use rocket::route::{Handler, Outcome, Route};
use rocket::serde::Serialize;
use rocket::serde::json::{self, Json, Value, json};
use rocket::{Data, Request, State, catch, catchers, get, post, routes};
use tokio::signal::unix::{SignalKind, signal};

#[derive(Clone, Serialize)]
#[serde(crate = "rocket::serde")]
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
struct ApiError {
    status: Status,
    error: String,
    field: Option<&'static str>,
}

impl ApiError {
    fn invalid(field: Option<&'static str>, error: &str) -> Self {
        let status = Status::UnprocessableEntity;
        ApiError {
            status,
            error: error.to_string(),
            field,
        }
    }
}

impl<'r> Responder<'r, 'static> for ApiError {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let body = json!({ "error": self.error, "field": self.field });
        status::Custom(self.status, body).respond_to(request)
    }
}

/// The Json data guard's failure: not JSON at all is a 400.
impl From<json::Error<'_>> for ApiError {
    fn from(err: json::Error<'_>) -> Self {
        let error = err.to_string();
        ApiError {
            status: Status::BadRequest,
            error,
            field: None,
        }
    }
}

/// A request no route takes (such as `/users/abc`, since `<id>` must be a
/// u64) or a failure Rocket answers itself: our shape, its status.
#[catch(default)]
fn any_error(status: Status, _: &Request) -> ApiError {
    let error = status.reason_lossy().to_string();
    ApiError {
        status,
        error,
        field: None,
    }
}

/// Rocket answers a method that a path does not have with 404, as if the
/// path did not exist. This route takes every other method of one path and
/// answers 405, naming the methods the path has in an Allow header.
#[derive(Clone)]
struct NotAllowed(&'static str);

#[rocket::async_trait]
impl Handler for NotAllowed {
    async fn handle<'r>(
        &self,
        request: &'r Request<'_>,
        _: Data<'r>,
    ) -> Outcome<'r> {
        let error = ApiError {
            status: Status::MethodNotAllowed,
            error: "method not allowed".to_string(),
            field: None,
        };
        match error.respond_to(request) {
            Ok(mut response) => {
                response.set_raw_header("Allow", self.0);
                Outcome::Success(response)
            }
            Err(status) => Outcome::Error(status),
        }
    }
}

/// `allow` is the path's one method; Rocket answers HEAD for a GET route too.
fn other_methods(uri: &str, allow: &'static str) -> Vec<Route> {
    use Method::{
        Connect, Delete, Get, Head, Options, Patch, Post, Put, Trace,
    };
    let header = if allow == "GET" { "GET, HEAD" } else { allow };
    [Get, Put, Post, Delete, Options, Head, Trace, Connect, Patch]
        .into_iter()
        .filter(|method| method.as_str() != allow)
        .filter(|method| !(allow == "GET" && *method == Head))
        .map(|method| Route::new(method, uri, NotAllowed(header)))
        .collect()
}

fn text<'a>(
    object: &'a json::serde_json::Map<String, Value>,
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

#[post("/users", data = "<body>")]
fn create_user(
    store: &State<Mutex<Store>>,
    body: Result<Json<Value>, json::Error<'_>>,
) -> Result<status::Created<Json<User>>, ApiError> {
    let Json(body) = body?;
    let (name, email) = new_user(&body)?;
    let mut store = store.lock().unwrap();
    store.next_id += 1;
    let user = User {
        id: store.next_id,
        name,
        email,
    };
    store.users.insert(user.id, user.clone());
    let location = format!("/users/{}", user.id);
    Ok(status::Created::new(location).body(Json(user)))
}

#[get("/users/<id>")]
fn get_user(
    store: &State<Mutex<Store>>,
    id: u64,
) -> Result<Json<User>, ApiError> {
    match store.lock().unwrap().users.get(&id) {
        Some(user) => Ok(Json(user.clone())),
        None => Err(ApiError {
            status: Status::NotFound,
            error: "no such user".to_string(),
            field: None,
        }),
    }
}

#[get("/health")]
fn health() -> Value {
    json!({ "status": "ok" })
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
    let config = Config {
        address: [127, 0, 0, 1].into(),
        port: port()?,
        // Rocket logs to stdout, which must start with the Listening line.
        log_level: LogLevel::Off,
        shutdown: Shutdown {
            // Signals are ours (below); Rocket's own would be set up only
            // after the Listening line, so one sent right after could kill it.
            ctrlc: false,
            signals: HashSet::new(),
            grace: 1, // seconds for requests to finish, then
            mercy: 1, // for connections to close: 2 in all (default 5)
            ..Shutdown::default()
        },
        ..Config::default()
    };
    let err = |err: std::io::Error| err.to_string();
    let mut interrupt = signal(SignalKind::interrupt()).map_err(err)?;
    let mut terminate = signal(SignalKind::terminate()).map_err(err)?;

    let rocket = rocket::custom(config)
        .manage(Mutex::new(Store::default()))
        .mount("/", routes![create_user, get_user, health])
        .mount("/", other_methods("/users", "POST"))
        .mount("/", other_methods("/users/<id>", "GET"))
        .mount("/", other_methods("/health", "GET"))
        .register("/", catchers![any_error])
        .attach(AdHoc::on_liftoff("Listening line", |rocket| {
            Box::pin(async move {
                let config = rocket.config();
                println!(
                    "Listening on http://{}:{}",
                    config.address, config.port
                );
            })
        }))
        .ignite()
        .await
        .map_err(|err| err.to_string())?;
    let shutdown = rocket.shutdown();
    tokio::spawn(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        shutdown.notify();
    });
    // Unlike #[launch], a port in use is an error here, not a panic.
    match rocket.launch().await {
        Ok(_) => Ok(()),
        // Stopped, but with a connection still open (a client that never
        // finished its request): Rocket says so; it closes as we exit.
        Err(err) if matches!(err.kind(), ErrorKind::Shutdown(..)) => {
            eprintln!("warning: open connections dropped at shutdown");
            Ok(())
        }
        Err(err) => Err(err.to_string()),
    }
}

#[rocket::main]
async fn main() -> ExitCode {
    match serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
