//! Flash sales (秒杀): today's slots, the atomic grab, reminders, the code wallet,
//! merchant verification and operator scheduling.
//!
//! A grab is decided by the database in one transaction: a conditional stock update, a
//! conditional per-member upsert, a balance-guarded debit and a code insert under a
//! primary key. Once a sale is known sold out, grabs are refused from memory.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
    Router,
};
use futures_util::FutureExt;
use mall_core::{
    code,
    dto::{EntryKind, I18nText},
    sales::{
        sale_state, CodeStatus, DailySlots, Grab, NewSale, Remind, Sale, SaleDay, ScheduleError, Scheduled, Verified, VerifyRequest,
        WalletCode,
    },
    ErrorCode, ErrorDetails,
};
use rand::{rngs::OsRng, Rng};

use crate::{
    clock,
    db::{self, codes::CodeRow, Conn},
    error::AppError,
    extract::{AppJson, AppPath},
    idempotency, ledger, members,
    operator::{Merchant, Operator},
    session::CurrentMember,
    startup::AppState,
    AppResult,
};

/// Sale routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sales", get(today))
        .route("/sales/{id}/grab", post(grab))
        .route("/sales/{id}/remind", post(remind))
        .route("/codes", get(wallet))
        .route("/merchant/verify", post(verify))
        .route("/admin/sales", post(schedule))
        .route("/admin/sales/daily", post(schedule_daily))
}

/// Tries per grab to find an unused code before giving up.
const CODE_ATTEMPTS: usize = 8;

/// A new code from the OS CSPRNG, each character uniform over the alphabet (tests may
/// shrink the space to force collisions).
fn new_code(space: Option<u32>) -> String {
    let mut random = [0u8; code::RANDOM_LEN];
    let alphabet = code::ALPHABET.len() as u8;
    match space {
        None => random.iter_mut().for_each(|b| *b = OsRng.gen_range(0..alphabet)),
        Some(n) => random[0] = OsRng.gen_range(0..n.clamp(1, alphabet as u32)) as u8,
    }
    code::from_random(random)
}

/// How many seconds before a sale's start `member_id` may grab (its tier's early access).
async fn early_access_secs(conn: &mut Conn, state: &AppState, member_id: i64) -> AppResult<i64> {
    let rules = &state.config.rules;
    Ok(rules.perks_of(members::tier(conn, rules, member_id).await?).early_sale_minutes * 60)
}

