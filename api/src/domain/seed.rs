//! Demo data for development and tests: members with point lots, categories, items and
//! today's flash sales, loaded from `api/seed/demo.json` into an empty database through
//! the same `db` and `ledger` functions the API uses.

use chrono_tz::Tz;
use futures_util::FutureExt;
use std::collections::HashMap;

use mall_core::{catalog::ItemKind, dto::EntryKind, staff::StaffRole, Rules, Tier};
use serde::Deserialize;

use super::{ledger, members};
use crate::{
    clock,
    db::{self, items::CategoryRow, merchants::MerchantRow, Pool, Tx},
};

const DEMO_JSON: &str = include_str!("../../seed/demo.json");

#[derive(Deserialize)]
struct Demo {
    categories: Vec<CategoryRow>,
    members: Vec<SeedMember>,
    items: Vec<SeedItem>,
    merchants: Vec<SeedMerchant>,
    staff: Vec<SeedStaff>,
    causes: Vec<SeedCause>,
    lottery: SeedLottery,
}

/// The demo's running lottery.
#[derive(Deserialize)]
struct SeedLottery {
    name_zh: String,
    name_en: String,
    cost_points: i64,
    draws_per_day: i64,
    prizes: Vec<SeedPrize>,
}

/// A prize of the demo lottery.
#[derive(Deserialize)]
struct SeedPrize {
    name_zh: String,
    name_en: String,
    kind: mall_core::lottery::PrizeKind,
    #[serde(default)]
    points: Option<i64>,
    #[serde(default)]
    item_id: Option<i64>,
    probability_bp: i64,
    stock: i64,
}

/// A demo donation cause.
#[derive(Deserialize)]
struct SeedCause {
    name_zh: String,
    name_en: String,
    description_zh: String,
    description_en: String,
    image: String,
    target: i64,
}

#[derive(Deserialize)]
struct SeedMerchant {
    slug: String,
    name_zh: String,
    name_en: String,
    logo: String,
    address_zh: String,
    address_en: String,
    settlement_fen: i64,
}

/// A demo staff account: its password is public (listed by `GET /api/demo/staff`), its
/// hash precomputed (`mall-api staff hash`) so seeding costs no hashing.
#[derive(Deserialize)]
struct SeedStaff {
    username: String,
    password: String,
    password_hash: String,
    role: StaffRole,
    merchant: Option<String>,
    display_name: String,
}

/// The demo staff accounts: username, role, password and merchant slug (the demo data
/// is part of the binary: an unreadable file is a build error caught by the tests).
pub fn demo_staff() -> Vec<(String, StaffRole, String, Option<String>)> {
    #[derive(Deserialize)]
    struct StaffOnly {
        staff: Vec<SeedStaff>,
    }
    let demo: Result<StaffOnly, _> = serde_json::from_str(DEMO_JSON);
    demo.map(|d| d.staff.into_iter().map(|s| (s.username, s.role, s.password, s.merchant)).collect()).unwrap_or_default()
}

#[derive(Deserialize)]
struct SeedMember {
    id: i64,
    name_zh: String,
    name_en: String,
    growth: i64,
    lots: Vec<SeedLot>,
}

#[derive(Deserialize)]
struct SeedLot {
    kind: EntryKind,
    points: i64,
    days_ago: i64,
}

#[derive(Deserialize)]
struct SeedItem {
    id: i64,
    category: String,
    kind: ItemKind,
    name_zh: String,
    name_en: String,
    desc_zh: String,
    desc_en: String,
    specs: serde_json::Value,
    image: String,
    points: i64,
    cash: Option<rust_decimal::Decimal>,
    stock: i64,
    per_member_limit: i64,
    min_tier: Option<Tier>,
    redeemed: i64,
    days_old: i64,
    /// The partner merchant (slug) that honours a voucher's codes.
    #[serde(default)]
    merchant: Option<String>,
}

