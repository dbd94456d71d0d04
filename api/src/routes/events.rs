//! `GET /api/events`: the member's live notices as server-sent events (实时推送积分到帐通知).
//! Each event carries its id; a reconnecting client sends `Last-Event-ID` and gets what
//! it missed (the events table keeps a day of them). Events go out after their change
//! committed (`db::events`), woken by this replica's dispatcher (`domain::streams`).
//!
//! Every read checks the stream's session first, and a read happens at every wake-up and
//! every heartbeat (20 s): a logout or an expiry ends the stream with `event: closed`
//! within a heartbeat, and no event reaches it after. The heartbeat's read also catches
//! what a lost wake-up missed; when it has nothing to send, it sends a comment that keeps
//! proxies from closing the stream. A member holds at
//! most a few streams on a replica: a new one closes the oldest (`event: closed`,
//! `superseded`, come back in 5 minutes). A replica shutting down ends every stream
//! (`shutting_down`, come back in 1–5 s). A frozen member keeps its stream: it may still
//! earn, and its notices say so.

use std::{collections::VecDeque, convert::Infallible, time::Duration};

use axum::{
    extract::State,
    http::HeaderMap,
    response::sse::{Event, Sse},
};
use futures_util::{stream, Stream};
use mall_core::notice::{StreamCloseReason, StreamClosed};
use tokio::time::Instant;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    db::{self, events::EventRow},
    domain::streams::Ticket,
    error::AppError,
    session::{CurrentMember, SessionToken},
    state::AppState,
    AppResult,
};

/// Events sent per read.
const BATCH: i64 = 50;
/// How long a stream closed for a newer one asks its browser to wait before reconnecting.
const SUPERSEDED_RETRY: Duration = Duration::from_secs(300);

/// The live notices route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events))
}

/// Where a stream stands: what it has sent, what it still has to send.
struct Follow {
    state: AppState,
    member_id: i64,
    /// The session's token hash, re-checked at each heartbeat.
    session: String,
    last: i64,
    queue: VecDeque<EventRow>,
    ticket: Ticket,
    heartbeat: Duration,
    beat: Instant,
    /// The closing event went out: the stream ends.
    done: bool,
}

impl Follow {
    /// Reads the events after the last one sent, if the stream's session still stands
    /// for its member (checked first, on the same connection: nothing is sent after a
    /// logout); `false` when it does not.
    async fn read(&mut self) -> Result<bool, sqlx::Error> {
        self.state.streams.count_read();
        let mut conn = self.state.pool.acquire().await?;
        let now = self.state.clock.now_secs();
        if db::sessions::member_of(&mut conn, &self.session, now).await? != Some(self.member_id) {
            return Ok(false);
        }
        let rows = db::events::after(&mut conn, self.member_id, self.last, BATCH).await?;
        if let Some(last) = rows.last() {
            self.last = last.id;
        }
        self.queue.extend(rows);
        Ok(true)
    }

    /// The stream's last event.
    fn close(&mut self, reason: StreamCloseReason) -> Event {
        self.done = true;
        let data = serde_json::to_string(&StreamClosed { reason }).unwrap_or_default();
        let event = Event::default().event("closed").data(data);
        match reason {
            StreamCloseReason::Superseded => event.retry(SUPERSEDED_RETRY),
            StreamCloseReason::SessionEnded => event,
            // Spread over a few seconds: every stream of the replica comes back at once.
            StreamCloseReason::ShuttingDown => event.retry(Duration::from_millis(1_000 + rand::random::<u64>() % 4_000)),
        }
    }

    /// The next thing to send: an event, a heartbeat comment, or the closing event;
    /// `None` ends the stream (after its closing event, or when the database failed: the
    /// browser reconnects).
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(row) = self.queue.pop_front() {
                return Some(Event::default().id(row.id.to_string()).event(row.kind).data(row.data));
            }
            if self.done {
                return None;
            }
            let beat = tokio::select! {
                woken = self.ticket.wake.recv() => match woken {
                    Some(()) => false,
                    None if self.ticket.shutting_down() => return Some(self.close(StreamCloseReason::ShuttingDown)),
                    None => return Some(self.close(StreamCloseReason::Superseded)),
                },
                () = tokio::time::sleep_until(self.beat) => {
                    self.beat = Instant::now() + self.heartbeat;
                    true
                }
            };
            match self.read().await {
                Ok(true) if beat && self.queue.is_empty() => return Some(Event::default().comment("heartbeat")),
                Ok(true) => {}
                Ok(false) => return Some(self.close(StreamCloseReason::SessionEnded)),
                Err(e) => {
                    tracing::warn!(error = %e, "event stream could not read; closing it");
                    return None;
                }
            }
        }
    }
}

/// The member's live notices (`text/event-stream`): `event: balance` whenever the balance
/// changes, `event: code` when a merchant verifies one of the member's codes, each with
/// its `id:`; `event: closed` as the last event of a stream the server ends (the session
/// ended, or a newer stream of the member took its place). With `Last-Event-ID`, the
/// events after it first; without, only new ones. The `data:` of each event is a JSON
/// document (each event's schema is the media type's `itemSchema` in the OpenAPI document).
#[utoipa::path(get, path = "/events", tag = "member",
    params(("Last-Event-ID" = Option<String>, Header, pattern = r"^[0-9]{1,18}$", description = "Resume after this event id")),
    responses((status = 200, content_type = "text/event-stream", body = String,
        description = "Server-sent events: `event: balance` (data: BalanceNotice), `event: code` (data: CodeNotice), \
            each with its `id:`; `event: closed` (data: StreamClosed) last when the server ends the stream; \
            a `: heartbeat` comment when a heartbeat has nothing to send"),
        (status = 400, body = mall_core::ApiErrorBody, description = "bad_request: Last-Event-ID is not a number"),
        (status = 401, body = mall_core::ApiErrorBody)))]
pub async fn events(
    State(state): State<AppState>,
    member: CurrentMember,
    session: SessionToken,
    headers: HeaderMap,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let last = match headers.get("last-event-id").map(|v| v.to_str().ok().and_then(|s| s.trim().parse::<i64>().ok())) {
        Some(Some(id)) => Some(id),
        Some(None) => return Err(AppError::new(mall_core::ErrorCode::BadRequest, "Last-Event-ID must be an event id")),
        None => None,
    };
    // Join before reading, so nothing committed in between is missed.
    let ticket = state.streams.join(member.id);
    let last = match last {
        Some(id) => id,
        None => db::events::last_id(&mut state.pool.acquire().await?, member.id).await?,
    };
    let heartbeat = state.config.limits.events_heartbeat;
    let mut follow = Follow {
        state,
        member_id: member.id,
        session: session.hash,
        last,
        queue: VecDeque::new(),
        ticket,
        heartbeat,
        beat: Instant::now() + heartbeat,
        done: false,
    };
    follow.read().await?;
    let events = stream::unfold(follow, |mut follow| async move {
        let event = follow.next().await?;
        Some((Ok(event), follow))
    });
    Ok(Sse::new(events))
}
