//! Lottery (积分抽奖): the running lottery with its odds and stock, and the draw, in one
//! transaction: the day's draw counted (capped), the cost taken, the prize's stock taken
//! conditionally (a prize out of stock is no prize), the prize given: points credited, an
//! item ordered (no points, shipped to the default address) or a voucher's wallet code
//! issued. An item prize is goods of the catalogue: winning it takes one from the item's
//! stock as well as from the prize's count (its cap), both conditional, both or neither;
//! and it ships, so a lottery with an item prize refuses the draw of a member without an
//! address, before anything is counted or taken. The roll comes
//! from the caller (the OS's CSPRNG in production); `mall_core::lottery::draw` decides.

use mall_core::{
    catalog::ItemKind,
    code,
    dto::{EntryKind, I18nText, OrderStatus, ShipTo},
    lottery::{self, AdminLotteries, AdminLottery, AdminPrize, DrawResult, Lottery, NewLottery, NewPrize, Outcome, Prize, PrizeKind},
};

use super::{
    audit,
    ledger::{self, At, LedgerError},
    members::{self, MemberError},
    orders::{self, OrderError},
    staff::Actor,
};
use crate::{
    clock,
    db::{
        self,
        codes::Source,
        lottery::{LotteryRow, PrizeRow},
        Access, Tx,
    },
};

