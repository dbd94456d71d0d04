//! The live-notice streams open on this replica (`GET /api/events`), per member, and
//! the one dispatcher that wakes them.
//!
//! - **Shutting down** (`close_all`, on SIGTERM or Ctrl-C) ends every stream with a last
//!   event that asks its browser back in a few seconds, so the server's graceful shutdown
//!   does not wait on streams that never end by themselves.
//! - **At most a few streams per member** (`streams_per_member`, 3): a new one closes the
//!   member's oldest (a phone that slept may have left a stream the server cannot tell is
//!   dead; the newest is the one on screen). The closed stream's last event says so and
//!   asks its browser to come back only after 5 minutes. Per replica: each replica bounds
//!   its own connections.
//! - **One subscriber to the wake-ups per replica.** Commits wake members
//!   (`db::events::wakeups`); the dispatcher wakes only that member's streams, so a
//!   wake-up costs one map look-up, not one message per open stream.
//! - **A lag costs one read.** When the dispatcher falls behind the wake-ups (a burst
//!   larger than the channel) or the PostgreSQL listener lost its connection
//!   (`db::events::RESYNC`), it reads once which members had events since shortly before
//!   its last wake-up and wakes only their streams: no stream re-reads on its own, so a
//!   lag is never a stampede of reads. Each stream also re-reads at its heartbeat (which
//!   re-checks its session), so even that read missing something only delays a notice.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
};

use tokio::sync::{broadcast::error::RecvError, mpsc};

use crate::{clock::Clock, db};

/// How far before its last wake-up the dispatcher looks after a lag, in seconds: a change
/// records its event when it runs, a little before its commit sends the wake-up.
const LAG_MARGIN: i64 = 60;

/// The streams of this replica.
#[derive(Debug)]
pub struct Streams {
    members: Mutex<HashMap<i64, Vec<Slot>>>,
    next_id: AtomicU64,
    per_member: usize,
    reads: AtomicU64,
    shared_reads: AtomicU64,
    closing: std::sync::atomic::AtomicBool,
}

/// One open stream: its id and where its wake-ups go (dropped to close it).
#[derive(Debug)]
struct Slot {
    id: u64,
    wake: mpsc::Sender<()>,
}

/// A stream's place among the member's: receives its wake-ups; `None` from `recv` means
/// this one must close (the member opened more streams, or the replica is shutting down:
/// [`Ticket::shutting_down`]). Leaving is dropping it.
#[derive(Debug)]
pub struct Ticket {
    id: u64,
    member_id: i64,
    streams: Arc<Streams>,
    /// The wake-ups: a pending one is kept until read (they coalesce).
    pub wake: mpsc::Receiver<()>,
}

impl Ticket {
    /// Whether the stream ends because the replica is shutting down.
    pub fn shutting_down(&self) -> bool {
        self.streams.closing.load(Ordering::SeqCst)
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.streams.leave(self.member_id, self.id);
    }
}

impl Streams {
    /// No streams yet; at most `per_member` (at least 1) for one member.
    pub fn new(per_member: usize) -> Streams {
        Streams {
            members: Mutex::default(),
            next_id: AtomicU64::new(1),
            per_member: per_member.max(1),
            reads: AtomicU64::new(0),
            shared_reads: AtomicU64::new(0),
            closing: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Vec<Slot>>> {
        self.members.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Opens a stream for the member; closes the member's oldest beyond the cap.
    pub fn join(self: &Arc<Self>, member_id: i64) -> Ticket {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(1);
        let mut map = self.map();
        let slots = map.entry(member_id).or_default();
        slots.push(Slot { id, wake: tx });
        if slots.len() > self.per_member {
            let closed = slots.len() - self.per_member;
            slots.drain(..closed); // their senders drop: those streams end
        }
        Ticket { id, member_id, streams: self.clone(), wake: rx }
    }

    fn leave(&self, member_id: i64, id: u64) {
        let mut map = self.map();
        if let Some(slots) = map.get_mut(&member_id) {
            slots.retain(|s| s.id != id);
            if slots.is_empty() {
                map.remove(&member_id);
            }
        }
    }

    /// Ends every stream (the replica is shutting down): each sends its last event.
    pub fn close_all(&self) {
        self.closing.store(true, Ordering::SeqCst);
        self.map().clear();
    }

    /// Wakes the member's streams (a stream already woken stays woken once).
    pub fn wake(&self, member_id: i64) {
        if let Some(slots) = self.map().get(&member_id) {
            for slot in slots {
                let _ = slot.wake.try_send(());
            }
        }
    }

    /// How many streams the member has open on this replica.
    pub fn open_for(&self, member_id: i64) -> usize {
        self.map().get(&member_id).map_or(0, Vec::len)
    }

    /// Counts one read of a stream.
    pub fn count_read(&self) {
        self.reads.fetch_add(1, Ordering::Relaxed);
    }

    /// How many times streams of this replica read their events (tests, logs).
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }

    /// How many shared reads the dispatcher made after a lag or a lost listener.
    pub fn shared_reads(&self) -> u64 {
        self.shared_reads.load(Ordering::Relaxed)
    }

    fn any_open(&self) -> bool {
        !self.map().is_empty()
    }

    /// After a lag: one read of which members had events since `since`, and a wake-up for
    /// their streams only.
    async fn resync(&self, pool: &db::Pool, since: i64) {
        if !self.any_open() {
            return;
        }
        self.shared_reads.fetch_add(1, Ordering::Relaxed);
        let members = match pool.acquire().await {
            Ok(mut conn) => db::events::members_since(&mut conn, since).await,
            Err(e) => Err(e),
        };
        match members {
            Ok(members) => members.into_iter().for_each(|m| self.wake(m)),
            // The heartbeats re-read anyway: this only delays the notices.
            Err(e) => tracing::warn!(error = %e, "event dispatcher could not look for missed events"),
        }
    }
}

/// Runs this replica's dispatcher until the process ends: each wake-up wakes its member's
/// streams; a lag or a [`db::events::RESYNC`] makes one shared read.
pub fn spawn_dispatcher(streams: Arc<Streams>, pool: db::Pool, clock: Clock) {
    let mut wakeups = db::events::wakeups().subscribe();
    tokio::spawn(async move {
        let mut last = clock.now_secs();
        loop {
            match wakeups.recv().await {
                Ok(db::events::RESYNC) => streams.resync(&pool, last - LAG_MARGIN).await,
                Ok(member_id) => {
                    last = clock.now_secs();
                    streams.wake(member_id);
                }
                Err(RecvError::Lagged(missed)) => {
                    tracing::debug!(missed, "event dispatcher lagged; one shared read");
                    streams.resync(&pool, last - LAG_MARGIN).await;
                }
                Err(RecvError::Closed) => return,
            }
        }
    });
}
