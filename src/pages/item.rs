//! An item: image, price, name, stock and limits, tier lock, description and specs,
//! a sticky redeem bar (disabled, with the reason, when the item cannot be redeemed:
//! tier, stock, limit, balance, or a cash part the shop cannot take), the confirmation
//! sheet and the result.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use mall_core::{
    catalog::{quote, ItemKind, MAX_ORDER_QUANTITY},
    dto::{ItemDetail, Order, OrderStatus, RedeemRequest},
    format::group_thousands,
    ErrorCode,
};

use crate::{
    api,
    components::{
        icons::{Icon, IconKind},
        price::Price,
        sheet::Sheet,
        states::ErrorState,
    },
    i18n::use_lang,
    intent::Intent,
    pages::{
        addresses::AddressChoice,
        order::{go_pay, pay_intent},
    },
    session::use_session,
    title::{set_page_title, set_title_text},
};

/// Goes back in the app's history, or to the catalogue when the page was opened directly.
fn go_back() {
    let Some(window) = web_sys::window() else { return };
    let has_history = window.history().ok().and_then(|h| h.length().ok()).is_some_and(|n| n > 1);
    if has_history {
        let _ = window.history().and_then(|h| h.back());
    } else {
        let navigate = leptos_router::hooks::use_navigate();
        navigate("/catalog", Default::default());
    }
}

/// The entry of `/items/:id`, `/addresses` and `/orders/{id}`: the page for the path it
/// opened on (the app mounts it again for another first segment).
#[component]
pub fn ItemPages() -> impl IntoView {
    use leptos::either::EitherOf3;
    match use_location().pathname.get_untracked().as_str() {
        "/addresses" => EitherOf3::A(view! { <crate::pages::addresses::AddressBook /> }),
        p if p.starts_with("/orders/") => EitherOf3::B(view! { <crate::pages::order::OrderPage /> }),
        _ => EitherOf3::C(view! { <ItemPage /> }),
    }
}

