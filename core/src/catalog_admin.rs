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
    /// A name empty or over 60 characters, a description over 2,000, or either holding
    /// control or direction characters (`text::readable`; a description may break lines).
    Text,
    /// Points outside 1..=10,000,000, a cash part not positive, a per-member limit under
    /// one, or a negative stock.
    Numbers,
    /// More than 20 specifications, one with an empty label, or one holding control or
    /// direction characters.
    Specs,
    /// An image path that is neither `/media/…` nor `/img/…`.
    Image,
}

impl ItemError {
    /// The reason in English, for the API's error message.
    pub fn message(self) -> &'static str {
        match self {
            ItemError::Text => {
                "names need 1–60 characters in both languages, descriptions at most 2,000, without control or direction characters"
            }
            ItemError::Numbers => "points 1–10,000,000, a positive cash part, a per-member limit of at least 1 and stock ≥ 0",
            ItemError::Specs => "at most 20 specifications, each with a label, without control or direction characters",
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
    use crate::text::{readable, readable_lines};
    let described = |s: &str| s.trim().chars().count() <= 2_000 && readable_lines(s);
    if !name_fits(&name.zh, 60) || !name_fits(&name.en, 60) || !described(&description.zh) || !described(&description.en) {
        return Err(ItemError::Text);
    }
    if !(1..=10_000_000).contains(&points) || cash.is_some_and(|c| c.fen() <= 0) || per_member_limit < 1 {
        return Err(ItemError::Numbers);
    }
    let spec_ok = |s: &Spec| {
        !s.label.zh.trim().is_empty()
            && !s.label.en.trim().is_empty()
            && [&s.label.zh, &s.label.en, &s.value.zh, &s.value.en].into_iter().all(|t| readable(t))
    };
    if specs.len() > 20 || !specs.iter().all(spec_ok) {
        return Err(ItemError::Specs);
    }
    if !image_path_ok(image) {
        return Err(ItemError::Image);
    }
    Ok(())
}

/// The rule of every image path the back office writes (an item's image, a merchant's
/// logo, a cause's image): an uploaded `/media/…` image or one of the app's own `/img/…`,
/// at most 200 characters of `a-z A-Z 0-9 / . _ -`, never `..`.
pub fn image_path_ok(image: &str) -> bool {
    (image.starts_with("/media/") || image.starts_with("/img/"))
        && image.len() <= 200
        && !image.contains("..")
        && image.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
}

/// Whether `slug` is a short stable name: 2–32 of `a-z 0-9 -` (categories and merchants).
pub fn slug_ok(slug: &str) -> bool {
    (2..=32).contains(&slug.len()) && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether a name fits `1..=max` characters once trimmed, with no control or direction
/// characters (`text::readable`).
pub fn name_fits(name: &str, max: usize) -> bool {
    let name = name.trim();
    (1..=max).contains(&name.chars().count()) && crate::text::readable(name)
}

/// A category as the back office lists it (hidden ones too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminCategory {
    /// Category id.
    pub id: i64,
    /// Short stable name (items name their category by it); never changes.
    pub slug: String,
    /// Its name.
    pub name: I18nText,
    /// Where it shows: lower first, then by id.
    pub position: i64,
    /// Hidden: not in members' category list, its items not in their lists or search
    /// (an item page opened by its id still shows and redeems).
    pub hidden: bool,
    /// Items in it, retired ones excluded.
    pub items: i64,
}

/// `GET /api/admin/categories`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminCategories {
    /// Every category, by position then id.
    pub categories: Vec<AdminCategory>,
}

/// `POST /api/admin/categories` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCategory {
    /// 2–32 of `a-z 0-9 -`, unique (409 `slug_taken`); never changes.
    pub slug: String,
    /// Its name, 1–20 characters in each language.
    pub name: I18nText,
    /// Where it shows (0–1,000,000); absent: after the last.
    #[serde(default)]
    pub position: Option<i64>,
}

/// `PATCH /api/admin/categories/{id}` body: what changes; absent fields stay. The slug
/// never changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CategoryPatch {
    /// A new name, 1–20 characters in each language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<I18nText>,
    /// A new position (0–1,000,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
    /// Hide (`true`) or show (`false`) it to members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<bool>,
}

/// The highest position a category may have.
pub const CATEGORY_POSITION_MAX: i64 = 1_000_000;
/// The most characters a category's name may have in each language.
pub const CATEGORY_NAME_MAX: usize = 20;

