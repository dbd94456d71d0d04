//! Flash sales (秒杀): today's slots, the atomic grab, the code wallet, merchant
//! verification and scheduling.
//!
//! A grab is decided by the database in one transaction: a conditional stock update, a
//! conditional per-member upsert, a balance-guarded debit and a code insert under a
//! primary key. The process-level load shedding in front of it (rate limit, sold-out
//! memory, admission gate) lives with the handler; it never decides.

use chrono::NaiveDate;
use chrono_tz::Tz;
use futures_util::FutureExt;
use mall_core::{
    code::{self, CodeError},
    dto::{EntryKind, I18nText},
    notice::CodeNotice,
    sales::{sale_state, CodeStatus, DailySlots, Grab, NewSale, Sale, SaleDay, SaleTerms, ScheduleError, Verified, WalletCode},
    staff::{AdminSale, AdminSales, MerchantRef, SaleEdit},
    Rules,
};

use super::{
    audit,
    ledger::{self, At, LedgerError},
    members::{self, MemberError},
    wallet,
};
use crate::{
    clock,
    db::{self, codes::Source, sales::SaleRow, Access, Pool, Tx},
};

use super::staff::Actor;

/// Who verifies codes: a merchant account (bound to its merchant) or a merchant token,
/// or an operator (account or token) for the codes the shop honours itself.
#[derive(Debug, Clone)]
pub struct Verifier {
    /// Who, for the audit log.
    pub actor: Actor,
    /// The merchant's name (recorded on the codes it verifies); [`SHOP`] for an operator.
    pub name: String,
    /// The partner merchant it stands for (an account's, or a token's by its slug): it
    /// verifies only that merchant's codes. `None`: an operator, who verifies only the
    /// codes of the shop's own vouchers (no merchant).
    pub merchant_id: Option<i64>,
}

/// The name a code verified by the shop itself records as its `used_by`.
pub const SHOP: &str = "商城";

