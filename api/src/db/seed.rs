//! Demo data for development and tests: members with point lots, categories and items,
//! loaded from `api/seed/demo.json` into an empty database.

use chrono_tz::Tz;
use serde::Deserialize;

use super::Pool;
use mall_core::Rules;

use crate::{clock, ledger};

const DEMO_JSON: &str = include_str!("../../seed/demo.json");

#[derive(Deserialize)]
struct Demo {
    categories: Vec<SeedCategory>,
    members: Vec<SeedMember>,
    items: Vec<SeedItem>,
}

#[derive(Deserialize)]
struct SeedCategory {
    slug: String,
    name_zh: String,
    name_en: String,
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
    kind: String,
    points: i64,
    days_ago: i64,
}

#[derive(Deserialize)]
struct SeedItem {
    id: i64,
    category: String,
    kind: String,
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
    min_tier: Option<String>,
    redeemed: i64,
    days_old: i64,
}

/// Loads the demo data if the database has no members yet. Returns whether it did.
pub async fn seed_if_empty(pool: &Pool, zone: Tz, rules: &Rules, now: i64) -> Result<bool, sqlx::Error> {
    let (members,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM members").fetch_one(pool).await?;
    if members > 0 {
        return Ok(false);
    }
    let demo: Demo = serde_json::from_str(DEMO_JSON).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let mut tx = super::begin(pool).await?;
    for (pos, c) in demo.categories.iter().enumerate() {
        sqlx::query("INSERT INTO categories (slug, name_zh, name_en, position) VALUES ($1, $2, $3, $4)")
            .bind(&c.slug)
            .bind(&c.name_zh)
            .bind(&c.name_en)
            .bind(pos as i64)
            .execute(&mut *tx)
            .await?;
    }
    for m in &demo.members {
        let first = m.lots.iter().map(|l| l.days_ago).max().unwrap_or(0);
        sqlx::query(
            "INSERT INTO members (id, name_zh, name_en, growth, balance, created_at, invite_code) VALUES ($1, $2, $3, $4, 0, $5, $6)",
        )
        .bind(m.id)
        .bind(&m.name_zh)
        .bind(&m.name_en)
        .bind(m.growth)
        .bind(now - first * 86_400)
        .bind(crate::members::new_invite_code())
        .execute(&mut *tx)
        .await?;
        let mut lots: Vec<&SeedLot> = m.lots.iter().collect();
        lots.sort_by_key(|l| std::cmp::Reverse(l.days_ago));
        for lot in lots {
            let kind = mall_core::dto::EntryKind::parse(&lot.kind)
                .ok_or_else(|| sqlx::Error::Protocol(format!("unknown lot kind {}", lot.kind)))?;
            let at = now - lot.days_ago * 86_400;
            let expires = clock::lot_expiry(zone, at, rules.lot_lifetime_months);
            ledger::credit(&mut tx, m.id, kind, lot.points, ledger::At { secs: at, zone }, expires, None).await?;
        }
    }
    for i in &demo.items {
        let cash_fen = i.cash.map(|c| (c * rust_decimal::Decimal::ONE_HUNDRED).trunc().try_into().unwrap_or(0i64));
        sqlx::query(
            "INSERT INTO items (id, category, kind, name_zh, name_en, desc_zh, desc_en, specs_json, image, points, \
             cash_fen, stock, per_member_limit, min_tier, redeemed, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(i.id)
        .bind(&i.category)
        .bind(&i.kind)
        .bind(&i.name_zh)
        .bind(&i.name_en)
        .bind(&i.desc_zh)
        .bind(&i.desc_en)
        .bind(i.specs.to_string())
        .bind(&i.image)
        .bind(i.points)
        .bind(cash_fen)
        .bind(i.stock)
        .bind(i.per_member_limit)
        .bind(&i.min_tier)
        .bind(i.redeemed)
        .bind(now - i.days_old * 86_400)
        .execute(&mut *tx)
        .await?;
    }
    seed_sales(&mut tx, zone, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Today's demo flash sales: slots at 10:00, 14:00 and 20:00 local, and one live now.
async fn seed_sales(tx: &mut crate::db::Tx<'_>, zone: Tz, now: i64) -> Result<(), sqlx::Error> {
    use mall_core::{
        dto::I18nText,
        sales::{NewSale, SaleTerms},
    };
    let day = clock::local_day(zone, now);
    let midnight = clock::start_of_day(zone, clock::date_of_day(day));
    let text = |zh: &str, en: &str| I18nText { zh: zh.into(), en: en.into() };
    let sale = |key: &str, offer: I18nText, merchant: I18nText, image: &str, points, quantity, starts_at: i64, minutes: i64| NewSale {
        terms: SaleTerms {
            offer_key: key.into(),
            offer,
            merchant,
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
            text("星巴克", "Starbucks"),
            "/img/items/starbucks-latte.svg",
            600,
            50,
            midnight + 10 * hour,
            60,
        ),
        sale(
            "cinema",
            text("电影票 5 折兑换码", "Cinema ticket half price"),
            text("万达影城", "Wanda Cinemas"),
            "/img/items/movie-ticket.svg",
            800,
            30,
            midnight + 14 * hour,
            60,
        ),
        sale(
            "hongbao",
            text("外卖 15 元红包兑换码", "¥15 food delivery voucher"),
            text("美团外卖", "Meituan"),
            "/img/items/meituan-hongbao-10.svg",
            300,
            100,
            midnight + 20 * hour,
            60,
        ),
        sale(
            "coffee-live",
            text("瑞幸咖啡 9 元券兑换码", "Luckin ¥9 coffee code"),
            text("瑞幸咖啡", "Luckin Coffee"),
            "/img/items/luckin-voucher.svg",
            200,
            20,
            now - 10 * 60,
            120,
        ),
    ];
    for s in &sales {
        crate::routes::sales::insert_sale(tx, s, now).await?;
    }
    Ok(())
}
