//! The mall's shared contract: the types the API sends and the app reads, the error
//! codes both sides know, and the pure rules (tiers, price bands, number formats).
//! No I/O: it compiles for wasm32 (the app) and native (the API).

pub mod campaign;
pub mod cash;
pub mod catalog;
pub mod catalog_admin;
pub mod checkout;
pub mod code;
pub mod donation;
pub mod dto;
pub mod earning;
pub mod engagement;
pub mod error;
pub mod format;
pub mod fulfilment;
pub mod lottery;
pub mod notice;
pub mod payment;
pub mod profile;
pub mod rules;
pub mod sales;
pub mod staff;
pub mod stats;
pub mod text;
pub mod tier;
pub mod webhook;

pub use error::{ApiError, ApiErrorBody, ErrorCode, ErrorDetails, FieldError};
pub use rules::Rules;
pub use tier::{Tier, TierTable};
