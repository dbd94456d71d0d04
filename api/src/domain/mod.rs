//! The domain: what the mall does, between the HTTP handlers (`routes`) and the queries
//! (`db`). Each module takes a transaction or a connection and plain values, applies the
//! product rules (`mall_core`) and returns its own errors, which `error.rs` turns into
//! HTTP answers in one place. Nothing here knows HTTP.

pub mod addresses;
pub mod admission;
pub mod audit;
pub mod campaigns;
pub mod catalog;
pub mod checkins;
pub mod codes;
pub mod deductions;
pub mod donations;
pub mod earning;
pub mod engagement;
pub mod history;
pub mod idempotency;
pub mod ledger;
pub mod lottery;
pub mod member_control;
pub mod members;
pub mod merchants;
pub mod offers;
pub mod orders;
pub mod outbox;
pub mod passwords;
pub mod payments;
pub mod profile;
pub mod rules;
pub mod sales;
pub mod seed;
pub mod staff;
pub mod staff_login;
pub mod stats;
pub mod streams;
pub mod sweep;
pub mod tasks;
pub mod wallet;
