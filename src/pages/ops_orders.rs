//! The back office's order queue: status tabs and a search, a page at a time as it scrolls,
//! each order with its member, item and the address copy it keeps; ship (carrier and
//! tracking number), deliver, cancel with a reason (stock and points go back); the CSV
//! export of the current filter.

use leptos::{either::EitherOf3, prelude::*};
use mall_core::{
    dto::{OrderStatus, ShipTo},
    fulfilment::{AdminOrder, ShipRequest},
};

use crate::{
    api::{self, percent_encode},
    components::{
        field::Field,
        paged::{PageState, Paged, PagedView},
        price::Price,
        states::ListSkeleton,
    },
    i18n::use_lang,
    intent::Intent,
    pages::ops::{answer, OpsResult},
};

/// The tabs: every order, then by status.
const TABS: [Option<OrderStatus>; 8] = [
    None,
    Some(OrderStatus::AwaitingPayment),
    Some(OrderStatus::Pending),
    Some(OrderStatus::Shipped),
    Some(OrderStatus::Delivered),
    Some(OrderStatus::Cancelled),
    Some(OrderStatus::Fulfilled),
    Some(OrderStatus::Lapsed),
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
    // The search as last sent (the CSV link and the next pages use it, not what is being typed).
    let sent_q = RwSignal::new(String::new());
    let paged = Paged::<AdminOrder>::new();
    let load_more = move || {
        let (s, text) = (status.get_untracked(), sent_q.get_untracked());
        paged.load_more(move |cursor| async move { api::admin_orders(s, text, cursor).await.map(|page| (page.orders, page.next_cursor)) });
    };
    // A new filter starts again from the first page (answers of the old one are dropped).
    let reload = move || {
        paged.reset();
        load_more();
    };
    reload();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sent_q.set(q.get_untracked().trim().to_string());
        reload();
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
        paged.items.update(|list| {
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
                        on:click=move |_| { status.set(s); reload(); }>
                        {s.map_or(lang.t().all, |s| lang.order_status(s))}
                    </button>
                }).collect_view()}
            </div>
            <form class="search-row" role="search" on:submit=search>
                <label class="field grow"><span>{p.orders_search}</span>
                    <input type="search" enterkeyhint="search" data-testid="orders-search" prop:value=q
                        on:input=move |ev| q.set(event_target_value(&ev)) />
                </label>
                <button class="btn btn-primary" type="submit" data-testid="orders-search-go"
                    disabled=move || paged.state.get() == PageState::Loading>
                    {lang.t().search}
                </button>
            </form>
            <PagedView paged load_more=Callback::new(move |_| load_more())
                skeleton=|| view! { <ListSkeleton rows=3 /> }
                empty=move || view! { <p class="muted ops-empty" role="status">{p.orders_none}</p> }>
                <ol class="order-queue" data-testid="order-queue">
                    <For each=move || paged.items.get() key=|o| (o.order.id, o.order.status) let:o>
                        <QueuedOrder o changed />
                    </For>
                </ol>
            </PagedView>
        </section>
    }
}

/// `林晓雨 138 0013 8000 · 上海市 静安区 南京西路 1266 号`.
pub fn address_line(to: &ShipTo) -> String {
    format!("{} {} · {} {}", to.name, to.phone, to.region, to.detail)
}

/// What is done to an order.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Act {
    Ship(ShipRequest),
    Deliver,
    Cancel(String),
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
    let said = RwSignal::new(None::<Result<String, String>>);
    let act = Intent::new(move |act: Act, _key: String| async move {
        match act {
            Act::Ship(r) => api::admin_ship(id, &r).await,
            Act::Deliver => api::admin_deliver(id).await,
            Act::Cancel(why) => api::admin_cancel_order(id, why).await,
        }
    });
    let result = answer(said, act, move |f| lang.staff_failure(f));
    let pending = move || act.pending();
    let carrier = RwSignal::new(String::new());
    let tracking = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let run = move |asked: Asking| {
        let request = match asked {
            Asking::Ship => match check_ship(&carrier.get_untracked(), &tracking.get_untracked()) {
                Some(r) => Act::Ship(r),
                None => {
                    said.set(Some(Err(lang.p().order_bad_ship.to_string())));
                    return;
                }
            },
            Asking::Cancel => {
                let why = reason.get_untracked().trim().to_string();
                if why.is_empty() {
                    said.set(Some(Err(lang.p().ops_need_reason.to_string())));
                    return;
                }
                Act::Cancel(why)
            }
            Asking::Nothing => Act::Deliver,
        };
        said.set(None);
        act.dispatch(request, move |updated| changed.run(updated));
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
                {o.cash_paid.map(|c| view! {
                    <div><dt>{p.order_cash_paid}</dt><dd data-testid="queued-cash-paid">"¥"{c.to_string()}" · "{o.payment_id.clone()}</dd></div>
                })}
                {o.cash_refund_due.map(|c| view! {
                    <div class="due"><dt>{p.cash_refund_due}</dt><dd data-testid="queued-cash-refund-due">"¥"{c.to_string()}</dd></div>
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
                                <button type="submit" class="btn btn-primary" data-testid="ship-confirm" disabled=pending>{p.order_ship}</button>
                            </div>
                        </form>
                    }),
                    Asking::Cancel => EitherOf3::B(view! {
                        <form class="queued-form confirm-box" on:submit=move |ev| { ev.prevent_default(); run(Asking::Cancel); }>
                            <Field label=p.order_cancel_reason value=reason testid="cancel-reason" maxlength=200 />
                            <div class="btn-row">
                                <button type="button" class="btn btn-light" on:click=move |_| asking.set(Asking::Nothing)>{p.ops_keep}</button>
                                <button type="submit" class="btn btn-danger" data-testid="cancel-confirm" disabled=pending>{p.order_cancel_confirm}</button>
                            </div>
                        </form>
                    }),
                    Asking::Nothing => EitherOf3::C(view! {
                        <div class="btn-row">
                            {(status == OrderStatus::Pending).then(|| view! {
                                <button type="button" class="btn btn-primary btn-sm" data-testid="order-ship" on:click=move |_| asking.set(Asking::Ship)>{p.order_ship}</button>
                            })}
                            {(status == OrderStatus::Shipped).then(|| view! {
                                <button type="button" class="btn btn-primary btn-sm" data-testid="order-deliver" disabled=pending
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
