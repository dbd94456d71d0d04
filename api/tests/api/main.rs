//! API tests over real HTTP against a real database, fresh per test: SQLite, or
//! PostgreSQL when `TEST_POSTGRES_URL` is set (see `helpers`).

mod cash_and_tasks;
mod catalog;
mod catalog_admin;
mod checkout;
mod concurrency;
mod config;
mod coupons;
mod documented;
mod donations;
mod engagement;
mod events;
mod from_empty;
mod fulfilment;
mod helpers;
mod hostile;
mod ledger_props;
mod lottery;
mod merchant;
mod offers;
mod openapi;
mod orders;
mod points;
mod production;
mod reads;
mod replicas;
mod sales;
mod security;
mod session;
mod shop_setup;
mod signatures;
mod staff;
mod staff_accounts;
mod stats;
mod upgrade;
mod voids;