/// Why a category is refused before it reaches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryError {
    /// A slug that is not 2–32 of `a-z 0-9 -`.
    Slug,
    /// A name empty or over 20 characters, or with control or direction characters.
    Name,
    /// A position outside 0..=1,000,000.
    Position,
}

impl CategoryError {
    /// The reason in English, for the API's error message.
    pub fn message(self) -> &'static str {
        match self {
            CategoryError::Slug => "a slug is 2–32 characters of a-z, 0-9 and '-'",
            CategoryError::Name => "names need 1–20 characters in both languages, without control or direction characters",
            CategoryError::Position => "position must be between 0 and 1,000,000",
        }
    }
}

/// The rules of a new category's slug and name (the server and the operator's form apply
/// the same).
pub fn check_category(slug: &str, name: &I18nText) -> Result<(), CategoryError> {
    if !slug_ok(slug) {
        return Err(CategoryError::Slug);
    }
    check_category_name(name)
}

fn check_category_name(name: &I18nText) -> Result<(), CategoryError> {
    match name_fits(&name.zh, CATEGORY_NAME_MAX) && name_fits(&name.en, CATEGORY_NAME_MAX) {
        true => Ok(()),
        false => Err(CategoryError::Name),
    }
}

fn check_position(position: Option<i64>) -> Result<(), CategoryError> {
    match position.is_none_or(|p| (0..=CATEGORY_POSITION_MAX).contains(&p)) {
        true => Ok(()),
        false => Err(CategoryError::Position),
    }
}

impl NewCategory {
    /// Every rule of a new category: [`check_category`] and the position.
    pub fn check(&self) -> Result<(), CategoryError> {
        check_category(&self.slug, &self.name)?;
        check_position(self.position)
    }
}

impl CategoryPatch {
    /// The rules of the fields the patch changes.
    pub fn check(&self) -> Result<(), CategoryError> {
        if let Some(name) = &self.name {
            check_category_name(name)?;
        }
        check_position(self.position)
    }
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
        // Text people read: no control or direction characters; a description keeps its lines.
        let item =
            |name: &str, description: &str, specs: &[Spec]| check_item(&text(name), &text(description), specs, "/img/a.svg", 1, None, 1);
        assert_eq!(item("券\u{202e}gnp", "", &[]), Err(ItemError::Text));
        assert_eq!(item("券", "第一段\u{2066}", &[]), Err(ItemError::Text));
        assert_eq!(item("券", "第一段\n第二段", &[]), Ok(()));
        assert_eq!(item("券", "a\tb", &[]), Err(ItemError::Text));
        let spec = |label: &str, value: &str| Spec { label: text(label), value: text(value) };
        assert_eq!(item("券", "", &[spec("容量", "500 ml")]), Ok(()));
        assert_eq!(item("券", "", &[spec("容量", "500\u{0}ml")]), Err(ItemError::Specs));
        assert_eq!(item("券", "", &[spec("容\u{1b}[31m量", "500 ml")]), Err(ItemError::Specs));
    }

    #[test]
    fn category_rules() {
        assert_eq!(check_category("coupons", &text("优惠券")), Ok(()));
        assert_eq!(check_category("local-2", &text(&"名".repeat(20))), Ok(()));
        for bad in ["", "a", "Coupons", "with space", "名字", "under_score", &"x".repeat(33)] {
            assert_eq!(check_category(bad, &text("券")), Err(CategoryError::Slug), "{bad}");
        }
        assert_eq!(check_category("ok", &text(" ")), Err(CategoryError::Name));
        assert_eq!(check_category("ok", &text(&"名".repeat(21))), Err(CategoryError::Name));
        assert_eq!(check_category("ok", &text("券\u{202e}")), Err(CategoryError::Name));
        assert_eq!(check_category("ok", &text("券\n")), Ok(()), "trimmed first");
        assert_eq!(check_category("ok", &text("a\tb")), Err(CategoryError::Name));
        let new = |position| NewCategory { slug: "ok".into(), name: text("券"), position };
        assert_eq!(new(None).check(), Ok(()));
        assert_eq!(new(Some(-1)).check(), Err(CategoryError::Position));
        assert_eq!(CategoryPatch { position: Some(CATEGORY_POSITION_MAX + 1), ..Default::default() }.check(), Err(CategoryError::Position));
        assert_eq!(CategoryPatch { name: Some(text("")), ..Default::default() }.check(), Err(CategoryError::Name));
        assert_eq!(CategoryPatch { hidden: Some(true), ..Default::default() }.check(), Ok(()));
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
