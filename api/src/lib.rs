//! The points mall's API: axum handlers over an SQL database that holds the
//! authoritative balances. `startup` wires it together; `routes` hold the handlers.

pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod ledger;
pub mod members;
pub mod openapi;
pub mod operator;
pub mod routes;
pub mod seed;
pub mod session;
pub mod startup;
pub mod static_files;
pub mod sweep;
pub mod telemetry;

pub use error::{AppError, AppResult};
pub use startup::AppState;