/// A refused or failed lottery step.
#[derive(Debug, thiserror::Error)]
pub enum LotteryError {
    /// The request breaks a rule (the reason).
    #[error("{0}")]
    Invalid(String),
    /// No such lottery, or it is closed.
    #[error("no running lottery {0}")]
    NotFound(i64),
    /// No draws left today.
    #[error("no draws left today ({0} a day)")]
    LimitReached(i64),
    /// The lottery has an item prize, which ships, and the member has no address.
    #[error("this lottery can win an item that ships: add an address first")]
    AddressRequired,
    /// The member is unknown or frozen.
    #[error(transparent)]
    Member(#[from] MemberError),
    /// The balance does not cover the draw.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// Giving an item or coupon prize failed.
    #[error(transparent)]
    Order(#[from] OrderError),
    /// The database failed.
    #[error("lottery database error")]
    Db(#[from] sqlx::Error),
}

fn prize(row: &PrizeRow) -> Prize {
    Prize {
        id: row.id,
        name: I18nText { zh: row.name_zh.clone(), en: row.name_en.clone() },
        kind: row.kind,
        points: row.points,
        item_id: row.item_id,
        image: row.image.clone(),
        probability_bp: row.probability_bp,
        stock_left: row.stock,
    }
}

/// The counter of a member's draws of a local day.
fn day_scope(lottery_id: i64, day: i64) -> String {
    format!("lottery:{lottery_id}:day:{day}")
}

async fn view(conn: &mut impl Access, at: At, member_id: i64, row: LotteryRow) -> Result<Lottery, sqlx::Error> {
    let prizes: Vec<Prize> = db::lottery::prizes(conn, row.id).await?.iter().map(prize).collect();
    let drawn = db::counters::read(conn, &day_scope(row.id, crate::clock::local_day(at.zone, at.secs)), member_id).await?;
    let in_stock: i64 = prizes.iter().filter(|p| p.stock_left > 0).map(|p| p.probability_bp).sum();
    Ok(Lottery {
        id: row.id,
        name: I18nText { zh: row.name_zh, en: row.name_en },
        cost_points: row.cost_points,
        draws_left_today: (row.draws_per_day - drawn).max(0),
        draws_per_day: row.draws_per_day,
        prizes,
        no_prize_bp: i64::from(lottery::ODDS_SCALE) - in_stock,
    })
}

/// The running lottery as the member sees it (draws left today, odds, stock).
pub async fn current(conn: &mut impl Access, at: At, member_id: i64) -> Result<Option<Lottery>, sqlx::Error> {
    match db::lottery::current(conn).await? {
        Some(row) => Ok(Some(view(conn, at, member_id, row).await?)),
        None => Ok(None),
    }
}

/// One draw of lottery `id` with `roll` (uniform in `0..ODDS_SCALE`).
pub async fn draw(tx: &mut Tx, rules: &mall_core::Rules, at: At, member_id: i64, id: i64, roll: u32) -> Result<DrawResult, LotteryError> {
    let lottery = db::lottery::get(tx, id).await?.filter(|l| l.closed_at.is_none()).ok_or(LotteryError::NotFound(id))?;
    members::ensure_not_frozen(tx, member_id).await?;
    let prizes = db::lottery::prizes(tx, id).await?;
    let ship_to = match prizes.iter().any(|p| p.kind == PrizeKind::Item) {
        true => Some(default_address(tx, member_id).await?.ok_or(LotteryError::AddressRequired)?),
        false => None,
    };
    let day = crate::clock::local_day(at.zone, at.secs);
    let day_ends = Some(crate::clock::day_counter_expiry(day));
    let Some(drawn) = db::counters::bump_until(tx, &day_scope(id, day), member_id, 1, Some(lottery.draws_per_day), day_ends).await? else {
        return Err(LotteryError::LimitReached(lottery.draws_per_day));
    };
    let reference = ledger::Reference::labelled("lottery", id.to_string(), lottery.name_zh.clone(), lottery.name_en.clone());
    let cost = ledger::debit(tx, member_id, EntryKind::LotteryDraw, lottery.cost_points, at, Some(&reference)).await?;
    let odds: Vec<(i64, bool)> = prizes.iter().map(|p| (p.probability_bp, p.stock > 0)).collect();
    let (won, out_of_stock) = match lottery::draw(&odds, roll) {
        Outcome::Prize(i) if take_prize(tx, &prizes[i]).await? => (Some(&prizes[i]), false),
        Outcome::Prize(_) | Outcome::OutOfStock(_) => (None, true),
        Outcome::NoPrize => (None, false),
    };
    let draw_id = db::lottery::insert_draw(tx, id, member_id, won.map(|p| p.id), cost.history_id, at.secs).await?;
    let (mut balance, mut order_id, mut code) = (cost.balance_after, None, None);
    if let Some(p) = won {
        match (p.kind, p.points, p.item_id) {
            (PrizeKind::Points, Some(points), _) => {
                let reference = ledger::Reference::labelled("lottery", id.to_string(), p.name_zh.clone(), p.name_en.clone());
                let earning = ledger::Earning { kind: EntryKind::LotteryPrize, points, growth: 0 };
                balance = ledger::earn(tx, rules, member_id, earning, at, Some(&reference)).await?;
            }
            (PrizeKind::Item, _, Some(item_id)) => {
                let ship_to = ship_to.as_ref().ok_or(LotteryError::AddressRequired)?;
                order_id = Some(order_prize(tx, at, member_id, item_id, ship_to, draw_id, &cost).await?);
            }
            (PrizeKind::Coupon, _, Some(item_id)) => {
                let item = db::items::one(tx, item_id).await?.ok_or(OrderError::ItemNotFound(item_id))?;
                let source = Source::Draw { item_id, draw_id };
                let issued = orders::issue_vouchers(tx, rules, at, member_id, &item, source, 1, cost.history_id, None).await?;
                code = Some(code::display(&issued));
            }
            _ => return Err(LotteryError::Db(sqlx::Error::Decode(format!("prize {} is stored without what it gives", p.id).into()))),
        }
    }
    Ok(DrawResult {
        prize: won.map(|p| Prize { stock_left: p.stock - 1, ..prize(p) }),
        out_of_stock,
        balance,
        draws_left_today: lottery.draws_per_day - drawn,
        order_id,
        code,
    })
}

/// Takes one of a won prize: from its count, and for an item prize from the item's
/// catalogue stock too, both conditional; neither when either has none left (a savepoint
/// undoes the first).
async fn take_prize(tx: &mut Tx, p: &PrizeRow) -> Result<bool, sqlx::Error> {
    db::savepoint(tx, "prize").await?;
    let taken = db::lottery::take_prize(tx, p.id).await?
        && match (p.kind, p.item_id) {
            (PrizeKind::Item, Some(item_id)) => db::items::take_stock(tx, item_id, 1, None).await?,
            _ => true,
        };
    if !taken {
        db::rollback_to(tx, "prize").await?;
    }
    Ok(taken)
}

/// The member's default address, where an item prize ships.
async fn default_address(tx: &mut Tx, member_id: i64) -> Result<Option<ShipTo>, sqlx::Error> {
    Ok(db::addresses::of_member(tx, member_id).await?.into_iter().find(|a| a.is_default == 1).map(|a| ShipTo {
        name: a.name,
        phone: a.phone,
        region: a.region,
        detail: a.detail,
    }))
}

/// An item prize: an order of one, of no points, tied to the draw and shipped to the
/// member's default address (the draw required one).
async fn order_prize(
    tx: &mut Tx,
    at: At,
    member_id: i64,
    item_id: i64,
    ship_to: &ShipTo,
    draw_id: i64,
    cost: &ledger::Debit,
) -> Result<i64, LotteryError> {
    let item = db::items::one(tx, item_id).await?.ok_or(OrderError::ItemNotFound(item_id))?;
    let ship_to_json = serde_json::to_string(ship_to).ok();
    let new = db::orders::NewOrder {
        member_id,
        item_id: item.id,
        quantity: 1,
        points: 0,
        cash_fen: None,
        status: OrderStatus::Pending,
        history_id: cost.history_id,
        balance_after: cost.balance_after,
        created_at: at.secs,
        ship_to_json: ship_to_json.as_deref(),
        draw_id: Some(draw_id),
        pay_by: None,
        payment_id: None,
        campaign_id: None,
        campaign_discount: 0,
    };
    Ok(db::orders::insert(tx, &new).await?)
}

/// Checks what an item or coupon prize gives (`lottery::check_lottery` checked its
/// shape): a physical item for an item prize, a voucher (a virtual item) for a coupon
/// prize, one that members may redeem.
async fn check_prize(tx: &mut Tx, p: &NewPrize) -> Result<bool, sqlx::Error> {
    let want = match (p.kind, p.item_id) {
        (PrizeKind::Item, Some(id)) => (id, ItemKind::Physical),
        (PrizeKind::Coupon, Some(id)) => (id, ItemKind::Virtual),
        _ => return Ok(true),
    };
    Ok(db::items::one(tx, want.0).await?.is_some_and(|i| i.kind == want.1))
}

/// Opens a lottery (audited); it replaces the running one.
pub async fn create(tx: &mut Tx, actor: &Actor, new: &NewLottery, at: At) -> Result<Lottery, LotteryError> {
    lottery::check_lottery(new).map_err(|e| LotteryError::Invalid(e.message().into()))?;
    for p in &new.prizes {
        if !check_prize(tx, p).await? {
            return Err(LotteryError::Invalid(format!(
                "prize {}: an item prize gives a physical item, a coupon prize a virtual one (a voucher), of the catalogue",
                p.name.en.trim()
            )));
        }
    }
    let row = db::lottery::NewLottery {
        name_zh: new.name.zh.trim(),
        name_en: new.name.en.trim(),
        cost_points: new.cost_points,
        draws_per_day: new.draws_per_day,
    };
    let id = db::lottery::insert(tx, &row, at.secs).await?;
    for (position, p) in new.prizes.iter().enumerate() {
        let prize = PrizeRow {
            id: 0,
            name_zh: p.name.zh.trim().to_string(),
            name_en: p.name.en.trim().to_string(),
            kind: p.kind,
            points: p.points,
            item_id: p.item_id,
            image: None,
            probability_bp: p.probability_bp,
            stock: p.stock,
        };
        db::lottery::insert_prize(tx, id, position as i64, &prize).await?;
    }
    db::lottery::close_others(tx, id, at.secs).await?;
    let act = audit::Act { actor, action: "lottery.create", target_kind: "lottery", at: at.secs };
    audit::record(tx, act, &id.to_string(), None::<&()>, Some(new)).await?;
    let row = db::lottery::get(tx, id).await?.ok_or(LotteryError::NotFound(id))?;
    Ok(view(tx, at, 0, row).await?)
}

/// Closes a lottery (audited): no more draws.
pub async fn close(tx: &mut Tx, actor: &Actor, id: i64, now: i64) -> Result<(), LotteryError> {
    if !db::lottery::close(tx, id, now).await? {
        return Err(LotteryError::NotFound(id));
    }
    let act = audit::Act { actor, action: "lottery.close", target_kind: "lottery", at: now };
    audit::record(tx, act, &id.to_string(), Some(&"open"), Some(&"closed")).await?;
    Ok(())
}

/// Every lottery, newest first: its terms, whether it is open, its draws and the points
/// they took, and each prize with its stock left and how many draws won it.
pub async fn staff_list(conn: &mut impl Access, zone: chrono_tz::Tz) -> Result<AdminLotteries, sqlx::Error> {
    let mut prizes: std::collections::HashMap<i64, Vec<AdminPrize>> = std::collections::HashMap::new();
    for p in db::lottery::staff_prizes(conn).await? {
        prizes.entry(p.lottery_id).or_default().push(AdminPrize {
            id: p.prize.id,
            name: I18nText { zh: p.prize.name_zh, en: p.prize.name_en },
            kind: p.prize.kind,
            points: p.prize.points,
            item_id: p.prize.item_id,
            probability_bp: p.prize.probability_bp,
            stock: p.prize.stock,
            won: p.won,
        });
    }
    let lotteries = db::lottery::staff_all(conn)
        .await?
        .into_iter()
        .map(|l| AdminLottery {
            id: l.id,
            name: I18nText { zh: l.name_zh, en: l.name_en },
            cost_points: l.cost_points,
            draws_per_day: l.draws_per_day,
            open: l.closed_at.is_none(),
            created_at: clock::rfc3339(zone, l.created_at),
            closed_at: l.closed_at.map(|t| clock::rfc3339(zone, t)),
            draws: l.draws,
            points_spent: l.points_spent,
            prizes: prizes.remove(&l.id).unwrap_or_default(),
        })
        .collect();
    Ok(AdminLotteries { lotteries })
}
