//! The server's clock on the phone: the offset between `GET /api/time` and the phone's
//! clock (measured at the middle of the request), and a signal that ticks every second
//! with the corrected time, re-measured whenever the page is shown again. Countdowns never
//! trust the phone's own clock.

use leptos::{prelude::*, task::spawn_local};

use crate::{api, visibility::on_page_visible};

/// Corrected time in Unix ms, ticking every second, in context.
#[derive(Clone, Copy)]
pub struct ServerClock {
    offset_ms: RwSignal<f64>,
    now_ms: RwSignal<i64>,
    synced: RwSignal<bool>,
}

impl ServerClock {
    /// Measures the offset now and starts the ticker.
    pub fn provide() -> ServerClock {
        let clock =
            ServerClock { offset_ms: RwSignal::new(0.0), now_ms: RwSignal::new(js_sys::Date::now() as i64), synced: RwSignal::new(false) };
        provide_context(clock);
        // The first measurement waits for the first frame: a main thread busy booting would
        // stretch the round trip (and skew the offset), and Home's content comes first.
        request_animation_frame(move || set_timeout(move || clock.sync(), std::time::Duration::ZERO));
        // A phone that slept may have had its clock changed meanwhile.
        on_page_visible(move || clock.sync());
        let tick = move || clock.now_ms.set((js_sys::Date::now() + clock.offset_ms.get_untracked()) as i64);
        if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_millis(250)) {
            on_cleanup(move || handle.clear());
        }
        clock
    }

    /// Asks the server for its time and updates the offset; until the first answer, asks
    /// again every ten seconds (the app may have started offline).
    pub fn sync(&self) {
        let this = *self;
        spawn_local(async move {
            let sent = js_sys::Date::now();
            match api::server_time().await {
                Ok(t) => {
                    let received = js_sys::Date::now();
                    let offset = t.epoch_ms as f64 - (sent + received) / 2.0;
                    this.offset_ms.try_set(offset);
                    // Corrected at once, not at the next tick: nothing may see the old clock as synced.
                    this.now_ms.try_set((received + offset) as i64);
                    this.synced.try_set(true);
                }
                Err(_) if !this.synced.get_untracked() => {
                    set_timeout(move || this.sync(), std::time::Duration::from_secs(10));
                }
                Err(_) => {}
            }
        });
    }

    /// Whether the offset has been measured (before that, `now` is the phone's own clock).
    pub fn is_synced(&self) -> bool {
        self.synced.get()
    }

    /// The corrected now, Unix ms, without subscribing to the ticks.
    pub fn now_ms_untracked(&self) -> i64 {
        self.now_ms.get_untracked()
    }

    /// The corrected now, Unix ms (reactive: ticks).
    pub fn now_ms(&self) -> i64 {
        self.now_ms.get()
    }
}

/// The server clock from context.
pub fn use_server_clock() -> ServerClock {
    expect_context::<ServerClock>()
}

/// The shop's now, asked of the server once (`GET /api/time`) by a form whose defaults
/// are days of the shop (the phone's date may be another zone's).
#[derive(Clone, Copy)]
pub struct ShopToday(LocalResource<Option<String>>);

impl ShopToday {
    /// The instant, RFC 3339 in the shop's zone; `None` until it arrives, or if it failed (tracked).
    pub fn now(&self) -> Option<String> {
        self.0.get().flatten()
    }

    /// Today in the shop, `YYYY-MM-DD`; `None` until it arrives, or if it failed (tracked).
    pub fn date(&self) -> Option<String> {
        self.now().map(|now| now.get(..10).unwrap_or_default().to_string())
    }
}

/// Asks the server for the shop's now; see [`ShopToday`].
pub fn use_shop_today() -> ShopToday {
    ShopToday(LocalResource::new(|| async { api::server_time().await.ok().map(|t| t.now) }))
}

/// `HH:MM:SS` until `target` (zero when passed).
pub fn countdown(now_ms: i64, target_ms: i64) -> [u32; 3] {
    let secs = ((target_ms - now_ms).max(0) + 999) / 1000;
    [(secs / 3600) as u32, ((secs % 3600) / 60) as u32, (secs % 60) as u32]
}
