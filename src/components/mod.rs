//! Widgets shared by the pages.

pub mod field;
pub mod icons;
pub mod image_upload;
pub mod item_card;
pub mod paged;
pub mod price;
pub mod qr;
pub mod reminders;
pub mod sheet;
pub mod shell;
pub mod states;
pub mod toast;
