//! One route of the users API in Rocket, and its test: Rocket's local client
//! dispatches requests to the app in-process, without a server.
use rocket::http::Status;
use rocket::serde::json::{Json, Value, json};
use rocket::{Build, Rocket, get, routes};

#[get("/users/<id>")]
fn get_user(id: u64) -> Result<Json<Value>, (Status, Json<Value>)> {
    match id {
        1 => Ok(Json(json!({ "id": 1, "name": "Ann" }))),
        _ => Err((Status::NotFound, Json(json!({ "error": "no such user" })))),
    }
}

pub fn app() -> Rocket<Build> {
    rocket::build().mount("/", routes![get_user])
}

#[cfg(test)]
mod tests {
    use rocket::http::Status;
    use rocket::local::blocking::Client;
    use rocket::serde::json::{Value, json};

    #[test]
    fn a_user_and_a_missing_one() {
        let client = Client::tracked(super::app()).unwrap();
        let user: Value =
            client.get("/users/1").dispatch().into_json().unwrap();
        assert_eq!(user, json!({ "id": 1, "name": "Ann" }));

        let response = client.get("/users/2").dispatch();
        assert_eq!(response.status(), Status::NotFound);
    }
}
