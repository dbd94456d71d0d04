//! The catalogue as operators run it: items (create, change, retire), stock changes with a
//! reason, uploaded images; and the specification format both sides of the catalogue
//! store. Every write is audited.

use mall_core::{
    cash::Cash,
    catalog_admin::{
        check_item, image_format, AdminCategories, AdminCategory, AdminItem, AdminItems, CategoryError, CategoryPatch, ItemError,
        ItemPatch, NewCategory, NewItem, StockChange, UploadedImage, IMAGE_MAX_BYTES,
    },
    dto::{I18nText, Spec},
};
use sha2::{Digest, Sha256};

use super::{audit, staff::Actor};
use crate::db::{
    self,
    items::{CategoryRow, DetailRow, ItemRow, StaffCategoryRow, StaffItemRow},
    Access, Tx,
};

/// A refused or failed catalogue step.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A field breaks the item rules.
    #[error("{}", .0.message())]
    Invalid(ItemError),
    /// No category with this slug.
    #[error("no category {0}")]
    UnknownCategory(String),
    /// No partner merchant with this id.
    #[error("no merchant {0}")]
    UnknownMerchant(i64),
    /// The partner merchant is inactive: no new voucher may name it.
    #[error("merchant {0} is inactive; a voucher cannot name it")]
    MerchantInactive(i64),
    /// A category breaks the category rules.
    #[error("{}", .0.message())]
    Category(CategoryError),
    /// No category with this id.
    #[error("no category with id {0}")]
    CategoryNotFound(i64),
    /// The slug is taken by another category.
    #[error("the slug {0} is taken")]
    SlugTaken(String),
    /// An image path under /media/ that was never uploaded.
    #[error("no uploaded image {0}")]
    UnknownImage(String),
    /// No item with this id.
    #[error("no item with id {0}")]
    NotFound(i64),
    /// The change would take the stock below zero.
    #[error("the stock is {0}; it cannot go below zero")]
    BelowZero(i64),
    /// A zero change (or one over 10,000,000) or a reason not 1–100 readable characters.
    #[error("delta must be 1 to 10,000,000 either way and reason 1–100 characters, without control or direction characters")]
    BadChange,
    /// Not a PNG, JPEG or WebP image.
    #[error("upload a PNG, JPEG or WebP image (SVG is not accepted)")]
    ImageType,
    /// Over `IMAGE_MAX_BYTES`.
    #[error("an image may have at most 512 kB")]
    ImageTooLarge,
    /// Stored specifications could not be read.
    #[error("stored specifications are damaged: {0}")]
    Specs(String),
    /// The database failed.
    #[error("catalogue database error")]
    Db(#[from] sqlx::Error),
}

/// Specifications as stored (`items.specs_json`).
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredSpec {
    label_zh: String,
    label_en: String,
    value_zh: String,
    value_en: String,
}

/// Reads stored specifications.
pub fn parse_specs(json: &str) -> Result<Vec<Spec>, serde_json::Error> {
    let stored: Vec<StoredSpec> = serde_json::from_str(json)?;
    Ok(stored
        .into_iter()
        .map(|s| Spec { label: I18nText { zh: s.label_zh, en: s.label_en }, value: I18nText { zh: s.value_zh, en: s.value_en } })
        .collect())
}

/// Specifications as stored.
fn specs_json(specs: &[Spec]) -> String {
    let stored: Vec<StoredSpec> = specs
        .iter()
        .map(|s| StoredSpec {
            label_zh: s.label.zh.trim().into(),
            label_en: s.label.en.trim().into(),
            value_zh: s.value.zh.trim().into(),
            value_en: s.value.en.trim().into(),
        })
        .collect();
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".into())
}

/// The back office's view of an item.
fn admin_item(row: StaffItemRow) -> Result<AdminItem, CatalogError> {
    let StaffItemRow { detail: DetailRow { item: i, desc_zh, desc_en, specs_json }, retired_at } = row;
    Ok(AdminItem {
        id: i.id,
        category: i.category,
        kind: i.kind,
        name: I18nText { zh: i.name_zh, en: i.name_en },
        description: I18nText { zh: desc_zh, en: desc_en },
        specs: parse_specs(&specs_json).map_err(|e| CatalogError::Specs(e.to_string()))?,
        image: i.image,
        points: i.points,
        cash: i.cash_fen.map(Cash::from_fen),
        stock: i.stock,
        redeemed: i.redeemed,
        per_member_limit: i.per_member_limit,
        min_tier: i.min_tier,
        retired: retired_at.is_some(),
        merchant_id: i.merchant_id,
    })
}

/// Every item, retired ones too, at `now` (units of unpaid orders that lapsed count as
/// back in stock before a write records them).
pub async fn list(conn: &mut impl Access, now: i64) -> Result<AdminItems, CatalogError> {
    let rows = db::items::all(conn).await?;
    let back: std::collections::HashMap<i64, i64> =
        db::orders::lapsed_units(conn, now, None).await?.into_iter().map(|u| (u.item_id, u.units)).collect();
    let mut items: Vec<AdminItem> = rows.into_iter().map(admin_item).collect::<Result<_, _>>()?;
    for item in &mut items {
        item.stock += back.get(&item.id).copied().unwrap_or(0);
    }
    Ok(AdminItems { items })
}

