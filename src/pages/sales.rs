//! Flash sales (秒杀): today's slots with their state, per offer the stock taken, a
//! countdown on the server's clock, and a button that says what it does (remind me /
//! grab / sold out / got it).

use leptos::{prelude::*, task::spawn_local};
use mall_core::sales::{sale_state, Sale, SaleState};

use crate::{
    api,
    components::{
        price::Price,
        states::{ErrorState, ListSkeleton},
        toast::use_toast,
    },
    i18n::{use_lang, Lang},
    sales_today::use_sales_today,
    server_clock::{countdown, use_server_clock},
    session::use_session,
    title::set_page_title,
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

/// The sales page.
#[component]
pub fn Sales() -> impl IntoView {
    let lang = use_lang();
    set_page_title(|l| l.t().sales_title.to_string());
    let resource = use_sales_today();
    // Stock moves fast: load again on every visit (the last answer shows meanwhile).
    resource.refetch();
    let clock = use_server_clock();
    let selected = RwSignal::new(None::<i64>);
    view! {
        <section class="page sales">
            <h1 class="page-title">{lang.t().sales_title}</h1>
            {move || resource.get().map(|r| match r {
                Ok(day) => {
                    let mut slots: Vec<i64> = day.sales.iter().map(|s| s.starts_at_ms).collect();
                    slots.dedup();
                    // Untracked: the list must not be rebuilt on every tick (cards keep their state).
                    let now = clock.now_ms_untracked();
                    let default = slots.iter().copied().find(|slot| {
                        day.sales.iter().filter(|s| s.starts_at_ms == *slot).any(|s| matches!(state_now(s, now), SaleState::Live | SaleState::Upcoming))
                    }).or(slots.first().copied());
                    let sales = StoredValue::new(day.sales.clone());
                    let current = move || selected.get().or(default);
                    reveal_selected_tab();
                    view! {
                        <div class="slot-tabs" role="tablist">
                            {slots.into_iter().map(|slot| {
                                let label = move || {
                                    let now = clock.now_ms();
                                    let states: Vec<SaleState> = sales.with_value(|all| all.iter().filter(|s| s.starts_at_ms == slot).map(|s| state_now(s, now)).collect());
                                    let state = if states.contains(&SaleState::Live) { SaleState::Live }
                                        else if states.contains(&SaleState::Upcoming) { SaleState::Upcoming }
                                        else if states.iter().all(|s| *s == SaleState::Ended) { SaleState::Ended }
                                        else { SaleState::SoldOut };
                                    lang.slot_state(state)
                                };
                                view! {
                                    <button role="tab" class="slot-tab" aria-selected=move || (current() == Some(slot)).to_string()
                                        on:click=move |_| { selected.set(Some(slot)); reveal_selected_tab(); }>
                                        <span class="slot-time num">{clock_label(slot, lang)}</span>
                                        <span class="slot-state">{label}</span>
                                    </button>
                                }
                            }).collect_view()}
                        </div>
                        <ul class="sale-list">
                            {move || sales.with_value(|all| all.iter().filter(|s| Some(s.starts_at_ms) == current()).cloned().collect::<Vec<_>>())
                                .into_iter().map(|sale| view! { <SaleCard sale on_change=Callback::new(move |_| resource.refetch()) /> }).collect_view()}
                        </ul>
                        {day.sales.is_empty().then(|| view! { <p class="list-end">{lang.t().no_sales}</p> })}
                    }.into_any()
                }
                Err(f) => view! { <ErrorState failure=f retry=Callback::new(move |_| resource.refetch()) /> }.into_any(),
            })}
            {move || resource.get().is_none().then(|| view! { <ListSkeleton rows=3 /> })}
        </section>
    }
}

/// One offer of a slot.
#[component]
pub fn SaleCard(sale: Sale, on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let clock = use_server_clock();
    let session = use_session();
    let toast = use_toast();
    let busy = RwSignal::new(false);
    let reminded = RwSignal::new(sale.reminded);
    let key = StoredValue::new(api::new_idempotency_key());
    let s = StoredValue::new(sale.clone());
    let state = Memo::new(move |_| s.with_value(|s| state_now(s, clock.now_ms())));
    let got_all = sale.mine >= sale.per_member_limit;
    let taken_pct = ((sale.quantity - sale.remaining) * 100 / sale.quantity.max(1)).clamp(0, 100);
    let id = sale.id;
    let act = move |_| {
        if busy.get_untracked() {
            return;
        }
        match state.get_untracked() {
            SaleState::Upcoming => {
                let on = !reminded.get_untracked();
                busy.set(true);
                spawn_local(async move {
                    match api::remind(id, on).await {
                        Ok(()) => {
                            reminded.try_set(on);
                            toast.show(if on { lang.t().remind_set } else { lang.t().remind_off });
                            on_change.run(());
                        }
                        Err(f) => toast.show(lang.failure(&f)),
                    }
                    busy.try_set(false);
                });
            }
            SaleState::Live => {
                busy.set(true);
                spawn_local(async move {
                    match api::grab(id, &key.get_value()).await {
                        Ok(g) => {
                            toast.show(lang.grabbed(&g.code.code));
                            session.refresh();
                            on_change.run(());
                        }
                        Err(f) => {
                            if f != api::ApiFailure::Offline {
                                key.try_set_value(api::new_idempotency_key());
                            }
                            toast.show(lang.failure(&f));
                            on_change.run(());
                        }
                    }
                    busy.try_set(false);
                });
            }
            _ => {}
        }
    };
    view! {
        <li class="sale-card" data-testid="sale-card" data-state=move || lang.state_key(state.get())>
            <img src=sale.image.clone() alt="" width="88" height="88" />
            <div class="sale-body">
                <h3 class="sale-name">{lang.pick(&sale.offer)}</h3>
                <p class="sale-merchant muted">{lang.pick(&sale.merchant)}</p>
                <p class="sale-price"><Price points=sale.points cash=None /></p>
                <div class="stock-bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=taken_pct aria-label=lang.taken(taken_pct)>
                    <span style=format!("width:{taken_pct}%")></span>
                </div>
                <p class="sale-meta">
                    <span>{lang.taken(taken_pct)}</span>
                    {move || match state.get() {
                        SaleState::Upcoming => view! { <span class="sale-when">{lang.t().starts_in}" "<Countdown target_ms=Signal::derive(move || s.with_value(|s| s.opens_at_ms)) /></span> }.into_any(),
                        SaleState::Live => view! { <span class="sale-when">{lang.t().ends_in}" "<Countdown target_ms=Signal::derive(move || s.with_value(|s| s.ends_at_ms)) /></span> }.into_any(),
                        _ => ().into_any(),
                    }}
                </p>
            </div>
            <button class="btn btn-primary btn-sm sale-btn" data-testid="sale-button"
                class:reminded=move || reminded.get()
                disabled=move || busy.get() || got_all || matches!(state.get(), SaleState::SoldOut | SaleState::Ended)
                on:click=act>
                {move || if got_all { lang.t().got_it.to_string() } else { lang.sale_button(state.get(), reminded.get()) }}
            </button>
        </li>
    }
}