/// Today's sales (the local day), with this member's standing.
#[utoipa::path(get, path = "/api/sales", tag = "flash sales",
    responses((status = 200, body = SaleDay), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn today(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<SaleDay>> {
    let now = state.clock.now();
    let zone = state.config.zone;
    let day = clock::local_day(zone, now.timestamp());
    let from = clock::start_of_day(zone, clock::date_of_day(day));
    let to = clock::start_of_day(zone, clock::date_of_day(day + 1));
    let mut conn = state.pool.acquire().await?;
    let rows = db::sales::between(&mut conn, from, to).await?;
    let mine = db::sales::grabs_of(&mut conn, member.id).await?;
    let reminded = db::sales::reminders_of(&mut conn, member.id).await?;
    let early = early_access_secs(&mut conn, &state, member.id).await?;
    let now_ms = now.timestamp_millis();
    let mut sales = Vec::with_capacity(rows.len());
    for row in rows {
        let opens_at = row.starts_at - early;
        sales.push(Sale {
            id: row.id,
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
            state: sale_state(now_ms, opens_at * 1000, row.ends_at * 1000, row.remaining),
            mine: mine.iter().find(|g| g.sale_id == row.id).map(|g| g.grabbed).unwrap_or(0),
            reminded: reminded.contains(&row.id),
        });
    }
    Ok(AppJson(SaleDay { server_now_ms: now_ms, sales }))
}

fn sale_not_found(id: i64) -> AppError {
    AppError::new(ErrorCode::SaleNotFound, format!("no sale with id {id}"))
}

fn sold_out() -> AppError {
    AppError::new(ErrorCode::SoldOut, "all codes of this sale are gone")
}

/// Grab a code: window open (early for Gold and above), stock left, under the member's
/// limit, enough points — or a clear refusal. `Idempotency-Key` required; per-member
/// rate limited (429 with `Retry-After`).
#[utoipa::path(post, path = "/api/sales/{id}/grab", tag = "flash sales",
    params(("id" = i64, Path, description = "Sale id"), ("Idempotency-Key" = String, Header, description = "One per tap; a retry replays")),
    responses((status = 201, body = Grab), (status = 401, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "sale_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "sale_not_started, sale_ended, sold_out, limit_reached, insufficient_points"),
        (status = 429, body = mall_core::ApiErrorBody, description = "rate_limited, with Retry-After")))]
pub async fn grab(
    State(state): State<AppState>,
    member: CurrentMember,
    headers: HeaderMap,
    AppPath(id): AppPath<i64>,
) -> AppResult<Response> {
    if let Err(wait) = state.grab_limiter.check_key(&member.id) {
        let secs = wait.wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default())).as_secs_f64().ceil() as u64;
        return Err(AppError::rate_limited(secs));
    }
    if state.sold_out.read().map(|s| s.contains(&id)).unwrap_or(false) {
        return Err(sold_out());
    }
    let key = idempotency::Key::from_headers(&headers, &format!("POST /api/sales/{id}/grab"), &())?;
    let mut conn = state.pool.acquire().await?;
    let sale = db::sales::one(&mut conn, id).await?.ok_or_else(|| sale_not_found(id))?;
    let at = state.at();
    let now = at.secs;
    // Early access only moves the opening earlier: once the sale has started, no need to ask.
    let opens_at =
        if now >= sale.starts_at { sale.starts_at } else { sale.starts_at - early_access_secs(&mut conn, &state, member.id).await? };
    drop(conn);
    if now < opens_at {
        let (at, server_time) = (clock::rfc3339(state.config.zone, opens_at), clock::rfc3339(state.config.zone, now));
        return Err(AppError::new(ErrorCode::SaleNotStarted, format!("the sale opens at {at} (server time now {server_time})"))
            .with_details(ErrorDetails { at: Some(at), server_time: Some(server_time), by: None }));
    }
    if now >= sale.ends_at {
        return Err(AppError::new(ErrorCode::SaleEnded, "this sale has ended"));
    }
    if sale.remaining == 0 {
        mark_sold_out(&state, id);
        return Err(sold_out());
    }
    if !admit(&state, id, sale.remaining) {
        return Err(AppError {
            message: "everything left is being claimed right now; try again in a second".into(),
            ..AppError::rate_limited(1)
        });
    }
    let code_space = state.config.code_space;
    let member_id = member.id;
    let result = idempotency::run(&state.writer, at.secs, member.id, Some(key), move |tx| {
        async move {
            if !db::sales::take_unit(tx, id, at.secs).await? {
                return Err(sold_out());
            }
            if !db::sales::count_grab(tx, id, member_id, sale.per_member_limit).await? {
                return Err(AppError::new(ErrorCode::LimitReached, format!("each member may grab {} of this sale", sale.per_member_limit)));
            }
            let reference = ledger::Reference::labelled("code", "", sale.offer_zh.clone(), sale.offer_en.clone());
            let debit = ledger::debit(tx, member_id, EntryKind::FlashSale, sale.points, at, Some(&reference)).await?;
            let valid_until = sale.ends_at + sale.code_valid_days * 86_400;
            let mut issued = None;
            for _ in 0..CODE_ATTEMPTS {
                let candidate = new_code(code_space);
                let code = db::codes::NewCode {
                    code: &candidate,
                    member_id,
                    sale_id: id,
                    valid_from: at.secs,
                    valid_until,
                    history_id: debit.history_id,
                };
                if db::codes::insert(tx, &code).await? {
                    issued = Some(candidate);
                    break;
                }
            }
            let code =
                issued.ok_or_else(|| AppError::new(ErrorCode::CodeSpaceExhausted, "no free code could be generated; please retry"))?;
            db::history::set_ref_id(tx, debit.history_id, &code).await?;
            Ok((
                StatusCode::CREATED,
                Grab {
                    code: WalletCode {
                        code: code::display(&code),
                        status: CodeStatus::Issued,
                        offer: I18nText { zh: sale.offer_zh, en: sale.offer_en },
                        merchant: I18nText { zh: sale.merchant_zh, en: sale.merchant_en },
                        sale_id: id,
                        valid_from: clock::rfc3339(at.zone, at.secs),
                        valid_until: clock::rfc3339(at.zone, valid_until),
                        used_at: None,
                    },
                    points: sale.points,
                    balance: debit.balance_after,
                },
            ))
        }
        .boxed()
    })
    .await;
    match &result {
        Err(e) if e.code == ErrorCode::SoldOut => mark_sold_out(&state, id),
        // A replayed answer or a refusal did not use the admitted unit.
        Err(_) => release(&state, id),
        Ok(res) if res.headers().contains_key(idempotency::REPLAYED) => release(&state, id),
        Ok(_) => {}
    }
    result
}

/// Takes one admission to the write path of sale `id` (starting from `remaining`).
fn admit(state: &AppState, id: i64, remaining: i64) -> bool {
    let Ok(mut gates) = state.sale_gates.lock() else { return true };
    let left = gates.entry(id).or_insert(remaining);
    if *left > 0 {
        *left -= 1;
        true
    } else {
        false
    }
}

