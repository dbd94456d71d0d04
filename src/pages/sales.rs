//! Flash sales (秒杀): today's slots (and in the evening the night's, marked tomorrow)
//! with their state, per offer the stock taken, a countdown on the server's clock, and a
//! button that says what it does (remind me / grab / sold out / got it).

use leptos::prelude::*;
use mall_core::sales::{sale_state, Sale, SaleState};

use crate::{
    api,
    components::{
        price::Price,
        states::{ErrorState, ListSkeleton},
        toast::use_toast,
    },
    i18n::{use_lang, Lang},
    intent::Intent,
    sales_today::use_sales_today,
    server_clock::{countdown, use_server_clock},
    session::use_session,
    title::set_page_title,
    visibility::page_visible,
};

/// `HH:MM` of a Unix ms instant in the phone's zone (slot labels).
pub fn clock_label(ms: i64, lang: Lang) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"2-digit".into());
    let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
    let _ = js_sys::Reflect::set(&options, &"hour12".into(), &false.into());
    date.to_locale_time_string_with_options(lang.tag(), &options).into()
}

/// Whether two Unix ms instants fall on one day in the phone's zone (as `clock_label`
/// shows times): a slot after midnight is tomorrow's.
fn same_local_day(a_ms: i64, b_ms: i64) -> bool {
    let day = |ms: i64| js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64)).to_date_string();
    day(a_ms) == day(b_ms)
}

/// The slot (tab) a sale belongs to: its start to the minute, as the tab shows it.
fn slot_of(starts_at_ms: i64) -> i64 {
    starts_at_ms - starts_at_ms.rem_euclid(60_000)
}

/// A sale's state now, on the corrected clock.
pub fn state_now(sale: &Sale, now_ms: i64) -> SaleState {
    sale_state(now_ms, sale.opens_at_ms, sale.ends_at_ms, sale.remaining)
}

/// The countdown as `HH:MM:SS` boxes.
#[component]
pub fn Countdown(#[prop(into)] target_ms: Signal<i64>) -> impl IntoView {
    let clock = use_server_clock();
    view! {
        <span class="countdown num" role="timer" data-testid="countdown">
            {move || {
                let [h, m, s] = countdown(clock.now_ms(), target_ms.get());
                view! { <b>{format!("{h:02}")}</b>":"<b>{format!("{m:02}")}</b>":"<b>{format!("{s:02}")}</b> }
            }}
        </span>
    }
}

