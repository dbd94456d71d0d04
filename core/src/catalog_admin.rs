//! The operator's side of the catalogue: items as the back office sees and writes them,
//! stock changes with a reason, and uploaded images.

use serde::{Deserialize, Serialize};

use crate::{
    cash::Cash,
    catalog::ItemKind,
    dto::{I18nText, Spec},
    Tier,
};

/// An item as the back office lists it (retired ones too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminItem {
    /// Item id.
    pub id: i64,
    /// Category slug.
    pub category: String,
    /// Virtual (a code at once) or physical (shipped).
    pub kind: ItemKind,
    /// Its name.
    pub name: I18nText,
    /// Its description.
    pub description: I18nText,
    /// Specifications shown on the item page.
    pub specs: Vec<Spec>,
    /// Image path.
    pub image: String,
    /// Points price for one.
    pub points: i64,
    /// Cash part of the price for one, in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "9.90"))]
    pub cash: Option<Cash>,
    /// Units left.
    pub stock: i64,
    /// Units redeemed so far.
    pub redeemed: i64,
    /// Units one member may hold.
    pub per_member_limit: i64,
    /// The lowest tier that may redeem it.
    pub min_tier: Option<Tier>,
    /// Retired: hidden from members, kept for their orders.
    pub retired: bool,
    /// The partner merchant that verifies a voucher's wallet codes (none: the shop's own).
    #[serde(default)]
    pub merchant_id: Option<i64>,
}

/// `GET /api/admin/items`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminItems {
    /// Every item, by id.
    pub items: Vec<AdminItem>,
}

/// `POST /api/admin/items` body: a new item (its stock comes with it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    /// Category slug (an existing one).
    pub category: String,
    /// Virtual or physical.
    pub kind: ItemKind,
    /// Its name, both languages, 1–60 characters each.
    pub name: I18nText,
    /// Its description, both languages, at most 2,000 characters each.
    pub description: I18nText,
    /// Specifications (at most 20).
    #[serde(default)]
    pub specs: Vec<Spec>,
    /// Image path: an uploaded image's `url` or one of the app's own images.
    pub image: String,
    /// Points price for one (1 to 10,000,000).
    pub points: i64,
    /// Cash part of the price for one, in yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "9.90"))]
    pub cash: Option<Cash>,
    /// Units to start with (≥ 0).
    pub stock: i64,
    /// Units one member may hold (≥ 1).
    pub per_member_limit: i64,
    /// The lowest tier that may redeem it.
    pub min_tier: Option<Tier>,
    /// The partner merchant that verifies a voucher's wallet codes.
    #[serde(default)]
    pub merchant_id: Option<i64>,
}

/// `PATCH /api/admin/items/{id}` body: the fields to change (absent ones stay). Stock
/// changes only through `POST /api/admin/items/{id}/stock`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemPatch {
    /// Category slug.
    pub category: Option<String>,
    /// Virtual or physical.
    pub kind: Option<ItemKind>,
    /// Its name.
    pub name: Option<I18nText>,
    /// Its description.
    pub description: Option<I18nText>,
    /// Specifications.
    pub specs: Option<Vec<Spec>>,
    /// Image path.
    pub image: Option<String>,
    /// Points price.
    pub points: Option<i64>,
    /// Cash part: absent keeps it, `null` removes it.
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "9.90"))]
    pub cash: Option<Option<Cash>>,
    /// Units per member.
    pub per_member_limit: Option<i64>,
    /// The lowest tier: absent keeps it, `null` opens the item to every tier.
    #[serde(default, deserialize_with = "present")]
    pub min_tier: Option<Option<Tier>>,
    /// Retire (`true`) or bring back (`false`).
    pub retired: Option<bool>,
    /// The partner merchant: absent keeps it, `null` makes the codes the shop's own.
    #[serde(default, deserialize_with = "present")]
    pub merchant_id: Option<Option<i64>>,
}

/// A field that is present (its value, `null` included) as opposed to absent.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// `POST /api/admin/items/{id}/stock` body: a stock change with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StockChange {
    /// Units to add (negative: take away); never below zero, never zero.
    pub delta: i64,
    /// Why (recorded in the audit log), 1–100 characters.
    pub reason: String,
}

