//! One module per page.

pub mod addresses;
pub mod catalog;
pub mod causes;
pub mod checkin;
pub mod extras;
pub mod history;
pub mod home;
pub mod home_extras;
pub mod item;
pub mod login;
pub mod lottery;
pub mod me;
pub mod merchant;
pub mod merchant_books;
pub mod not_found;
pub mod ops;
pub mod ops_audit;
pub mod ops_items;
pub mod ops_members;
pub mod ops_orders;
pub mod ops_sales;
pub mod ops_stats;
pub mod sales;
pub mod staff;
pub mod wallet;