/// A refused or failed sale step.
#[derive(Debug, thiserror::Error)]
pub enum SaleError {
    /// No sale with this id.
    #[error("no sale with id {0}")]
    NotFound(i64),
    /// The sale opens (for this member) at `at`; the server's clock says `now`.
    #[error("the sale opens at {at} (server time now {now})")]
    NotStarted {
        /// Opening, RFC 3339 in the shop's zone.
        at: String,
        /// The server's now, likewise.
        now: String,
    },
    /// The sale has ended.
    #[error("this sale has ended")]
    Ended,
    /// No code is left.
    #[error("all codes of this sale are gone")]
    SoldOut,
    /// The member holds the sale's limit of codes.
    #[error("each member may grab {0} of this sale")]
    LimitReached(i64),
    /// No unused code could be drawn.
    #[error("no free code could be generated; please retry")]
    CodeSpaceExhausted,
    /// The schedule is invalid.
    #[error("{}", .0.message())]
    Invalid(ScheduleError),
    /// An image that is not an image path (`catalog_admin::image_path_ok`).
    #[error("image must be an uploaded /media/… path or one of the app's /img/… images")]
    Image,
    /// A slot's wall-clock time does not exist that day (a DST gap).
    #[error("{0}")]
    NoSuchTime(String),
    /// The offer already has a sale overlapping the window.
    #[error("this offer already has a sale in that window")]
    Overlap,
    /// The window is already over.
    #[error("that window is already over on the server's clock")]
    WindowPassed,
    /// The typed code cannot be one (caught before any lookup).
    #[error("{}", typo(.0))]
    CodeInvalid(CodeError),
    /// No such code.
    #[error("no such code")]
    CodeNotFound,
    /// The code was used at `at` by `by`.
    #[error("already used at {at} by {by}")]
    CodeUsed {
        /// When, RFC 3339.
        at: String,
        /// Which merchant.
        by: String,
    },
    /// The code was voided.
    #[error("this code was voided")]
    CodeVoid,
    /// The code expired at this moment (RFC 3339).
    #[error("expired at {0}")]
    CodeExpired(String),
    /// The code is not valid yet.
    #[error("this code is not valid yet")]
    CodeNotYetValid,
    /// An operator cancelled the sale.
    #[error("this sale was cancelled")]
    Cancelled,
    /// The sale has started (or a code of it was grabbed): it can no longer be edited.
    #[error("this sale has started; it can no longer be edited")]
    Started,
    /// The code belongs to another merchant's sale.
    #[error("this code belongs to another merchant")]
    OtherMerchant,
    /// No partner merchant has this id.
    #[error("no merchant with id {0}")]
    UnknownMerchant(i64),
    /// The partner merchant is inactive.
    #[error("merchant {0} is inactive")]
    MerchantInactive(i64),
    /// The ledger refused or failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The member lookup failed.
    #[error(transparent)]
    Member(#[from] MemberError),
    /// The database failed.
    #[error("sale database error")]
    Db(#[from] sqlx::Error),
}

/// What is wrong with a mistyped code, for the merchant.
pub(crate) fn typo(e: &CodeError) -> &'static str {
    match e {
        CodeError::WrongLength => "a code has 12 characters",
        CodeError::BadCharacter => "a code uses only 2–9 and letters without I, L, O",
        CodeError::BadCheck => "the code has a typo (its check character does not match)",
    }
}

/// How many seconds before a sale's start `member_id` may grab (its tier's early access).
async fn early_access_secs(conn: &mut impl Access, rules: &Rules, member_id: i64) -> Result<i64, MemberError> {
    Ok(rules.perks_of(members::tier(conn, rules, member_id).await?).early_sale_minutes * 60)
}

/// How far ahead the members' list of sales looks: a sale starting at most this many
/// seconds from now is listed even when it starts on the next shop day, so a midnight
/// drop (零点秒杀) shows from 18:00 the evening before, with its countdown and reminder.
const LOOKAHEAD_SECS: i64 = 6 * 3600;

/// Today's sales (the local day) and those starting within `LOOKAHEAD_SECS` (from 18:00
/// these reach past midnight), with this member's standing, at `now_ms`.
pub async fn today(conn: &mut impl Access, rules: &Rules, zone: Tz, member_id: i64, now_ms: i64) -> Result<SaleDay, SaleError> {
    let now = now_ms.div_euclid(1000);
    let day = clock::local_day(zone, now);
    let from = clock::start_of_day(zone, clock::date_of_day(day));
    // `between` ends before `to`: a sale starting exactly `LOOKAHEAD_SECS` from now is in.
    let to = clock::start_of_day(zone, clock::date_of_day(day + 1)).max(now + LOOKAHEAD_SECS + 1);
    let rows = db::sales::between(conn, from, to).await?;
    let mine = db::sales::grabs_of(conn, member_id).await?;
    let reminded = db::sales::reminders_of(conn, member_id).await?;
    let early = early_access_secs(conn, rules, member_id).await?;
    let sales = rows
        .into_iter()
        .map(|row| {
            let opens_at = row.starts_at - early;
            Sale {
                id: row.id,
                state: sale_state(now_ms, opens_at * 1000, row.ends_at * 1000, row.remaining),
                mine: mine.iter().find(|g| g.sale_id == row.id).map(|g| g.grabbed).unwrap_or(0),
                reminded: reminded.contains(&row.id),
                offer: I18nText { zh: row.offer_zh, en: row.offer_en },
                merchant: I18nText { zh: row.merchant_zh, en: row.merchant_en },
                image: row.image,
                points: row.points,
                quantity: row.quantity,
                remaining: row.remaining,
                per_member_limit: row.per_member_limit,
                starts_at_ms: row.starts_at * 1000,
                opens_at_ms: opens_at * 1000,
                ends_at_ms: row.ends_at * 1000,
            }
        })
        .collect();
    Ok(SaleDay { server_now_ms: now_ms, sales })
}

/// The sale, if the member may grab it now: open (early for Gold and above) and not ended.
/// `remaining` is as last read: the grab's transaction decides.
pub async fn open_for(conn: &mut impl Access, rules: &Rules, at: At, member_id: i64, sale_id: i64) -> Result<SaleRow, SaleError> {
    let sale = db::sales::one(conn, sale_id).await?.ok_or(SaleError::NotFound(sale_id))?;
    if sale.cancelled_at.is_some() {
        return Err(SaleError::Cancelled);
    }
    if sale.merchant_deactivated_at.is_some() {
        return Err(SaleError::MerchantInactive(sale.merchant_id.unwrap_or_default()));
    }
    // Early access only moves the opening earlier: once the sale has started, no need to ask.
    let opens_at =
        if at.secs >= sale.starts_at { sale.starts_at } else { sale.starts_at - early_access_secs(conn, rules, member_id).await? };
    if at.secs < opens_at {
        return Err(SaleError::NotStarted { at: clock::rfc3339(at.zone, opens_at), now: clock::rfc3339(at.zone, at.secs) });
    }
    if at.secs >= sale.ends_at {
        return Err(SaleError::Ended);
    }
    Ok(sale)
}

/// Grabs a code of `sale` for the member inside `tx`: stock left, under the member's
/// limit, enough points — or a refusal that rolls it all back.
pub async fn grab(tx: &mut Tx, at: At, member_id: i64, sale: SaleRow, code_space: Option<u32>) -> Result<Grab, SaleError> {
    // The member's row first (locked, with its standing), the sale's row last: every
    // grab of the sale waits on that one row, for as few statements as can be.
    let standing = db::members::lock_standing(tx, member_id, at.secs).await?.ok_or(MemberError::NotFound(member_id))?;
    if let Some(reason) = standing.frozen_reason {
        return Err(MemberError::Frozen(reason).into());
    }
    if standing.due {
        ledger::record_due(tx, member_id, at).await?;
    }
    if !db::sales::count_grab(tx, sale.id, member_id, sale.per_member_limit).await? {
        return Err(SaleError::LimitReached(sale.per_member_limit));
    }
    let reference = ledger::Reference::labelled("code", "", sale.offer_zh.clone(), sale.offer_en.clone());
    let debit = ledger::take(tx, member_id, EntryKind::FlashSale, sale.points, at, Some(&reference)).await?;
    let valid_until = sale.ends_at + sale.code_valid_days * 86_400;
    let issue = wallet::Issue {
        member_id,
        source: Source::Sale(sale.id),
        merchant_id: sale.merchant_id,
        valid_from: at.secs,
        valid_until,
        history_id: debit.history_id,
    };
    let code = wallet::issue(tx, &issue, code_space).await?.ok_or(SaleError::CodeSpaceExhausted)?;
    db::history::set_ref_id(tx, debit.history_id, &code).await?;
    if !db::sales::take_unit(tx, sale.id, at.secs).await? {
        return Err(SaleError::SoldOut);
    }
    Ok(Grab {
        code: WalletCode {
            code: code::display(&code),
            status: CodeStatus::Issued,
            offer: I18nText { zh: sale.offer_zh, en: sale.offer_en },
            merchant: I18nText { zh: sale.merchant_zh, en: sale.merchant_en },
            sale_id: Some(sale.id),
            valid_from: clock::rfc3339(at.zone, at.secs),
            valid_until: clock::rfc3339(at.zone, valid_until),
            used_at: None,
            void_reason: None,
        },
        points: sale.points,
        balance: debit.balance_after,
    })
}

/// Turns the member's reminder of a sale on or off.
pub async fn remind(writer: &Pool, reader: &Pool, member_id: i64, sale_id: i64, on: bool) -> Result<(), SaleError> {
    if !db::sales::exists(&mut reader.acquire().await?, sale_id).await? {
        return Err(SaleError::NotFound(sale_id));
    }
    Ok(db::sales::set_reminder(writer, sale_id, member_id, on).await?)
}

/// A merchant uses a code, once, and the audit log records it. The check character is
/// validated before any lookup; a merchant account uses only the codes it honours (its
/// sales' and its vouchers'), an operator only the codes the shop honours itself (its
/// vouchers without a merchant): another's is `OtherMerchant` and nothing changes; a
/// second attempt says when and by whom it was used.
pub async fn verify(writer: &Pool, reader: &Pool, at: At, merchant: &Verifier, typed: &str) -> Result<Verified, SaleError> {
    let canon = code::parse(typed).map_err(SaleError::CodeInvalid)?;
    let (actor, name, merchant_id) = (merchant.actor.clone(), merchant.name.clone(), merchant.merchant_id);
    let code = canon.clone();
    let used = db::transaction(writer, move |tx| {
        async move {
            let Some(member_id) = db::codes::mark_used(tx, &code, &name, merchant_id, at.secs).await? else { return Ok(false) };
            let act = audit::Act { actor: &actor, action: "code.verify", target_kind: "code", at: at.secs };
            audit::record(tx, act, &code, Some(&"issued"), Some(&"used")).await?;
            let notice = CodeNotice { code: code::display(&code), used_by: name.clone() };
            let data = serde_json::to_string(&notice).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
            db::events::record(tx, member_id, "code", &data, at.secs).await?;
            let verified = mall_core::webhook::CodeVerified { code: notice.code, used_by: notice.used_by };
            super::outbox::record(tx, member_id, mall_core::webhook::EventType::CodeVerified, &verified, at.secs).await?;
            Ok::<_, sqlx::Error>(true)
        }
        .boxed()
    })
    .await?;
    let row = db::codes::one(&mut reader.acquire().await?, &canon).await?.ok_or(SaleError::CodeNotFound)?;
    if used {
        return Ok(Verified {
            code: code::display(&canon),
            offer: I18nText { zh: row.offer_zh, en: row.offer_en },
            used_at: clock::rfc3339(at.zone, at.secs),
            used_by: merchant.name.clone(),
        });
    }
    if row.merchant_id != merchant.merchant_id {
        return Err(SaleError::OtherMerchant);
    }
    Err(match row.status {
        CodeStatus::Used => SaleError::CodeUsed {
            at: row.used_at.map(|t| clock::rfc3339(at.zone, t)).unwrap_or_default(),
            by: row.used_by.unwrap_or_default(),
        },
        CodeStatus::Void => SaleError::CodeVoid,
        _ if row.valid_until <= at.secs => SaleError::CodeExpired(clock::rfc3339(at.zone, row.valid_until)),
        _ => SaleError::CodeNotYetValid,
    })
}

/// The sales of a daily schedule: the offer in each slot of the shop day, validated.
pub fn daily(req: &DailySlots, zone: Tz) -> Result<Vec<NewSale>, SaleError> {
    let starts = req.validate().map_err(SaleError::Invalid)?;
    let day = clock::shop_day(&req.day).ok_or(SaleError::Invalid(ScheduleError::Day))?;
    starts
        .into_iter()
        .map(|minutes| {
            let starts_at = clock::local_instant(zone, day, minutes).ok_or_else(|| {
                SaleError::NoSuchTime(format!("{:02}:{:02} does not exist on {day} in {zone}", minutes / 60, minutes % 60))
            })?;
            Ok(NewSale { terms: req.terms.clone(), starts_at, ends_at: starts_at + req.minutes * 60 })
        })
        .collect()
}

/// Schedules sales (validated) inside `tx`, all or nothing: refused if one's window is
/// over or overlaps another sale of its offer. Writers are serialised, so the check and
/// the insert are one step.
pub async fn schedule(tx: &mut Tx, actor: &Actor, sales: &[NewSale], now: i64) -> Result<Vec<i64>, SaleError> {
    let mut ids = Vec::with_capacity(sales.len());
    for sale in sales {
        sale.validate().map_err(SaleError::Invalid)?;
        if !mall_core::catalog_admin::image_path_ok(&sale.terms.image) {
            return Err(SaleError::Image);
        }
        if sale.ends_at <= now {
            return Err(SaleError::WindowPassed);
        }
        let merchant_id = sale.terms.merchant_id;
        let merchant = db::merchants::one(tx, merchant_id).await?.ok_or(SaleError::UnknownMerchant(merchant_id))?;
        if merchant.deactivated_at.is_some() {
            return Err(SaleError::MerchantInactive(merchant_id));
        }
        if db::sales::overlapping(tx, &sale.terms.offer_key, sale.starts_at, sale.ends_at, 0).await? > 0 {
            return Err(SaleError::Overlap);
        }
        let id = db::sales::insert(tx, sale, &merchant, now).await?.ok_or(SaleError::Overlap)?;
        let act = audit::Act { actor, action: "sale.schedule", target_kind: "sale", at: now };
        audit::record(tx, act, &id.to_string(), None::<&()>, Some(sale)).await?;
        ids.push(id);
    }
    Ok(ids)
}

/// A sale as the operator's list shows it.
fn staff_sale(zone: Tz, row: db::sales::StaffSaleRow) -> AdminSale {
    let s = row.sale;
    AdminSale {
        id: s.id,
        offer_key: row.offer_key,
        offer: I18nText { zh: s.offer_zh, en: s.offer_en },
        merchant: MerchantRef { id: s.merchant_id.unwrap_or_default(), name: I18nText { zh: s.merchant_zh, en: s.merchant_en } },
        image: s.image,
        points: s.points,
        quantity: s.quantity,
        sold: s.quantity - s.remaining,
        verified: row.verified,
        per_member_limit: s.per_member_limit,
        starts_at: clock::rfc3339(zone, s.starts_at),
        ends_at: clock::rfc3339(zone, s.ends_at),
        cancelled_at: s.cancelled_at.map(|t| clock::rfc3339(zone, t)),
    }
}

/// The sales starting on shop days `from..=to`, cancelled ones too, with sold and
/// verified counts.
pub async fn staff_list(conn: &mut impl Access, zone: Tz, from: NaiveDate, to: NaiveDate) -> Result<AdminSales, SaleError> {
    let (start, end) = (clock::start_of_day(zone, from), clock::start_of_day(zone, clock::next_day(to)));
    let rows = db::sales::starting_between(conn, start, end).await?;
    Ok(AdminSales { sales: rows.into_iter().map(|r| staff_sale(zone, r)).collect() })
}

/// Changes a sale before it starts (and before any code of it is grabbed), audited.
pub async fn edit(tx: &mut Tx, actor: &Actor, at: At, id: i64, change: &SaleEdit) -> Result<AdminSale, SaleError> {
    let before = db::sales::staff_one(tx, id).await?.ok_or(SaleError::NotFound(id))?;
    let s = &before.sale;
    if s.cancelled_at.is_some() {
        return Err(SaleError::Cancelled);
    }
    if s.starts_at <= at.secs || s.remaining != s.quantity {
        return Err(SaleError::Started);
    }
    let offer = change.offer.clone().unwrap_or(I18nText { zh: s.offer_zh.clone(), en: s.offer_en.clone() });
    let terms = SaleTerms {
        offer_key: before.offer_key.clone(),
        offer,
        merchant_id: s.merchant_id.unwrap_or_default(),
        image: s.image.clone(),
        points: change.points.unwrap_or(s.points),
        quantity: change.quantity.unwrap_or(s.quantity),
        per_member_limit: Some(change.per_member_limit.unwrap_or(s.per_member_limit)),
        code_valid_days: Some(s.code_valid_days),
    };
    let new = NewSale { terms, starts_at: change.starts_at.unwrap_or(s.starts_at), ends_at: change.ends_at.unwrap_or(s.ends_at) };
    new.validate().map_err(SaleError::Invalid)?;
    if new.starts_at <= at.secs {
        return Err(SaleError::WindowPassed);
    }
    if db::sales::overlapping(tx, &before.offer_key, new.starts_at, new.ends_at, id).await? > 0 {
        return Err(SaleError::Overlap);
    }
    let t = &new.terms;
    let terms = db::sales::Terms {
        offer_zh: &t.offer.zh,
        offer_en: &t.offer.en,
        points: t.points,
        quantity: t.quantity,
        per_member_limit: t.per_member_limit.unwrap_or(1),
        starts_at: new.starts_at,
        ends_at: new.ends_at,
    };
    match db::sales::edit(tx, id, &terms, at.secs).await? {
        None => return Err(SaleError::Overlap),
        Some(false) => return Err(SaleError::Started),
        Some(true) => {}
    }
    let before = staff_sale(at.zone, before);
    let after = staff_sale(at.zone, db::sales::staff_one(tx, id).await?.ok_or(SaleError::NotFound(id))?);
    let act = audit::Act { actor, action: "sale.edit", target_kind: "sale", at: at.secs };
    audit::record(tx, act, &id.to_string(), Some(&before), Some(&after)).await?;
    Ok(after)
}

/// Cancels a sale that has not ended: no further grabs; codes already issued stay valid.
pub async fn cancel(tx: &mut Tx, actor: &Actor, at: At, id: i64) -> Result<AdminSale, SaleError> {
    let before = staff_sale(at.zone, db::sales::staff_one(tx, id).await?.ok_or(SaleError::NotFound(id))?);
    if before.cancelled_at.is_some() {
        return Err(SaleError::Cancelled);
    }
    if !db::sales::cancel(tx, id, at.secs).await? {
        return Err(SaleError::Ended);
    }
    let after = staff_sale(at.zone, db::sales::staff_one(tx, id).await?.ok_or(SaleError::NotFound(id))?);
    let act = audit::Act { actor, action: "sale.cancel", target_kind: "sale", at: at.secs };
    audit::record(tx, act, &id.to_string(), Some(&before), Some(&after)).await?;
    Ok(after)
}

/// The newest codes a merchant honours (at most 200), of `status` at `now` or all; the
/// unused ones masked (`masked_unless_used`).
pub async fn merchant_codes(
    conn: &mut impl Access,
    zone: Tz,
    merchant_id: i64,
    status: Option<CodeStatus>,
    now: i64,
) -> Result<Vec<WalletCode>, sqlx::Error> {
    let rows = db::codes::of_merchant(conn, merchant_id, status, now, 200).await?;
    Ok(rows.into_iter().map(|r| wallet::wallet_code(zone, now, r)).map(masked_unless_used).collect())
}

/// A code as its merchant may see it: in full once it verified it, else only its last
/// group (an unused code is the member's bearer secret).
fn masked_unless_used(mut c: WalletCode) -> WalletCode {
    if c.status != CodeStatus::Used {
        c.code = code::mask(&c.code);
    }
    c
}

/// Codes the merchant verified per shop day of `from..=to`, each worth the settlement
/// value it was issued with.
pub async fn settlement_days(
    conn: &mut impl Access,
    zone: Tz,
    merchant_id: i64,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<Vec<mall_core::staff::SettlementDay>, sqlx::Error> {
    let (start, end) = (clock::start_of_day(zone, from), clock::start_of_day(zone, clock::next_day(to)));
    let used = db::codes::used_in(conn, merchant_id, start, end).await?;
    let mut days = Vec::new();
    let mut day = from;
    while day <= to {
        let (a, b) = (clock::start_of_day(zone, day), clock::start_of_day(zone, clock::next_day(day)));
        let that_day = used.iter().filter(|u| (a..b).contains(&u.used_at));
        let (verified, fen) = that_day.fold((0i64, 0i64), |(n, fen), u| (n + 1, fen.saturating_add(u.settle_fen)));
        days.push(mall_core::staff::SettlementDay {
            day: day.format("%Y-%m-%d").to_string(),
            verified,
            amount: mall_core::cash::Cash::from_fen(fen),
        });
        day = clock::next_day(day);
    }
    Ok(days)
}
