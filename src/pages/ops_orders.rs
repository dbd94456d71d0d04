//! The back office's order queue: status tabs and a search, a page at a time ("more"),
//! each order with its member, item and the address copy it keeps; ship (carrier and
//! tracking number), deliver, cancel with a reason (stock and points go back); the CSV
//! export of the current filter.

use leptos::{either::EitherOf3, prelude::*, task::spawn_local};
use mall_core::{
    dto::{OrderStatus, ShipTo},
    fulfilment::{AdminOrder, ShipRequest},
};

use crate::{
    api::{self, percent_encode, ApiFailure},
    components::{field::Field, price::Price, states::ListSkeleton},
    i18n::use_lang,
    pages::ops::OpsResult,
};

/// The tabs: every order, then by status.
const TABS: [Option<OrderStatus>; 6] = [
    None,
    Some(OrderStatus::Pending),
    Some(OrderStatus::Shipped),
    Some(OrderStatus::Delivered),
    Some(OrderStatus::Cancelled),
    Some(OrderStatus::Fulfilled),
];

/// What the ship form accepts (the server's rule).
pub fn check_ship(carrier: &str, tracking: &str) -> Option<ShipRequest> {
    let (carrier, tracking) = (carrier.trim(), tracking.trim());
    let ok = (1..=30).contains(&carrier.chars().count())
        && (4..=40).contains(&tracking.len())
        && tracking.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    ok.then(|| ShipRequest { carrier: carrier.to_string(), tracking_no: tracking.to_string() })
}

/// The queue.
#[component]
pub fn OrderQueue() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let status = RwSignal::new(None::<OrderStatus>);
    let q = RwSignal::new(String::new());
    // The search as last sent (the CSV link and "more" use it, not what is being typed).
    let sent_q = RwSignal::new(String::new());
    let orders = RwSignal::new(Vec::<AdminOrder>::new());
    let next = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let busy = RwSignal::new(false);
    // Answers of an older filter are dropped.
    let generation = StoredValue::new(0u32);
    let load = move |cursor: Option<String>| {
        let fresh = cursor.is_none();
        if fresh {
            generation.update_value(|g| *g += 1);
            loaded.set(false);
        }
        let this = generation.get_value();
        busy.set(true);
        let (s, text) = (status.get_untracked(), sent_q.get_untracked());
        spawn_local(async move {
            let answer = api::admin_orders(s, text, cursor).await;
            if generation.try_get_value() != Some(this) {
                return;
            }
            match answer {
                Ok(page) => {
                    if fresh {
                        orders.try_set(page.orders);
                    } else {
                        orders.try_update(|o| o.extend(page.orders));
                    }
                    next.try_set(page.next_cursor);
                    failure.try_set(None);
                }
                Err(f) => {
                    failure.try_set(Some(f));
                }
            }
            loaded.try_set(true);
            busy.try_set(false);
        });
    };
    load(None);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sent_q.set(q.get_untracked().trim().to_string());
        load(None);
    };
    let csv = move || {
        let params = api::admin_order_params(status.get(), &sent_q.get());
        let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={}", percent_encode(v))).collect();
        if query.is_empty() {
            "/api/admin/orders.csv".to_string()
        } else {
            format!("/api/admin/orders.csv?{}", query.join("&"))
        }
    };
    let changed = Callback::new(move |order: AdminOrder| {
        orders.update(|list| {
            if let Some(old) = list.iter_mut().find(|o| o.order.id == order.order.id) {
                *old = order;
            }
        })
    });
    view! {
        <section class="card ops-card" aria-labelledby="orders-heading" data-testid="ops-orders">
            <div class="card-head">
                <h2 class="card-heading" id="orders-heading">{p.ops_orders}</h2>
                <a class="btn btn-outline btn-sm" href=csv download="" data-testid="orders-csv">{p.orders_csv}</a>
            </div>
            <div class="chip-row status-tabs" role="group" aria-label=p.orders_status>
                {TABS.into_iter().map(|s| view! {
                    <button type="button" class="chip" aria-pressed=move || (status.get() == s).to_string()
                        data-testid=format!("orders-tab-{}", s.map_or("all", OrderStatus::as_str))
                        on:click=move |_| { status.set(s); load(None); }>
                        {s.map_or(lang.t().all, |s| lang.order_status(s))}
                    </button>
                }).collect_view()}
            </div>
            <form class="search-row" role="search" on:submit=search>
                <label class="field grow"><span>{p.orders_search}</span>
                    <input type="search" enterkeyhint="search" data-testid="orders-search" prop:value=q
                        on:input=move |ev| q.set(event_target_value(&ev)) />
                </label>
                <button class="btn btn-primary" type="submit" data-testid="orders-search-go" disabled=move || busy.get()>
                    {lang.t().search}
                </button>
            </form>
            {move || (!loaded.get()).then(|| view! { <ListSkeleton rows=3 /> })}
            {move || (loaded.get() && orders.with(Vec::is_empty) && failure.with(Option::is_none))
                .then(|| view! { <p class="muted ops-empty" role="status">{p.orders_none}</p> })}
            <ol class="order-queue" data-testid="order-queue" class:stale=move || !loaded.get()>
                <For each=move || orders.get() key=|o| (o.order.id, o.order.status) let:o>
                    <QueuedOrder o changed />
                </For>
            </ol>
            {move || failure.get().map(|f| view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> })}
            {move || next.get().filter(|_| loaded.get()).map(|cursor| view! {
                <button class="btn btn-outline btn-block" data-testid="orders-more" disabled=move || busy.get()
                    on:click=move |_| load(Some(cursor.clone()))>{p.load_more}</button>
            })}
        </section>
    }
}

