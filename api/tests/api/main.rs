//! API tests over real HTTP against a real SQLite database, fresh per test.

mod catalog;
mod concurrency;
mod config;
mod helpers;
mod hostile;
mod ledger_props;
mod orders;
mod points;
mod reads;
mod sales;
mod session;
mod upgrade;
