//! API tests over real HTTP against a real SQLite database, fresh per test.

mod catalog;
mod concurrency;
mod config;
mod documented;
mod helpers;
mod hostile;
mod ledger_props;
mod openapi;
mod orders;
mod points;
mod reads;
mod sales;
mod security;
mod session;
mod upgrade;
