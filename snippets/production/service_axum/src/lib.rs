//! The service as a library: `main.rs` serves it, `tests/users.rs` calls it
//! in-process.
pub mod logs;
pub mod settings;
pub mod users;
