//! The points mall's API, in three layers: `routes` (axum handlers: parse the request,
//! call the domain, shape the answer), `domain` (the rules and the transactions, with
//! their own errors, which `error` turns into HTTP answers) and `db` (every SQL
//! statement). `state` is what every handler, extractor and middleware reaches; `startup`
//! builds it and wires the server together, and only `main` (and the tests) import it.
//! `mall_core` holds the shared types and pure rules.

pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod operator;
pub mod routes;
pub mod security;
pub mod session;
pub mod startup;
pub mod state;
pub mod static_files;
pub mod telemetry;
pub mod token;

pub use error::{AppError, AppResult};
pub use state::AppState;