/// `林晓雨 138 0013 8000 · 上海市 静安区 南京西路 1266 号`.
pub fn address_line(to: &ShipTo) -> String {
    format!("{} {} · {} {}", to.name, to.phone, to.region, to.detail)
}

/// What the order's card is asking for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asking {
    Nothing,
    Ship,
    Cancel,
}

/// One order of the queue with what can be done to it.
#[component]
fn QueuedOrder(o: AdminOrder, changed: Callback<AdminOrder>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let order = o.order.clone();
    let id = order.id;
    let status = order.status;
    let asking = RwSignal::new(Asking::Nothing);
    let result = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let carrier = RwSignal::new(String::new());
    let tracking = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let run = move |action: Asking| {
        let request = match action {
            Asking::Ship => match check_ship(&carrier.get_untracked(), &tracking.get_untracked()) {
                Some(r) => Some(r),
                None => {
                    result.set(Some(Err(lang.p().order_bad_ship.to_string())));
                    return;
                }
            },
            _ => None,
        };
        let why = reason.get_untracked().trim().to_string();
        if action == Asking::Cancel && why.is_empty() {
            result.set(Some(Err(lang.p().ops_need_reason.to_string())));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let answer = match (action, request) {
                (Asking::Ship, Some(r)) => api::admin_ship(id, &r).await,
                (Asking::Cancel, _) => api::admin_cancel_order(id, why).await,
                _ => api::admin_deliver(id).await,
            };
            busy.try_set(false);
            match answer {
                Ok(updated) => changed.run(updated),
                Err(f) => {
                    result.try_set(Some(Err(lang.staff_failure(&f))));
                }
            }
        });
    };
    let can_cancel = matches!(status, OrderStatus::Pending | OrderStatus::Shipped);
    view! {
        <li class="queued-order" data-testid="queued-order" data-id=id.to_string() data-state=status.as_str()>
            <img src=order.image.clone() alt="" width="48" height="48" />
            <div class="queued-main">
                <p class="row-title">"#"{id}" "{lang.pick(&order.item_name)}" ×"{order.quantity}</p>
                <p class="row-sub">
                    <span>{p.order_member}" "{lang.pick(&o.member_name)}" #"{o.member_id}</span>
                    <span class="muted nowrap">" · "{lang.when(&order.created_at)}</span>
                </p>
                <p class="row-sub"><Price points=order.points cash=order.cash /></p>
            </div>
            <span class="status-pill queued-status" data-status=status.as_str()>{lang.order_status(status)}</span>
            <dl class="queued-facts">
                {order.ship_to.as_ref().map(|to| view! {
                    <div><dt>{p.order_ship_to}</dt><dd data-testid="queued-address">{address_line(to)}</dd></div>
                })}
                {order.carrier.clone().zip(order.tracking_no.clone()).map(|(c, t)| view! {
                    <div><dt>{p.order_tracking}</dt><dd data-testid="queued-tracking">{c}" · "{t}</dd></div>
                })}
                {order.cancel_reason.clone().map(|r| view! {
                    <div><dt>{p.order_cancel_reason}</dt><dd>{r}</dd></div>
                })}
            </dl>
            <div class="queued-actions">
                <OpsResult result testid="queued-result" />
                {move || match asking.get() {
                    Asking::Ship => EitherOf3::A(view! {
                        <form class="queued-form" on:submit=move |ev| { ev.prevent_default(); run(Asking::Ship); }>
                            <div class="field-row">
                                <Field label=p.order_carrier value=carrier testid="ship-carrier" maxlength=30 placeholder="顺丰速运" />
                                <Field label=p.order_tracking value=tracking testid="ship-tracking" maxlength=40 />
                            </div>
                            <div class="btn-row">
                                <button type="button" class="btn btn-light" on:click=move |_| asking.set(Asking::Nothing)>{lang.t().cancel}</button>
                                <button type="submit" class="btn btn-primary" data-testid="ship-confirm" disabled=move || busy.get()>{p.order_ship}</button>
                            </div>
                        </form>
                    }),
                    Asking::Cancel => EitherOf3::B(view! {
                        <form class="queued-form confirm-box" on:submit=move |ev| { ev.prevent_default(); run(Asking::Cancel); }>
                            <Field label=p.order_cancel_reason value=reason testid="cancel-reason" maxlength=200 />
                            <div class="btn-row">
                                <button type="button" class="btn btn-light" on:click=move |_| asking.set(Asking::Nothing)>{p.ops_keep}</button>
                                <button type="submit" class="btn btn-danger" data-testid="cancel-confirm" disabled=move || busy.get()>{p.order_cancel_confirm}</button>
                            </div>
                        </form>
                    }),
                    Asking::Nothing => EitherOf3::C(view! {
                        <div class="btn-row">
                            {(status == OrderStatus::Pending).then(|| view! {
                                <button type="button" class="btn btn-primary btn-sm" data-testid="order-ship" on:click=move |_| asking.set(Asking::Ship)>{p.order_ship}</button>
                            })}
                            {(status == OrderStatus::Shipped).then(|| view! {
                                <button type="button" class="btn btn-primary btn-sm" data-testid="order-deliver" disabled=move || busy.get()
                                    on:click=move |_| run(Asking::Nothing)>{p.order_deliver}</button>
                            })}
                            {can_cancel.then(|| view! {
                                <button type="button" class="btn btn-danger-outline btn-sm" data-testid="order-cancel" on:click=move |_| asking.set(Asking::Cancel)>{p.order_cancel}</button>
                            })}
                        </div>
                    }),
                }}
            </div>
        </li>
    }
}
