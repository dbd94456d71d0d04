//! Lottery (积分抽奖): the running lottery with its odds and stock, and the draw, in one
//! transaction: the day's draw counted (capped), the cost taken, the prize's stock taken
//! conditionally (a prize out of stock is no prize), the prize credited. The roll comes
//! from the caller (the OS's CSPRNG in production); `mall_core::lottery::draw` decides.

use mall_core::{
    dto::{EntryKind, I18nText},
    lottery::{self, DrawResult, Lottery, NewLottery, Outcome, Prize},
};

use super::{
    audit,
    ledger::{self, At, LedgerError},
    members::{self, MemberError},
    staff::Actor,
};
use crate::db::{
    self,
    lottery::{LotteryRow, PrizeRow},
    Access, Tx,
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
    /// The member is unknown or frozen.
    #[error(transparent)]
    Member(#[from] MemberError),
    /// The balance does not cover the draw.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
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
    let day = crate::clock::local_day(at.zone, at.secs);
    let Some(drawn) = db::counters::bump(tx, &day_scope(id, day), member_id, 1, Some(lottery.draws_per_day)).await? else {
        return Err(LotteryError::LimitReached(lottery.draws_per_day));
    };
    let reference = ledger::Reference::labelled("lottery", id.to_string(), lottery.name_zh.clone(), lottery.name_en.clone());
    let cost = ledger::debit(tx, member_id, EntryKind::LotteryDraw, lottery.cost_points, at, Some(&reference)).await?;
    let prizes = db::lottery::prizes(tx, id).await?;
    let odds: Vec<(i64, bool)> = prizes.iter().map(|p| (p.probability_bp, p.stock > 0)).collect();
    let (won, out_of_stock) = match lottery::draw(&odds, roll) {
        Outcome::Prize(i) if db::lottery::take_prize(tx, prizes[i].id).await? => (Some(&prizes[i]), false),
        Outcome::Prize(_) | Outcome::OutOfStock(_) => (None, true),
        Outcome::NoPrize => (None, false),
    };
    let mut balance = cost.balance_after;
    if let Some(p) = won {
        let reference = ledger::Reference::labelled("lottery", id.to_string(), p.name_zh.clone(), p.name_en.clone());
        let earning = ledger::Earning { kind: EntryKind::LotteryPrize, points: p.points, growth: 0 };
        balance = ledger::earn(tx, rules, member_id, earning, at, Some(&reference)).await?;
    }
    db::lottery::insert_draw(tx, id, member_id, won.map(|p| p.id), cost.history_id, at.secs).await?;
    Ok(DrawResult {
        prize: won.map(|p| Prize { stock_left: p.stock - 1, ..prize(p) }),
        out_of_stock,
        balance,
        draws_left_today: lottery.draws_per_day - drawn,
    })
}

/// Opens a lottery (audited); it replaces the running one.
pub async fn create(tx: &mut Tx, actor: &Actor, new: &NewLottery, at: At) -> Result<Lottery, LotteryError> {
    let named = |t: &I18nText| (1..=40).contains(&t.zh.trim().chars().count()) && (1..=40).contains(&t.en.trim().chars().count());
    let odds: Vec<i64> = new.prizes.iter().map(|p| p.probability_bp).collect();
    if !named(&new.name)
        || new.cost_points <= 0
        || new.draws_per_day <= 0
        || !(1..=12).contains(&new.prizes.len())
        || new.prizes.iter().any(|p| !named(&p.name) || p.points <= 0 || p.stock < 0)
        || lottery::check_odds(&odds).is_err()
    {
        return Err(LotteryError::Invalid(
            "names 1–40 characters in both languages, a positive cost and daily draws, 1–12 prizes of positive points and stock ≥ 0, \
             odds each positive and together at most 10,000 bp"
                .into(),
        ));
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
