//! Campaigns (the rules: `mall_core::campaign`): the operator's create, list and end
//! (audited), the running ones a member sees, and the bonuses booked as `campaign`
//! entries. Each bonus first takes its points from the campaign's budget by one
//! conditional update (`db::campaigns::take_budget`: the whole bonus or nothing), in the
//! transaction of what earns it, so a storm never takes a budget past its end and a
//! rolled-back check-in takes nothing; a cancel or refund never gives budget back.

use chrono::Datelike;
use mall_core::{
    campaign::{self, AdminCampaign, Audience, Campaign, CampaignState, MemberDay, NewCampaign, Target},
    dto::{EntryKind, I18nText, ItemSummary},
    FieldError, Rules, Tier,
};
use rust_decimal::Decimal;

use super::{
    audit,
    ledger::{self, At, LedgerError},
    members::{self, MemberError},
    staff::Actor,
};
use crate::{
    clock,
    db::{self, campaigns::CampaignRow, Access, Tx},
};

/// A refused or failed campaign step.
#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    /// Fields out of their rules.
    #[error("the campaign has invalid fields")]
    Invalid(Vec<FieldError>),
    /// No such campaign.
    #[error("no campaign {0}")]
    NotFound(i64),
    /// The campaign has already ended.
    #[error("campaign {0} has already ended")]
    Ended(i64),
    /// The member lookup failed.
    #[error(transparent)]
    Member(#[from] MemberError),
    /// A ledger step failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The database failed.
    #[error("campaign database error")]
    Db(#[from] sqlx::Error),
}

/// The member day stored as (kind, number).
fn day_columns(day: Option<MemberDay>) -> (Option<&'static str>, Option<i64>) {
    match day {
        Some(MemberDay::Weekday(d)) => (Some("weekday"), Some(i64::from(d))),
        Some(MemberDay::MonthDay(d)) => (Some("month_day"), Some(i64::from(d))),
        Some(MemberDay::Birthday) => (Some("birthday"), None),
        None => (None, None),
    }
}

/// The terms of a stored campaign.
fn terms(row: &CampaignRow) -> Campaign {
    let number = row.day_number.and_then(|n| u8::try_from(n).ok()).unwrap_or(0);
    let member_day = match row.day_kind.as_deref() {
        Some("weekday") => Some(MemberDay::Weekday(number)),
        Some("month_day") => Some(MemberDay::MonthDay(number)),
        Some("birthday") => Some(MemberDay::Birthday),
        _ => None,
    };
    Campaign {
        id: row.id,
        name: I18nText { zh: row.name_zh.clone(), en: row.name_en.clone() },
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        target: row.target,
        category: row.category.clone(),
        item_id: row.item_id,
        member_day,
        percent: row.percent,
        points: row.points,
        audience: Audience { tier: row.audience_tier, exact: row.audience_exact == 1 },
    }
}

/// A stored campaign as the back office lists it at `now`, with what it booked.
fn admin(row: &CampaignRow, now: i64, booked: i64) -> AdminCampaign {
    AdminCampaign {
        campaign: terms(row),
        state: CampaignState::at(now, row.starts_at, row.ends_at, row.ended_at),
        ended_at: row.ended_at,
        budget: row.budget,
        spent: row.spent,
        grants: row.grants,
        booked,
        created_at: row.created_at,
    }
}

/// Creates a campaign (audited): checked by `NewCampaign::check`, then that its window
/// ends after `now` and its category or item exists.
pub async fn create(tx: &mut Tx, actor: &Actor, new: &NewCampaign, now: i64) -> Result<AdminCampaign, CampaignError> {
    let mut errors = new.check();
    if new.ends_at <= now && errors.iter().all(|e| e.field != "ends_at") {
        errors.push(FieldError::new("ends_at", "must be in the future"));
    }
    if let Some(slug) = new.category.as_deref().filter(|_| errors.iter().all(|e| e.field != "category")) {
        if !db::items::category_exists(tx, slug.trim()).await? {
            errors.push(FieldError::new("category", format!("no category {}", slug.trim())));
        }
    }
    if let Some(id) = new.item_id.filter(|_| errors.iter().all(|e| e.field != "item_id" && e.field != "category")) {
        if !db::items::exists(tx, id).await? {
            errors.push(FieldError::new("item_id", format!("no item {id}")));
        }
    }
    if !errors.is_empty() {
        return Err(CampaignError::Invalid(errors));
    }
    let (day_kind, day_number) = day_columns(new.member_day);
    let row = db::campaigns::NewCampaign {
        name_zh: new.name.zh.trim(),
        name_en: new.name.en.trim(),
        starts_at: new.starts_at,
        ends_at: new.ends_at,
        target: new.target,
        category: new.category.as_deref().map(str::trim),
        item_id: new.item_id,
        day_kind,
        day_number,
        percent: new.percent,
        points: new.points,
        budget: new.budget,
        audience_tier: new.audience.tier,
        audience_exact: i64::from(new.audience.tier.is_some() && new.audience.exact),
    };
    let id = db::campaigns::insert(tx, &row, now).await?;
    let act = audit::Act { actor, action: "campaign.create", target_kind: "campaign", at: now };
    audit::record(tx, act, &id.to_string(), None::<&()>, Some(new)).await?;
    let row = db::campaigns::get(tx, id).await?.ok_or(CampaignError::NotFound(id))?;
    Ok(admin(&row, now, 0))
}

/// Ends a campaign at `now` (audited): no more boosts; what it gave stays given.
pub async fn end(tx: &mut Tx, actor: &Actor, id: i64, now: i64) -> Result<AdminCampaign, CampaignError> {
    let before = db::campaigns::get(tx, id).await?.ok_or(CampaignError::NotFound(id))?;
    if !db::campaigns::end(tx, id, now).await? {
        return Err(CampaignError::Ended(id));
    }
    let row = db::campaigns::get(tx, id).await?.ok_or(CampaignError::NotFound(id))?;
    let booked = booked_of(tx, id).await?;
    let (before, after) = (admin(&before, now, booked), admin(&row, now, booked));
    let act = audit::Act { actor, action: "campaign.end", target_kind: "campaign", at: now };
    audit::record(tx, act, &id.to_string(), Some(&before), Some(&after)).await?;
    Ok(after)
}

/// Points campaign `id`'s entries credited.
async fn booked_of(conn: &mut impl Access, id: i64) -> Result<i64, sqlx::Error> {
    let key = id.to_string();
    Ok(db::campaigns::booked(conn).await?.into_iter().filter(|(ref_id, _)| *ref_id == key).map(|(_, n)| n).sum())
}

/// Every campaign, newest first, with its budget, what it took and what it booked.
pub async fn staff_list(conn: &mut impl Access, now: i64) -> Result<Vec<AdminCampaign>, sqlx::Error> {
    let mut booked: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for (id, points) in db::campaigns::booked(conn).await? {
        *booked.entry(id).or_default() += points;
    }
    let rows = db::campaigns::all(conn).await?;
    Ok(rows.iter().map(|r| admin(r, now, booked.get(&r.id.to_string()).copied().unwrap_or(0))).collect())
}

/// The campaigns running at `at` whose audience admits the member, oldest first.
pub async fn for_member(conn: &mut impl Access, rules: &Rules, at: At, member_id: i64) -> Result<Vec<Campaign>, CampaignError> {
    let tier = members::tier(conn, rules, member_id).await?;
    let rows = db::campaigns::running(conn, None, at.secs).await?;
    Ok(rows.iter().map(terms).filter(|c| c.audience.admits(tier)).collect())
}

/// Grants the best of `candidates` (each with its bonus) whose budget takes its whole
/// bonus, booked as a `campaign` entry; the points granted (0: none).
async fn grant(tx: &mut Tx, rules: &Rules, at: At, member_id: i64, mut candidates: Vec<(CampaignRow, i64)>) -> Result<i64, CampaignError> {
    // The most first; of equals, the older.
    candidates.sort_by(|(a, x), (b, y)| y.cmp(x).then(a.id.cmp(&b.id)));
    for (row, bonus) in candidates {
        if bonus > 0 && db::campaigns::take_budget(tx, row.id, bonus, at.secs).await? {
            let reference = ledger::Reference::labelled("campaign", row.id.to_string(), row.name_zh, row.name_en);
            let earning = ledger::Earning { kind: EntryKind::Campaign, points: bonus, growth: 0 };
            ledger::earn(tx, rules, member_id, earning, at, Some(&reference)).await?;
            return Ok(bonus);
        }
    }
    Ok(0)
}

/// The running campaigns of `target` for a member of `tier`.
async fn candidates(conn: &mut impl Access, target: Target, tier: Tier, at: At) -> Result<Vec<CampaignRow>, sqlx::Error> {
    let rows = db::campaigns::running(conn, Some(target), at.secs).await?;
    Ok(rows.into_iter().filter(|r| terms(r).audience.admits(tier)).collect())
}

/// What the campaigns offer a check-in of the member whose ladder step pays `base` (before
/// the early bird's double), each with its bonus: the check-in boosts on the reward
/// (`campaign::stack`), and the member-day bonuses due today.
async fn checkin_offers(
    conn: &mut impl Access,
    rules: &Rules,
    at: At,
    member_id: i64,
    base: i64,
    early_bird: bool,
) -> Result<[Vec<(CampaignRow, i64)>; 2], CampaignError> {
    let tier = members::tier(conn, rules, member_id).await?;
    let boosts: Vec<(CampaignRow, i64)> = candidates(conn, Target::Checkin, tier, at)
        .await?
        .into_iter()
        .map(|r| {
            let bonus = campaign::stack(base, Decimal::ONE, early_bird, Some(terms(&r).boost())).bonus;
            (r, bonus)
        })
        .collect();
    let days = candidates(conn, Target::MemberDay, tier, at).await?;
    let mut due = Vec::new();
    if !days.is_empty() {
        let today = clock::local_date(at.zone, at.secs);
        let birthday = super::profile::birthday_today(conn, &at, member_id).await?;
        let weekday = today.weekday().number_from_monday() as u8;
        let month_day = today.day() as u8;
        due = days
            .into_iter()
            .filter_map(|r| {
                let c = terms(&r);
                let bonus = campaign::stack(0, Decimal::ONE, false, Some(c.boost())).bonus;
                c.member_day.filter(|d| d.is_today(weekday, month_day, birthday)).map(|_| (r, bonus))
            })
            .collect();
    }
    Ok([boosts, due])
}

/// The campaign bonuses of a check-in whose ladder step pays `base` (before the early
/// bird's double): the best check-in boost and the best member-day bonus due today whose
/// budgets take them, each booked. Returns the points credited.
pub async fn on_checkin(tx: &mut Tx, rules: &Rules, at: At, member_id: i64, base: i64, early_bird: bool) -> Result<i64, CampaignError> {
    let [boosts, due] = checkin_offers(tx, rules, at, member_id, base, early_bird).await?;
    Ok(grant(tx, rules, at, member_id, boosts).await? + grant(tx, rules, at, member_id, due).await?)
}

/// What the campaigns would add to a check-in now whose ladder step pays `base`: of each
/// kind, the largest bonus whose budget still holds it (a preview for the calendar's
/// `today_reward`; nothing is taken, and a storm may still empty the budget first).
pub async fn checkin_preview(conn: &mut impl Access, rules: &Rules, at: At, member_id: i64, base: i64) -> Result<i64, CampaignError> {
    let offers = checkin_offers(conn, rules, at, member_id, base, false).await?;
    Ok(offers
        .iter()
        .map(|kind| kind.iter().filter(|(r, bonus)| *bonus > 0 && r.budget - r.spent >= *bonus).map(|(_, b)| *b).max().unwrap_or(0))
        .sum())
}

/// The campaign bonus of a purchase whose whole yuan × points per yuan is `base`, for a
/// member of `tier`: the best purchase boost whose budget takes it (`campaign::stack` on
/// the tiered reward), taken from the budget now; `(campaign id, bonus)`. The caller keeps
/// it with the purchase (it waits and is refunded with it) and books it when the purchase
/// settles.
pub async fn on_purchase(tx: &mut Tx, rules: &Rules, at: At, tier: Tier, base: i64) -> Result<Option<(i64, i64)>, CampaignError> {
    let multiplier = rules.perks_of(tier).multiplier;
    let mut boosts: Vec<(CampaignRow, i64)> = candidates(tx, Target::Purchase, tier, at)
        .await?
        .into_iter()
        .map(|r| {
            let bonus = campaign::stack(base, multiplier, false, Some(terms(&r).boost())).bonus;
            (r, bonus)
        })
        .collect();
    boosts.sort_by(|(a, x), (b, y)| y.cmp(x).then(a.id.cmp(&b.id)));
    for (row, bonus) in boosts {
        if bonus > 0 && db::campaigns::take_budget(tx, row.id, bonus, at.secs).await? {
            return Ok(Some((row.id, bonus)));
        }
    }
    Ok(None)
}

/// The best price campaign for `quantity` of item `item_id` (of `category`) at `price`
/// points each, for a member of `tier`, whose budget takes the whole discount:
/// `(campaign id, points off each unit)`, taken from the budget now (never given back).
pub async fn on_price(
    tx: &mut Tx,
    at: At,
    tier: Tier,
    item_id: i64,
    category: &str,
    price: i64,
    quantity: i64,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let mut offers: Vec<(CampaignRow, i64)> = candidates(tx, Target::Price, tier, at)
        .await?
        .into_iter()
        .filter(|r| r.item_id == Some(item_id) || r.category.as_deref() == Some(category))
        .map(|r| {
            let off = campaign::discount(price, terms(&r).boost());
            (r, off)
        })
        .collect();
    offers.sort_by(|(a, x), (b, y)| y.cmp(x).then(a.id.cmp(&b.id)));
    for (row, off) in offers {
        let Some(total) = off.checked_mul(quantity) else { continue };
        if off > 0 && db::campaigns::take_budget(tx, row.id, total, at.secs).await? {
            return Ok(Some((row.id, off)));
        }
    }
    Ok(None)
}

/// Shows each of `items` at the points the member (none: a visitor, as the lowest tier)
/// pays for one unit now: less the best running price campaign for it whose budget still
/// holds that unit's discount (the one `on_price` would take first), so the catalogue says
/// what a redemption charges. Reads the member's tier only while a price campaign runs.
pub async fn show_prices(
    conn: &mut impl Access,
    rules: &Rules,
    at: At,
    member_id: Option<i64>,
    items: &mut [ItemSummary],
) -> Result<(), CampaignError> {
    let running = db::campaigns::running(conn, Some(Target::Price), at.secs).await?;
    if running.is_empty() {
        return Ok(());
    }
    let tier = match member_id {
        Some(id) => members::tier(conn, rules, id).await?,
        None => Tier::Member,
    };
    let offers: Vec<CampaignRow> = running.into_iter().filter(|r| terms(r).audience.admits(tier)).collect();
    for item in items {
        let best = offers
            .iter()
            .filter(|r| r.item_id == Some(item.id) || r.category.as_deref() == Some(item.category.as_str()))
            .map(|r| (r, campaign::discount(item.points, terms(r).boost())))
            .filter(|(r, off)| *off > 0 && r.budget - r.spent >= *off)
            .map(|(_, off)| off)
            .max();
        item.points -= best.unwrap_or(0);
    }
    Ok(())
}

/// The reference a purchase's bonus is booked under: its campaign, by name.
pub async fn reference(conn: &mut impl Access, id: i64) -> Result<ledger::Reference, sqlx::Error> {
    Ok(match db::campaigns::get(conn, id).await? {
        Some(row) => ledger::Reference::labelled("campaign", id.to_string(), row.name_zh, row.name_en),
        None => ledger::Reference::to("campaign", id.to_string()),
    })
}