/// Checks what an item refers to: its category, its merchant (`named`: one the request
/// names, which must be active), and an uploaded image that exists.
async fn check_refs(tx: &mut Tx, category: &str, image: &str, merchant_id: Option<i64>, named: bool) -> Result<(), CatalogError> {
    if !db::items::category_exists(tx, category).await? {
        return Err(CatalogError::UnknownCategory(category.to_string()));
    }
    if let Some(id) = merchant_id {
        match db::merchants::one(tx, id).await? {
            None => return Err(CatalogError::UnknownMerchant(id)),
            Some(m) if named && m.deactivated_at.is_some() => return Err(CatalogError::MerchantInactive(id)),
            Some(_) => {}
        }
    }
    if let Some(name) = image.strip_prefix("/media/") {
        if !db::images::exists(tx, name).await? {
            return Err(CatalogError::UnknownImage(image.to_string()));
        }
    }
    Ok(())
}

/// The current item, or `NotFound`.
async fn current(tx: &mut Tx, id: i64) -> Result<StaffItemRow, CatalogError> {
    db::items::staff_one(tx, id).await?.ok_or(CatalogError::NotFound(id))
}

/// Creates an item; it shows in the catalogue at once.
pub async fn create(tx: &mut Tx, actor: &Actor, new: &NewItem, now: i64) -> Result<AdminItem, CatalogError> {
    check_item(&new.name, &new.description, &new.specs, &new.image, new.points, new.cash, new.per_member_limit)
        .map_err(CatalogError::Invalid)?;
    if new.stock < 0 {
        return Err(CatalogError::Invalid(ItemError::Numbers));
    }
    check_refs(tx, &new.category, &new.image, new.merchant_id, true).await?;
    let row = DetailRow {
        item: ItemRow {
            id: 0,
            category: new.category.clone(),
            kind: new.kind,
            name_zh: new.name.zh.trim().into(),
            name_en: new.name.en.trim().into(),
            image: new.image.clone(),
            points: new.points,
            cash_fen: new.cash.map(Cash::fen),
            stock: new.stock,
            redeemed: 0,
            min_tier: new.min_tier,
            created_at: now,
            per_member_limit: new.per_member_limit,
            merchant_id: new.merchant_id,
        },
        desc_zh: new.description.zh.trim().into(),
        desc_en: new.description.en.trim().into(),
        specs_json: specs_json(&new.specs),
    };
    let id = db::items::create(tx, &row).await?;
    let item = admin_item(current(tx, id).await?)?;
    let act = audit::Act { actor, action: "item.create", target_kind: "item", at: now };
    audit::record(tx, act, &id.to_string(), None::<&()>, Some(&item)).await?;
    Ok(item)
}

/// Changes an item's fields (not its stock), retires it or brings it back.
pub async fn patch(tx: &mut Tx, actor: &Actor, id: i64, p: &ItemPatch, now: i64) -> Result<AdminItem, CatalogError> {
    let mut row = current(tx, id).await?;
    let before = admin_item(row.clone())?;
    let i = &mut row.detail.item;
    if let Some(c) = &p.category {
        i.category = c.clone();
    }
    if let Some(k) = p.kind {
        i.kind = k;
    }
    if let Some(n) = &p.name {
        (i.name_zh, i.name_en) = (n.zh.trim().into(), n.en.trim().into());
    }
    if let Some(img) = &p.image {
        i.image = img.clone();
    }
    if let Some(points) = p.points {
        i.points = points;
    }
    if let Some(cash) = p.cash {
        i.cash_fen = cash.map(Cash::fen);
    }
    if let Some(limit) = p.per_member_limit {
        i.per_member_limit = limit;
    }
    if let Some(tier) = p.min_tier {
        i.min_tier = tier;
    }
    if let Some(merchant) = p.merchant_id {
        i.merchant_id = merchant;
    }
    if let Some(desc) = &p.description {
        (row.detail.desc_zh, row.detail.desc_en) = (desc.zh.trim().into(), desc.en.trim().into());
    }
    if let Some(specs) = &p.specs {
        row.detail.specs_json = specs_json(specs);
    }
    if let Some(retired) = p.retired {
        row.retired_at = match (retired, row.retired_at) {
            (true, None) => Some(now),
            (true, at) => at,
            (false, _) => None,
        };
    }
    let after = admin_item(row.clone())?;
    check_item(&after.name, &after.description, &after.specs, &after.image, after.points, after.cash, after.per_member_limit)
        .map_err(CatalogError::Invalid)?;
    // An item may keep a merchant deactivated since; naming one anew needs an active one.
    let named = p.merchant_id.is_some_and(|m| m.is_some() && m != before.merchant_id);
    check_refs(tx, &after.category, &after.image, after.merchant_id, named).await?;
    db::items::update(tx, &row).await?;
    let act = audit::Act { actor, action: if p.retired == Some(true) { "item.retire" } else { "item.edit" }, target_kind: "item", at: now };
    audit::record(tx, act, &id.to_string(), Some(&before), Some(&after)).await?;
    Ok(after)
}