/// `POST /api/admin/images` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadedImage {
    /// Where it is served (content-hashed, cached for a year): use it as an item's `image`.
    pub url: String,
    /// Bytes stored.
    pub bytes: usize,
}

/// The largest image an operator may upload.
pub const IMAGE_MAX_BYTES: usize = 512 * 1024;

/// Why an item is refused before it reaches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemError {
    /// A name empty or over 60 characters, or a description over 2,000.
    Text,
    /// Points outside 1..=10,000,000, a cash part not positive, a per-member limit under
    /// one, or a negative stock.
    Numbers,
    /// More than 20 specifications, or one with an empty label.
    Specs,
    /// An image path that is neither `/media/…` nor `/img/…`.
    Image,
}

impl ItemError {
    /// The reason in English, for the API's error message.
    pub fn message(self) -> &'static str {
        match self {
            ItemError::Text => "names need 1–60 characters in both languages, descriptions at most 2,000",
            ItemError::Numbers => "points 1–10,000,000, a positive cash part, a per-member limit of at least 1 and stock ≥ 0",
            ItemError::Specs => "at most 20 specifications, each with a label",
            ItemError::Image => "image must be an uploaded /media/… path or one of the app's /img/… images",
        }
    }
}

/// The rules of an item's fields (the server and the operator's form apply the same).
pub fn check_item(
    name: &I18nText,
    description: &I18nText,
    specs: &[Spec],
    image: &str,
    points: i64,
    cash: Option<Cash>,
    per_member_limit: i64,
) -> Result<(), ItemError> {
    let len = |s: &str| s.trim().chars().count();
    if !(1..=60).contains(&len(&name.zh))
        || !(1..=60).contains(&len(&name.en))
        || len(&description.zh) > 2_000
        || len(&description.en) > 2_000
    {
        return Err(ItemError::Text);
    }
    if !(1..=10_000_000).contains(&points) || cash.is_some_and(|c| c.fen() <= 0) || per_member_limit < 1 {
        return Err(ItemError::Numbers);
    }
    if specs.len() > 20 || specs.iter().any(|s| s.label.zh.trim().is_empty() || s.label.en.trim().is_empty()) {
        return Err(ItemError::Specs);
    }
    let path_ok = (image.starts_with("/media/") || image.starts_with("/img/"))
        && image.len() <= 200
        && !image.contains("..")
        && image.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c));
    if !path_ok {
        return Err(ItemError::Image);
    }
    Ok(())
}

/// The image formats an upload may be, by their first bytes: the content type and the
/// file extension it is served under. `None` for anything else (SVG included).
pub fn image_format(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> I18nText {
        I18nText { zh: s.into(), en: s.into() }
    }

    #[test]
    fn item_rules() {
        let ok = |image: &str, points: i64| check_item(&text("券"), &text(""), &[], image, points, None, 1);
        assert_eq!(ok("/media/0123abcd.png", 10), Ok(()));
        assert_eq!(ok("/img/items/a.svg", 10), Ok(()));
        assert_eq!(ok("https://evil.example/x.png", 10), Err(ItemError::Image));
        assert_eq!(ok("/media/../etc/passwd", 10), Err(ItemError::Image));
        assert_eq!(ok("/media/a.png", 0), Err(ItemError::Numbers));
        assert_eq!(check_item(&text(""), &text(""), &[], "/img/a.svg", 1, None, 1), Err(ItemError::Text));
    }

    #[test]
    fn image_formats_by_their_bytes() {
        assert_eq!(image_format(b"\x89PNG\r\n\x1a\n...."), Some(("image/png", "png")));
        assert_eq!(image_format(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(("image/jpeg", "jpg")));
        assert_eq!(image_format(b"RIFF\x10\x00\x00\x00WEBPVP8 "), Some(("image/webp", "webp")));
        assert_eq!(image_format(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), None);
        assert_eq!(image_format(b"GIF89a"), None);
    }
}