/// Loads the demo data if the database has no members yet; its staff accounts (whose
/// passwords are published) only when `with_staff` (the demo login is on). Returns
/// whether it loaded. Replicas starting together on one empty database load it once: the
/// check and the load run under the seed lock in one transaction.
pub async fn seed_if_empty(writer: &Pool, zone: Tz, rules: &Rules, now: i64, with_staff: bool) -> Result<bool, sqlx::Error> {
    if db::members::count(&mut writer.acquire().await?).await? > 0 {
        return Ok(false);
    }
    let demo: Demo = serde_json::from_str(DEMO_JSON).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let (lifetime, tiers) = (rules.lot_lifetime_months, rules.tiers);
    let demo = std::sync::Arc::new(demo);
    db::transaction(writer, move |tx| {
        async move {
            db::lock_in(tx, db::job::SEED).await?;
            if db::members::count(tx).await? > 0 {
                return Ok(false);
            }
            load(tx, &demo, zone, (lifetime, tiers), now, with_staff).await?;
            // The demo's history is not news: nothing of it goes to the host.
            db::outbox::clear(tx).await?;
            db::sync_id_sequences(tx).await?;
            Ok(true)
        }
        .boxed()
    })
    .await
}

/// Inserts the demo data in one transaction, by the rules' lot lifetime and tier thresholds.
async fn load(
    tx: &mut Tx,
    demo: &Demo,
    zone: Tz,
    (lot_lifetime_months, tiers): (u32, mall_core::TierTable),
    now: i64,
    with_staff: bool,
) -> Result<(), sqlx::Error> {
    for (pos, c) in demo.categories.iter().enumerate() {
        db::items::insert_category(tx, c, pos as i64).await?;
    }
    for m in &demo.members {
        let first = m.lots.iter().map(|l| l.days_ago).max().unwrap_or(0);
        let code = members::new_invite_code();
        let member = db::members::NewMember {
            id: m.id,
            name_zh: &m.name_zh,
            name_en: &m.name_en,
            growth: m.growth,
            tier_reached: tiers.tier_for(m.growth),
            created_at: now - first * 86_400,
            invite_code: &code,
        };
        db::members::insert(tx, &member).await?;
        let mut lots: Vec<&SeedLot> = m.lots.iter().collect();
        lots.sort_by_key(|l| std::cmp::Reverse(l.days_ago));
        for lot in lots {
            let at = now - lot.days_ago * 86_400;
            let expires = clock::lot_expiry(zone, at, lot_lifetime_months);
            ledger::credit(tx, m.id, lot.kind, lot.points, ledger::At { secs: at, zone, tiers }, expires, None).await?;
        }
    }
    let mut merchants = std::collections::HashMap::new();
    for m in &demo.merchants {
        let row = MerchantRow {
            id: 0,
            slug: m.slug.clone(),
            name_zh: m.name_zh.clone(),
            name_en: m.name_en.clone(),
            logo: m.logo.clone(),
            address_zh: m.address_zh.clone(),
            address_en: m.address_en.clone(),
            settlement_fen: m.settlement_fen,
            offer_settlement_fen: 0,
            deactivated_at: None,
        };
        let id = db::merchants::insert(tx, &row, now)
            .await?
            .ok_or_else(|| sqlx::Error::Decode(format!("demo merchant {} is there twice", m.slug).into()))?;
        merchants.insert(m.slug.clone(), MerchantRow { id, ..row });
    }
    for i in &demo.items {
        let item = db::items::DetailRow {
            item: db::items::ItemRow {
                id: i.id,
                category: i.category.clone(),
                kind: i.kind,
                name_zh: i.name_zh.clone(),
                name_en: i.name_en.clone(),
                image: i.image.clone(),
                points: i.points,
                cash_fen: i.cash.map(|c| (c * rust_decimal::Decimal::ONE_HUNDRED).trunc().try_into().unwrap_or(0i64)),
                stock: i.stock,
                redeemed: i.redeemed,
                min_tier: i.min_tier,
                created_at: now - i.days_old * 86_400,
                per_member_limit: i.per_member_limit,
                merchant_id: i.merchant.as_ref().and_then(|slug| merchants.get(slug)).map(|m| m.id),
            },
            desc_zh: i.desc_zh.clone(),
            desc_en: i.desc_en.clone(),
            specs_json: i.specs.to_string(),
        };
        db::items::insert(tx, &item).await?;
    }
    for s in demo.staff.iter().filter(|_| with_staff) {
        let merchant_id = s.merchant.as_ref().and_then(|slug| merchants.get(slug)).map(|m| m.id);
        let new = db::staff::NewStaff {
            username: &s.username,
            password_hash: &s.password_hash,
            role: s.role,
            merchant_id,
            display_name: &s.display_name,
        };
        db::staff::insert(tx, &new, now).await?;
    }
    for c in &demo.causes {
        let cause = db::causes::NewCause {
            name_zh: &c.name_zh,
            name_en: &c.name_en,
            description_zh: &c.description_zh,
            description_en: &c.description_en,
            image: &c.image,
            target: c.target,
        };
        db::causes::insert(tx, &cause, now).await?;
    }
    let l = &demo.lottery;
    let lottery =
        db::lottery::NewLottery { name_zh: &l.name_zh, name_en: &l.name_en, cost_points: l.cost_points, draws_per_day: l.draws_per_day };
    let lottery_id = db::lottery::insert(tx, &lottery, now).await?;
    for (position, p) in l.prizes.iter().enumerate() {
        let prize = db::lottery::PrizeRow {
            id: 0,
            name_zh: p.name_zh.clone(),
            name_en: p.name_en.clone(),
            kind: p.kind,
            points: p.points,
            item_id: p.item_id,
            image: None,
            probability_bp: p.probability_bp,
            stock: p.stock,
        };
        db::lottery::insert_prize(tx, lottery_id, position as i64, &prize).await?;
    }
    seed_sales(tx, zone, now, &merchants).await
}