/// Adds or takes stock with a reason; never below zero (a conditional update, so two
/// operators at once cannot pass it).
pub async fn change_stock(tx: &mut Tx, actor: &Actor, id: i64, change: &StockChange, now: i64) -> Result<AdminItem, CatalogError> {
    let reason = change.reason.trim();
    if change.delta == 0
        || !(1..=100).contains(&reason.chars().count())
        || !mall_core::text::readable(reason)
        || change.delta.unsigned_abs() > 10_000_000
    {
        return Err(CatalogError::BadChange);
    }
    let before = current(tx, id).await?;
    let stock_before = before.detail.item.stock;
    if db::items::add_stock(tx, id, change.delta).await?.is_none() {
        return Err(CatalogError::BelowZero(stock_before));
    }
    let after = admin_item(current(tx, id).await?)?;
    let act = audit::Act { actor, action: "item.stock", target_kind: "item", at: now };
    let before = serde_json::json!({ "stock": stock_before });
    let after_json = serde_json::json!({ "stock": after.stock, "delta": change.delta, "reason": reason });
    audit::record(tx, act, &id.to_string(), Some(&before), Some(&after_json)).await?;
    Ok(after)
}

/// Stores an uploaded image (PNG, JPEG or WebP by its bytes, at most 512 kB) under a name
/// made from its content, served at `/media/<name>`.
pub async fn upload_image(tx: &mut Tx, actor: &Actor, bytes: &[u8], now: i64) -> Result<UploadedImage, CatalogError> {
    if bytes.len() > IMAGE_MAX_BYTES {
        return Err(CatalogError::ImageTooLarge);
    }
    let (content_type, ext) = image_format(bytes).ok_or(CatalogError::ImageType)?;
    let name = format!("{}.{ext}", &hex::encode(Sha256::digest(bytes))[..32]);
    db::images::insert(tx, &name, content_type, bytes, now).await?;
    let act = audit::Act { actor, action: "image.upload", target_kind: "image", at: now };
    audit::record(tx, act, &name, None::<&()>, Some(&serde_json::json!({ "bytes": bytes.len(), "type": content_type }))).await?;
    Ok(UploadedImage { url: format!("/media/{name}"), bytes: bytes.len() })
}

/// A category as the back office sees it.
fn admin_category(row: StaffCategoryRow) -> AdminCategory {
    AdminCategory {
        id: row.id,
        slug: row.slug,
        name: I18nText { zh: row.name_zh, en: row.name_en },
        position: row.position,
        hidden: row.hidden_at.is_some(),
        items: row.items,
    }
}

/// Every category, hidden ones too, by position then id, with its items (retired excluded).
pub async fn categories(conn: &mut impl Access) -> Result<AdminCategories, CatalogError> {
    Ok(AdminCategories { categories: db::items::staff_categories(conn).await?.into_iter().map(admin_category).collect() })
}

/// Creates a category (after the last unless a position is given), audited. A slug taken
/// is refused by the database's unique key.
pub async fn create_category(tx: &mut Tx, actor: &Actor, new: &NewCategory, now: i64) -> Result<AdminCategory, CatalogError> {
    new.check().map_err(CatalogError::Category)?;
    let row = CategoryRow { slug: new.slug.clone(), name_zh: new.name.zh.trim().into(), name_en: new.name.en.trim().into() };
    let id = db::items::create_category(tx, &row, new.position).await?.ok_or_else(|| CatalogError::SlugTaken(new.slug.clone()))?;
    let made = admin_category(db::items::staff_category(tx, id).await?.ok_or(CatalogError::CategoryNotFound(id))?);
    let act = audit::Act { actor, action: "category.create", target_kind: "category", at: now };
    audit::record(tx, act, &id.to_string(), None::<&()>, Some(&made)).await?;
    Ok(made)
}

/// Changes a category's name or position, hides it from members or shows it again; audited.
pub async fn patch_category(tx: &mut Tx, actor: &Actor, id: i64, p: &CategoryPatch, now: i64) -> Result<AdminCategory, CatalogError> {
    p.check().map_err(CatalogError::Category)?;
    let mut row = db::items::staff_category(tx, id).await?.ok_or(CatalogError::CategoryNotFound(id))?;
    let before = admin_category(row.clone());
    if let Some(name) = &p.name {
        (row.name_zh, row.name_en) = (name.zh.trim().into(), name.en.trim().into());
    }
    if let Some(position) = p.position {
        row.position = position;
    }
    row.hidden_at = match (p.hidden, row.hidden_at) {
        (Some(true), None) => Some(now),
        (Some(false), _) => None,
        (_, at) => at,
    };
    db::items::update_category(tx, &row).await?;
    let after = admin_category(row);
    let act = audit::Act { actor, action: "category.update", target_kind: "category", at: now };
    audit::record(tx, act, &id.to_string(), Some(&before), Some(&after)).await?;
    Ok(after)
}