/// Gives an admission back after a grab that did not take a unit.
fn release(state: &AppState, id: i64) {
    if let Ok(mut gates) = state.sale_gates.lock() {
        if let Some(left) = gates.get_mut(&id) {
            *left += 1;
        }
    }
}

fn mark_sold_out(state: &AppState, id: i64) {
    if let Ok(mut set) = state.sold_out.write() {
        set.insert(id);
    }
    if let Ok(mut gates) = state.sale_gates.lock() {
        gates.insert(id, 0);
    }
}

/// Ask (or stop asking) to be reminded when a sale opens.
#[utoipa::path(post, path = "/api/sales/{id}/remind", tag = "flash sales", request_body = Remind,
    params(("id" = i64, Path, description = "Sale id")),
    responses((status = 204, description = "Saved"), (status = 401, body = mall_core::ApiErrorBody), (status = 404, body = mall_core::ApiErrorBody)))]
pub async fn remind(
    State(state): State<AppState>,
    member: CurrentMember,
    AppPath(id): AppPath<i64>,
    AppJson(req): AppJson<Remind>,
) -> AppResult<StatusCode> {
    if !db::sales::exists(&mut *state.pool.acquire().await?, id).await? {
        return Err(sale_not_found(id));
    }
    db::sales::set_reminder(&state.writer, id, member.id, req.on).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A stored code as the wallet shows it at `now` (an issued code past its validity is expired).
fn wallet_code(zone: chrono_tz::Tz, now: i64, row: CodeRow) -> WalletCode {
    let status = match row.status {
        CodeStatus::Issued if row.valid_until <= now => CodeStatus::Expired,
        other => other,
    };
    WalletCode {
        code: code::display(&row.code),
        status,
        offer: I18nText { zh: row.offer_zh, en: row.offer_en },
        merchant: I18nText { zh: row.merchant_zh, en: row.merchant_en },
        sale_id: row.sale_id,
        valid_from: clock::rfc3339(zone, row.valid_from),
        valid_until: clock::rfc3339(zone, row.valid_until),
        used_at: row.used_at.map(|t| clock::rfc3339(zone, t)),
    }
}

/// The most codes the wallet lists.
const WALLET_SIZE: i64 = 200;

/// The member's redemption codes, newest first.
#[utoipa::path(get, path = "/api/codes", tag = "flash sales",
    responses((status = 200, body = Vec<WalletCode>), (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn wallet(State(state): State<AppState>, member: CurrentMember) -> AppResult<AppJson<Vec<WalletCode>>> {
    let rows = db::codes::of_member(&mut *state.pool.acquire().await?, member.id, WALLET_SIZE).await?;
    let now = state.clock.now_secs();
    Ok(AppJson(rows.into_iter().map(|r| wallet_code(state.config.zone, now, r)).collect()))
}

/// A merchant verifies a code, once. The check character is validated before any lookup;
/// a second attempt says when and by whom it was used.
#[utoipa::path(post, path = "/api/merchant/verify", tag = "merchant", request_body = VerifyRequest, security(("merchant" = [])),
    responses((status = 200, body = Verified), (status = 403, body = mall_core::ApiErrorBody),
        (status = 404, body = mall_core::ApiErrorBody, description = "code_not_found"),
        (status = 409, body = mall_core::ApiErrorBody, description = "code_used, code_expired, code_void"),
        (status = 422, body = mall_core::ApiErrorBody, description = "code_invalid (typo caught by the check character)")))]
pub async fn verify(
    State(state): State<AppState>,
    merchant: Merchant,
    AppJson(req): AppJson<VerifyRequest>,
) -> AppResult<AppJson<Verified>> {
    let canon = code::parse(&req.code).map_err(|e| {
        let why = match e {
            code::CodeError::WrongLength => "a code has 12 characters",
            code::CodeError::BadCharacter => "a code uses only 2–9 and letters without I, L, O",
            code::CodeError::BadCheck => "the code has a typo (its check character does not match)",
        };
        AppError::new(ErrorCode::CodeInvalid, why)
    })?;
    let now = state.clock.now_secs();
    let zone = state.config.zone;
    let used = db::codes::mark_used(&state.writer, &canon, &merchant.name, now).await?;
    let Some(row) = db::codes::one(&mut *state.pool.acquire().await?, &canon).await? else {
        return Err(AppError::new(ErrorCode::CodeNotFound, "no such code"));
    };
    if used {
        return Ok(AppJson(Verified {
            code: code::display(&canon),
            offer: I18nText { zh: row.offer_zh, en: row.offer_en },
            used_at: clock::rfc3339(zone, now),
            used_by: merchant.name,
        }));
    }
    Err(match row.status {
        CodeStatus::Used => {
            let at = row.used_at.map(|t| clock::rfc3339(zone, t)).unwrap_or_default();
            let by = row.used_by.unwrap_or_default();
            AppError::new(ErrorCode::CodeUsed, format!("already used at {at} by {by}")).with_details(ErrorDetails {
                at: Some(at),
                by: Some(by),
                ..Default::default()
            })
        }
        CodeStatus::Void => AppError::new(ErrorCode::CodeVoid, "this code was voided"),
        _ if row.valid_until <= now => {
            let at = clock::rfc3339(zone, row.valid_until);
            AppError::new(ErrorCode::CodeExpired, format!("expired at {at}"))
                .with_details(ErrorDetails { at: Some(at), ..Default::default() })
        }
        _ => AppError::new(ErrorCode::CodeExpired, "this code is not valid yet"),
    })
}

/// Schedule a sale. Refused: end before start, zero quantity or price, a slot overlapping
/// another of the same offer.
#[utoipa::path(post, path = "/api/admin/sales", tag = "operator", request_body = NewSale, security(("operator" = [])),
    responses((status = 201, body = i64, description = "The new sale's id"), (status = 403, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "sale_overlap"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed, sale_window_passed")))]
pub async fn schedule(
    State(state): State<AppState>,
    _op: Operator,
    AppJson(req): AppJson<NewSale>,
) -> AppResult<(StatusCode, AppJson<i64>)> {
    req.validate().map_err(refused)?;
    let now = state.clock.now_secs();
    let id = db::transaction(&state.writer, move |tx| async move { schedule_in(tx, &req, now).await }.boxed()).await?;
    Ok((StatusCode::CREATED, AppJson(id)))
}

/// Schedule one offer in several slots of one shop day (e.g. 10:00, 14:00 and 20:00), each
/// with the full quantity. All or nothing: one refused slot schedules none.
#[utoipa::path(post, path = "/api/admin/sales/daily", tag = "operator", request_body = DailySlots, security(("operator" = [])),
    responses((status = 201, body = Scheduled), (status = 403, body = mall_core::ApiErrorBody),
        (status = 409, body = mall_core::ApiErrorBody, description = "sale_overlap (with another sale of the offer or between the slots)"),
        (status = 422, body = mall_core::ApiErrorBody, description = "validation_failed, sale_window_passed")))]
pub async fn schedule_daily(
    State(state): State<AppState>,
    _op: Operator,
    AppJson(req): AppJson<DailySlots>,
) -> AppResult<(StatusCode, AppJson<Scheduled>)> {
    let starts = req.validate().map_err(refused)?;
    let day = chrono::NaiveDate::parse_from_str(&req.day, "%Y-%m-%d").map_err(|_| refused(ScheduleError::Day))?;
    let zone = state.config.zone;
    let now = state.clock.now_secs();
    let mut sales = Vec::with_capacity(starts.len());
    for minutes in starts {
        let starts_at = clock::local_instant(zone, day, minutes).ok_or_else(|| {
            AppError::new(ErrorCode::ValidationFailed, format!("{:02}:{:02} does not exist on {day} in {zone}", minutes / 60, minutes % 60))
        })?;
        sales.push(NewSale { terms: req.terms.clone(), starts_at, ends_at: starts_at + req.minutes * 60 });
    }
    // An error drops the transaction: the slots already inserted roll back.
    let ids = db::transaction(&state.writer, move |tx| {
        async move {
            let mut ids = Vec::with_capacity(sales.len());
            for sale in &sales {
                ids.push(schedule_in(tx, sale, now).await?);
            }
            Ok::<_, AppError>(ids)
        }
        .boxed()
    })
    .await?;
    Ok((StatusCode::CREATED, AppJson(Scheduled { ids })))
}

fn refused(e: ScheduleError) -> AppError {
    AppError::new(ErrorCode::ValidationFailed, e.message())
}

/// Inserts a validated sale unless its offer already has a sale overlapping the window. Run
/// inside a write transaction: writers are serialised, so the check and the insert are one step.
async fn schedule_in(tx: &mut crate::db::Tx<'_>, sale: &NewSale, now: i64) -> AppResult<i64> {
    if sale.ends_at <= now {
        return Err(AppError::new(ErrorCode::SaleWindowPassed, "that window is already over on the server's clock"));
    }
    if db::sales::overlapping(tx, &sale.terms.offer_key, sale.starts_at, sale.ends_at).await? > 0 {
        return Err(AppError::new(ErrorCode::SaleOverlap, "this offer already has a sale in that window"));
    }
    Ok(db::sales::insert(tx, sale, now).await?)
}