/// Scrolls the selected slot tab to the middle of the strip (the strip scrolls sideways).
fn reveal_selected_tab() {
    leptos::prelude::request_animation_frame(|| {
        let tab =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(".slot-tab[aria-selected=true]").ok().flatten());
        if let Some(tab) = tab {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            options.set_inline(web_sys::ScrollLogicalPosition::Center);
            tab.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}

/// How often the page reloads the sales while one of the shown slot's sales is live.
const LIVE_REFRESH: std::time::Duration = std::time::Duration::from_secs(5);

/// The sales page.
#[component]
pub fn Sales() -> impl IntoView {
    let lang = use_lang();
    set_page_title(|l| l.p().sales_title.to_string());
    let feed = use_sales_today();
    // Stock moves fast: load again on every visit (the last answer shows meanwhile).
    feed.refetch();
    let clock = use_server_clock();
    let selected = RwSignal::new(None::<i64>);
    // The last list the server gave; a failed reload keeps it on screen.
    let sales = Memo::new(move |previous: Option<&Option<Vec<Sale>>>| match feed.get() {
        Some(Ok(day)) => Some(day.sales),
        _ => previous.cloned().flatten(),
    });
    // Loaded (true), loading (false) or failed with nothing to show: the page is rebuilt
    // only when this changes, never on a reload of the same list.
    let phase = Memo::new(move |_| match (sales.with(Option::is_some), feed.get()) {
        (true, _) => Ok(true),
        (false, Some(Err(f))) => Err(f),
        (false, _) => Ok(false),
    });
    let slots = Memo::new(move |_| {
        let mut starts: Vec<i64> = sales.get().unwrap_or_default().iter().map(|s| slot_of(s.starts_at_ms)).collect();
        starts.dedup();
        starts
    });
    // The first slot still live or to come (on the clock when the list arrived), else the first.
    let default_slot = Memo::new(move |_| {
        let list = sales.get().unwrap_or_default();
        let now = clock.now_ms_untracked();
        list.iter()
            .find(|s| matches!(state_now(s, now), SaleState::Live | SaleState::Upcoming))
            .or(list.first())
            .map(|s| slot_of(s.starts_at_ms))
    });
    let current = Memo::new(move |_| selected.get().or(default_slot.get()));
    let shown =
        move || sales.get().unwrap_or_default().into_iter().filter(|s| Some(slot_of(s.starts_at_ms)) == current.get()).collect::<Vec<_>>();
    Effect::new(move |_| {
        if !slots.get().is_empty() {
            reveal_selected_tab();
        }
    });
    // Live stock: reload every few seconds while a shown sale is live and the page is visible.
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let now = clock.now_ms_untracked();
            let any_live = sales.with_untracked(|list| {
                list.iter()
                    .flatten()
                    .any(|s| Some(slot_of(s.starts_at_ms)) == current.get_untracked() && state_now(s, now) == SaleState::Live)
            });
            if any_live && page_visible() {
                feed.refetch();
            }
        },
        LIVE_REFRESH,
    ) {
        on_cleanup(move || handle.clear());
    }
    let slot_label = move |slot: i64| {
        let now = clock.now_ms();
        let states: Vec<SaleState> =
            sales.with(|list| list.iter().flatten().filter(|s| slot_of(s.starts_at_ms) == slot).map(|s| state_now(s, now)).collect());
        let state = if states.contains(&SaleState::Live) {
            SaleState::Live
        } else if states.contains(&SaleState::Upcoming) {
            // Tonight's list runs past midnight (a midnight drop shows the evening before).
            if !same_local_day(slot, now) {
                return lang.p().slot_tomorrow;
            }
            SaleState::Upcoming
        } else if states.iter().all(|s| *s == SaleState::Ended) {
            SaleState::Ended
        } else {
            SaleState::SoldOut
        };
        lang.slot_state(state)
    };
    view! {
        <section class="page sales">
            <h1 class="page-title">{lang.p().sales_title}</h1>
            {move || match phase.get() {
                Ok(true) => view! {
                    <div class="slot-tabs" role="tablist">
                        <For each=move || slots.get() key=|slot| *slot let:slot>
                            <button role="tab" class="slot-tab" aria-selected=move || (current.get() == Some(slot)).to_string()
                                on:click=move |_| { selected.set(Some(slot)); reveal_selected_tab(); }>
                                <span class="slot-time num">{clock_label(slot, lang)}</span>
                                <span class="slot-state">{move || slot_label(slot)}</span>
                            </button>
                        </For>
                    </div>
                    <ul class="sale-list">
                        <For each=shown key=|sale| sale.id let:sale>
                            <SaleCard id=sale.id sales />
                        </For>
                    </ul>
                    {move || slots.get().is_empty().then(|| view! { <p class="list-end">{lang.t().no_sales}</p> })}
                }.into_any(),
                Err(f) => view! { <ErrorState failure=f retry=Callback::new(move |_| feed.refetch()) /> }.into_any(),
                Ok(false) => view! { <ListSkeleton rows=3 /> }.into_any(),
            }}
        </section>
    }
}