/// The item page (`/items/:id`).
#[component]
pub fn ItemPage() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    // The id in the path; a path that is not an item's (the page is leaving) keeps the last.
    let id = Memo::new(move |last: Option<&i64>| {
        location.pathname.with(|path| path.strip_prefix("/items/").and_then(|id| id.parse().ok())).unwrap_or(last.copied().unwrap_or(0))
    });
    let item = LocalResource::new(move || api::item(id.get()));
    set_page_title(|l| l.t().tab_catalog.to_string());
    Effect::new(move |_| {
        if let Some(Ok(d)) = item.get() {
            set_title_text(&lang.pick(&d.summary.name));
        }
    });

    view! {
        <section class="page item-page">
            <button class="back-btn" on:click=move |_| go_back() aria-label=lang.t().back data-testid="back">
                <Icon kind=IconKind::Back />
            </button>
            <Suspense fallback=|| view! { <ItemSkeleton /> }>
                {move || item.get().map(|r| match r {
                    Ok(detail) => view! { <ItemView detail on_changed=Callback::new(move |_| item.refetch()) /> }.into_any(),
                    Err(f) => view! { <ErrorState failure=f retry=Callback::new(move |_| item.refetch()) /> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ItemSkeleton() -> impl IntoView {
    view! {
        <div class="item-media skeleton"></div>
        <div class="item-info">
            <div class="skeleton line"></div>
            <div class="skeleton line short"></div>
        </div>
    }
}

#[component]
fn ItemView(detail: ItemDetail, on_changed: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let sheet_open = RwSignal::new(false);
    let d = StoredValue::new(detail);
    let s = d.with_value(|d| d.summary.clone());
    let name = s.name.clone();
    let alt = s.name.clone();
    let left_for_me = d.with_value(|d| d.per_member_limit - d.redeemed_by_me);
    let balance = move || session.me.get().map(|m| m.balance).unwrap_or(0);
    let blocker = move || -> Option<String> {
        let l = lang;
        let t = l.t();
        d.with_value(|d| {
            if d.cash_unavailable {
                // Shown, never redeemable: the shop has no way to take its cash part.
                Some(l.p().item_cash_unavailable.to_string())
            } else if d.tier_locked {
                d.summary.min_tier.map(|tier| l.tier_only(tier))
            } else if d.summary.stock == 0 {
                Some(t.sold_out.to_string())
            } else if left_for_me <= 0 {
                l.page_refusal(ErrorCode::LimitReached, &Default::default())
            } else if balance() < d.summary.points {
                Some(l.short_by(d.summary.points - balance()))
            } else {
                None
            }
        })
    };

    view! {
        <div class="item-media">
            <img src=s.image.clone() alt=lang.pick(&alt) width="240" height="240" />
        </div>
        <div class="item-info">
            <div class="price-row">
                <Price points=s.points cash=s.cash class="price-lg" />
                {s.min_tier.map(|t| view! { <span class="badge tier-badge">{lang.tier_only(t)}</span> })}
            </div>
            <h1 class="item-name" data-testid="item-name">{lang.pick(&name)}</h1>
            <p class="item-meta">
                <span class="kind-pill">{move || if s.kind == ItemKind::Virtual { lang.p().virtual_item } else { lang.p().physical }}</span>
                <span data-testid="stock">{move || if s.stock == 0 { lang.t().sold_out.to_string() } else { lang.stock_left(s.stock) }}</span>
                <span>{lang.redeemed_count(s.redeemed)}</span>
            </p>
            <p class="item-limit">{move || d.with_value(|d| lang.limit_line(d.per_member_limit, d.redeemed_by_me))}</p>
        </div>
        <div class="item-section">
            <h2>{lang.p().description}</h2>
            <p>{move || d.with_value(|d| lang.pick(&d.description))}</p>
        </div>
        <div class="item-section">
            <h2>{lang.p().specs}</h2>
            <dl class="specs">
                {d.with_value(|d| d.specs.clone()).into_iter().map(|spec| {
                    let (label, value) = (spec.label.clone(), spec.value.clone());
                    view! { <dt>{lang.pick(&label)}</dt><dd>{lang.pick(&value)}</dd> }
                }).collect_view()}
            </dl>
        </div>
        <div class="buy-bar">
            <div class="buy-bar-price">
                <Price points=s.points cash=s.cash />
                {move || blocker().map(|b| view! { <span class="buy-bar-note" data-testid="blocker">{b}</span> })}
            </div>
            <button class="btn btn-primary" data-testid="redeem" disabled=move || blocker().is_some()
                on:click=move |_| sheet_open.set(true)>
                {lang.p().redeem_now}
            </button>
        </div>
        {move || sheet_open.get().then(|| view! {
            <RedeemSheet detail=d.get_value() max=left_for_me.min(s.stock).min(MAX_ORDER_QUANTITY)
                on_close=Callback::new(move |_| { sheet_open.set(false); on_changed.run(()); }) />
        })}
    }
}

/// What the sheet is showing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Confirm,
    /// The order awaits its cash part: on the way to the host's checkout.
    Paying,
    Done,
    Failed,
}

#[component]
fn RedeemSheet(detail: ItemDetail, max: i64, on_close: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let quantity = RwSignal::new(1i64);
    // The order once made; a failure is the intent's (cleared by "retry").
    let done = RwSignal::new(None::<Order>);
    // A retry of the same order after a network failure sends the same key.
    let redeem = Intent::new(|req: RedeemRequest, key: String| async move { api::redeem(&req, &key).await });
    // An order with a cash part: its payment request, then the host's checkout.
    let pay = pay_intent();
    // Posted to a framing host page (the app stays): the member pays there.
    let posted = RwSignal::new(false);
    let start_pay = move |id: i64| pay.dispatch(id, move |start| _ = posted.try_set(go_pay(&start)));
    let awaiting = move || done.with(|o| o.as_ref().map(|o| o.status == OrderStatus::AwaitingPayment));
    let step = Memo::new(move |_| match (awaiting(), redeem.failure().is_some()) {
        (Some(true), _) => Step::Paying,
        (Some(false), _) => Step::Done,
        (None, true) => Step::Failed,
        (None, false) => Step::Confirm,
    });
    let item = StoredValue::new(detail);
    let balance = move || session.me.get().map(|m| m.balance).unwrap_or(0);
    let price = move || item.with_value(|d| quote(d.summary.points, d.summary.cash, quantity.get(), balance()));
    // Goods ship to an address of the member's book.
    let physical = item.with_value(|d| d.summary.kind == ItemKind::Physical);
    let ship_to = RwSignal::new(None::<i64>);
    let cash = item.with_value(|d| d.summary.cash.is_some());

    let submit = move || {
        let req = RedeemRequest {
            item_id: item.with_value(|d| d.summary.id),
            quantity: quantity.get_untracked(),
            address_id: physical.then(|| ship_to.get_untracked()).flatten(),
        };
        // The sheet may be closed while the request runs: `try_` writes skip disposed signals.
        redeem.dispatch_then(req, move |outcome| {
            if let Ok(order) = outcome {
                let (id, awaiting) = (order.id, order.status == OrderStatus::AwaitingPayment);
                done.try_set(Some(order));
                if awaiting {
                    start_pay(id);
                }
            }
            session.refresh();
        });
    };
    let title = Signal::derive(move || {
        let p = lang.p();
        match step.get() {
            Step::Done => p.redeem_ok.to_string(),
            Step::Paying => p.pay_now.to_string(),
            Step::Failed => p.redeem_failed.to_string(),
            Step::Confirm => p.confirm_redeem.to_string(),
        }
    });

    view! {
        <Sheet title on_close>
            {move || match step.get() {
                Step::Confirm => {
                    let sending = move || redeem.pending();
                    view! {
                        <div class="sheet-body" data-testid="redeem-sheet">
                            <div class="stepper-row">
                                <span>{lang.p().quantity}</span>
                                <div class="stepper">
                                    <button aria-label=lang.p().fewer disabled={move || quantity.get() <= 1}
                                        on:click=move |_| quantity.update(|q| *q = (*q - 1).max(1))>"−"</button>
                                    <output class="num" aria-live="polite">{move || quantity.get()}</output>
                                    <button aria-label=lang.p().more disabled={move || quantity.get() >= max}
                                        on:click=move |_| quantity.update(|q| *q = (*q + 1).min(max))>"+"</button>
                                </div>
                            </div>
                            {physical.then(|| view! { <AddressChoice chosen=ship_to /> })}
                            {move || price().map(|p| view! {
                                <dl class="summary">
                                    <dt>{lang.p().total}</dt>
                                    <dd><Price points=p.points cash=p.cash /></dd>
                                    <dt>{lang.p().balance_now}</dt>
                                    <dd class="num">{lang.points(balance())}</dd>
                                    <dt>{lang.p().balance_after}</dt>
                                    <dd class="num strong" class:danger={p.balance_after < 0} data-testid="balance-after">
                                        {if p.balance_after < 0 { lang.short_by(-p.balance_after) } else { lang.points(p.balance_after) }}
                                    </dd>
                                </dl>
                            })}
                            {cash.then(|| view! { <p class="sheet-note" data-testid="cash-note">{lang.p().cash_via_host}</p> })}
                            <button class="btn btn-primary btn-block" data-testid="confirm-redeem"
                                disabled={move || sending() || price().is_none_or(|p| p.balance_after < 0) || (physical && ship_to.get().is_none())}
                                on:click=move |_| submit()>
                                {move || if sending() { lang.t().loading } else if cash { lang.p().confirm_pay } else { lang.p().confirm }}
                            </button>
                        </div>
                    }.into_any()
                }
                Step::Done => {
                    let Some(order) = done.get_untracked() else { return ().into_any() };
                    let next = if order.code.is_some() { lang.p().virtual_next } else { lang.p().physical_next };
                    view! {
                        <div class="sheet-body result ok" data-testid="redeem-success" role="status">
                            <div class="result-icon" aria-hidden="true">"✓"</div>
                            <p>{next}</p>
                            {order.code.clone().map(|c| view! {
                                <p class="code-box"><span>{lang.p().your_code}</span><code data-testid="order-code">{c}</code></p>
                            })}
                            <p class="muted num">{lang.p().balance_after} " " {group_thousands(order.balance_after)}</p>
                            <div class="btn-row">
                                <a class="btn btn-outline" href="/history">{lang.p().see_history}</a>
                                <button class="btn btn-primary" on:click=move |_| on_close.run(())>{lang.p().keep_shopping}</button>
                            </div>
                        </div>
                    }.into_any()
                }
                Step::Paying => {
                    let Some(id) = done.with_untracked(|o| o.as_ref().map(|o| o.id)) else { return ().into_any() };
                    view! {
                        <div class="sheet-body result" data-testid="redeem-paying">
                            {move || match pay.error() {
                                Some(e) => view! { <p role="alert" data-testid="pay-error">{e}</p> }.into_any(),
                                None if posted.get() => view! { <p role="status" data-testid="pay-posted">{lang.p().pay_posted}</p> }.into_any(),
                                None => view! { <p role="status">{lang.p().going_to_pay}</p> }.into_any(),
                            }}
                            <p class="muted">{lang.p().cash_via_host}</p>
                            <div class="btn-row">
                                <a class="btn btn-outline" href=format!("/orders/{id}") data-testid="see-order">{lang.p().see_order}</a>
                                <button class="btn btn-primary" data-testid="sheet-pay" disabled=move || pay.pending()
                                    on:click=move |_| start_pay(id)>
                                    {move || if pay.pending() { lang.t().loading } else { lang.p().pay_now }}
                                </button>
                            </div>
                        </div>
                    }.into_any()
                }
                Step::Failed => view! {
                    <div class="sheet-body result fail" data-testid="redeem-failure" role="alert">
                        <div class="result-icon" aria-hidden="true">"!"</div>
                        <p>{move || redeem.error()}</p>
                        <div class="btn-row">
                            <button class="btn btn-outline" on:click=move |_| on_close.run(())>{lang.p().close}</button>
                            <button class="btn btn-primary" on:click=move |_| redeem.clear()>{lang.t().retry}</button>
                        </div>
                    </div>
                }.into_any(),
            }}
        </Sheet>
    }
}