/// Today's demo flash sales: slots at 10:00, 14:00 and 20:00 local, and one live now.
async fn seed_sales(tx: &mut Tx, zone: Tz, now: i64, merchants: &HashMap<String, MerchantRow>) -> Result<(), sqlx::Error> {
    use mall_core::{
        dto::I18nText,
        sales::{NewSale, SaleTerms},
    };
    let day = clock::local_day(zone, now);
    let midnight = clock::start_of_day(zone, clock::date_of_day(day));
    let text = |zh: &str, en: &str| I18nText { zh: zh.into(), en: en.into() };
    let sale = |key: &str, offer: I18nText, merchant: &str, image: &str, points, quantity, starts_at: i64, minutes: i64| NewSale {
        terms: SaleTerms {
            offer_key: key.into(),
            offer,
            merchant_id: merchants.get(merchant).map_or(0, |m| m.id),
            image: image.into(),
            points,
            quantity,
            per_member_limit: Some(1),
            code_valid_days: Some(30),
        },
        starts_at,
        ends_at: starts_at + minutes * 60,
    };
    let hour = 3600;
    let sales = [
        sale(
            "latte",
            text("星巴克中杯拿铁兑换码", "Starbucks tall latte code"),
            "starbucks",
            "/img/items/starbucks-latte.svg",
            600,
            50,
            midnight + 10 * hour,
            60,
        ),
        sale(
            "cinema",
            text("电影票 5 折兑换码", "Cinema ticket half price"),
            "wanda",
            "/img/items/movie-ticket.svg",
            800,
            30,
            midnight + 14 * hour,
            60,
        ),
        sale(
            "hongbao",
            text("外卖 15 元红包兑换码", "¥15 food delivery voucher"),
            "meituan",
            "/img/items/meituan-hongbao-10.svg",
            300,
            100,
            midnight + 20 * hour,
            60,
        ),
        sale(
            "coffee-live",
            text("瑞幸咖啡 9 元券兑换码", "Luckin ¥9 coffee code"),
            "luckin",
            "/img/items/luckin-voucher.svg",
            200,
            20,
            now - 10 * 60,
            120,
        ),
    ];
    for s in &sales {
        let merchant = merchants
            .values()
            .find(|m| m.id == s.terms.merchant_id)
            .ok_or_else(|| sqlx::Error::Decode(format!("demo sale {} names no demo merchant", s.terms.offer_key).into()))?;
        db::sales::insert(tx, s, merchant, now).await?;
    }
    Ok(())
}