/// One offer of a slot; its stock, holdings and reminder follow the shared feed.
#[component]
pub fn SaleCard(id: i64, sales: Memo<Option<Vec<Sale>>>) -> impl IntoView {
    let lang = use_lang();
    let clock = use_server_clock();
    let session = use_session();
    let toast = use_toast();
    let feed = use_sales_today();
    // Reminders are set or unset (no key); a grab retried after a network failure keeps its key.
    let remind = Intent::new(move |on: bool, _key: String| api::remind(id, on));
    let grab = Intent::new(move |(), key: String| async move { api::grab(id, &key).await });
    let pending = move || remind.pending() || grab.pending();
    // The first answer fixes what never changes (names, price, window); the rest is live.
    let Some(first) = sales.with_untracked(|list| list.iter().flatten().find(|s| s.id == id).cloned()) else {
        return ().into_any();
    };
    let fixed = StoredValue::new(first);
    let live = Memo::new(move |previous: Option<&Sale>| {
        sales
            .with(|list| list.iter().flatten().find(|s| s.id == id).cloned())
            .or_else(|| previous.cloned())
            .unwrap_or_else(|| fixed.get_value())
    });
    let state = Memo::new(move |_| live.with(|sale| state_now(sale, clock.now_ms())));
    let got_all = Memo::new(move |_| live.with(|sale| sale.mine >= sale.per_member_limit));
    let reminded = Memo::new(move |_| live.with(|sale| sale.reminded));
    let taken_pct = Memo::new(move |_| live.with(|sale| ((sale.quantity - sale.remaining) * 100 / sale.quantity.max(1)).clamp(0, 100)));
    let act = move |_| {
        if pending() {
            return;
        }
        match state.get_untracked() {
            SaleState::Upcoming => {
                let on = !reminded.get_untracked();
                remind.dispatch_then(on, move |outcome| match outcome {
                    Ok(reminder) => {
                        // Only what will really happen: the host's notice, or the app's while open.
                        let p = lang.p();
                        toast.show(match (on, reminder.by_host) {
                            (false, _) => p.remind_off,
                            (true, true) => p.remind_set,
                            (true, false) => p.remind_set_in_app,
                        });
                        feed.refetch();
                    }
                    Err(f) => toast.show(lang.page_failure(&f)),
                });
            }
            SaleState::Live => {
                grab.dispatch_then((), move |outcome| {
                    match outcome {
                        Ok(g) => {
                            toast.show(lang.grabbed(&g.code.code));
                            session.refresh();
                        }
                        Err(f) => toast.show(lang.page_failure(&f)),
                    }
                    feed.refetch();
                });
            }
            _ => {}
        }
    };
    let sale = fixed.get_value();
    view! {
        <li class="sale-card" data-testid="sale-card" data-state=move || lang.state_key(state.get())>
            <img src=sale.image.clone() alt="" width="88" height="88" />
            <div class="sale-body">
                <h3 class="sale-name">{lang.pick(&sale.offer)}</h3>
                <p class="sale-merchant muted">{lang.pick(&sale.merchant)}</p>
                <p class="sale-price"><Price points=sale.points cash=None /></p>
                <div class="stock-bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=move || taken_pct.get()
                    aria-label=move || lang.taken(taken_pct.get())>
                    <span style=move || format!("width:{}%", taken_pct.get())></span>
                </div>
                <p class="sale-meta">
                    <span data-testid="stock-left">{move || format!("{} · {}", lang.taken(taken_pct.get()), lang.stock_left(live.with(|s| s.remaining)))}</span>
                    {move || match state.get() {
                        SaleState::Upcoming => view! { <span class="sale-when">{lang.t().starts_in}" "<Countdown target_ms=Signal::derive(move || fixed.with_value(|s| s.opens_at_ms)) /></span> }.into_any(),
                        SaleState::Live => view! { <span class="sale-when">{lang.t().ends_in}" "<Countdown target_ms=Signal::derive(move || fixed.with_value(|s| s.ends_at_ms)) /></span> }.into_any(),
                        _ => ().into_any(),
                    }}
                </p>
            </div>
            <button class="btn btn-primary btn-sm sale-btn" data-testid="sale-button"
                class:reminded=move || reminded.get()
                disabled=move || pending() || got_all.get() || matches!(state.get(), SaleState::SoldOut | SaleState::Ended)
                on:click=act>
                {move || if got_all.get() { lang.p().got_it.to_string() } else { lang.sale_button(state.get(), reminded.get()) }}
            </button>
        </li>
    }.into_any()
}
