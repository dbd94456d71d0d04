//! `GET /api/events`: the member's live notices as server-sent events (实时推送积分到帐通知).
//! Each event carries its id; a reconnecting client sends `Last-Event-ID` and gets what
//! it missed (the events table keeps a day of them). Events go out after their change
//! committed (`db::events`); a comment line every 20 s keeps proxies from closing an
//! idle stream, and the stream also re-reads then, so a lost wake-up only delays.

use std::{convert::Infallible, time::Duration};

use axum::{
    extract::State,
    http::HeaderMap,
    response::sse::{Event, KeepAlive, Sse},
    routing::get,
    Router,
};
use futures_util::{stream, Stream};
use tokio::sync::broadcast::{self, error::RecvError};

use crate::{
    db::{self, events::EventRow},
    error::AppError,
    session::CurrentMember,
    startup::AppState,
    AppResult,
};

/// Seconds between heartbeats (and re-reads).
const HEARTBEAT: Duration = Duration::from_secs(20);
/// Events sent per read.
const BATCH: i64 = 50;

/// The live notices route.
pub fn router() -> Router<AppState> {
    Router::new().route("/events", get(events))
}

/// Where a stream stands: what it has sent, what it still has to send.
struct Follow {
    state: AppState,
    member_id: i64,
    last: i64,
    queue: std::collections::VecDeque<EventRow>,
    wakeups: broadcast::Receiver<i64>,
}

impl Follow {
    /// Reads the events after the last one sent.
    async fn read(&mut self) -> Result<(), sqlx::Error> {
        let rows = db::events::after(&mut self.state.pool.acquire().await?, self.member_id, self.last, BATCH).await?;
        if let Some(last) = rows.last() {
            self.last = last.id;
        }
        self.queue.extend(rows);
        Ok(())
    }

    /// The next event, waiting for a wake-up (or the heartbeat) when none is queued;
    /// `None` ends the stream (the process is shutting down, or the database failed).
    async fn next(&mut self) -> Option<EventRow> {
        loop {
            if let Some(row) = self.queue.pop_front() {
                return Some(row);
            }
            let woken = tokio::select! {
                got = self.wakeups.recv() => match got {
                    Ok(member_id) => member_id == self.member_id,
                    Err(RecvError::Lagged(_)) => true,
                    Err(RecvError::Closed) => return None,
                },
                () = tokio::time::sleep(HEARTBEAT) => true,
            };
            if woken {
                if let Err(e) = self.read().await {
                    tracing::warn!(error = %e, "event stream could not read; closing it");
                    return None;
                }
            }
        }
    }
}

/// The member's live notices (`text/event-stream`): `event: balance` with
/// `BalanceNotice` data whenever the balance changes, `event: code` with `CodeNotice`
/// when a merchant verifies one of the member's codes. With `Last-Event-ID`, the events
/// after it first; without, only new ones.
#[utoipa::path(get, path = "/api/events", tag = "member",
    params(("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event id")),
    responses((status = 200, content_type = "text/event-stream", body = mall_core::notice::BalanceNotice,
        description = "`event: balance` (BalanceNotice) and `event: code` (CodeNotice), each with its `id:`; a comment every 20 s"),
        (status = 400, body = mall_core::ApiErrorBody, description = "bad_request: Last-Event-ID is not a number"),
        (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn events(
    State(state): State<AppState>,
    member: CurrentMember,
    headers: HeaderMap,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    // Subscribe before reading, so nothing committed in between is missed.
    let wakeups = db::events::wakeups().subscribe();
    let last = match headers.get("last-event-id").map(|v| v.to_str().ok().and_then(|s| s.trim().parse::<i64>().ok())) {
        Some(Some(id)) => id,
        Some(None) => return Err(AppError::new(mall_core::ErrorCode::BadRequest, "Last-Event-ID must be an event id")),
        None => db::events::last_id(&mut state.pool.acquire().await?, member.id).await?,
    };
    let mut follow = Follow { state, member_id: member.id, last, queue: Default::default(), wakeups };
    follow.read().await?;
    let events = stream::unfold(follow, |mut follow| async move {
        let row = follow.next().await?;
        let event = Event::default().id(row.id.to_string()).event(row.kind).data(row.data);
        Some((Ok(event), follow))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(HEARTBEAT).text("heartbeat")))
}
