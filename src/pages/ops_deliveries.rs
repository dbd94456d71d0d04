//! The webhooks to the host in the back office (通知投递): the deliveries by state
//! (pending, failed, delivered), each with its event, member, attempts, the host's last
//! answer and the next attempt; a failed or delivered one can be sent again (audited).
//! Without `HOST_WEBHOOK_URL` nothing is sent, and the page says so by its empty lists.

use leptos::prelude::*;
use mall_core::webhook::{AdminDelivery, DeliveryState, EventType};

use crate::{
    api,
    components::{
        paged::{Paged, PagedView},
        states::ListSkeleton,
    },
    i18n::use_lang,
    intent::Intent,
    pages::ops::{answer, OpsResult},
};

/// The tabs, in the order an operator looks.
const TABS: [DeliveryState; 3] = [DeliveryState::Pending, DeliveryState::Failed, DeliveryState::Delivered];

/// The deliveries section.
#[component]
pub fn DeliveriesSection() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let state = RwSignal::new(DeliveryState::Pending);
    let paged = Paged::<AdminDelivery>::new();
    let load_more = move || {
        let s = state.get_untracked();
        paged
            .load_more(move |cursor| async move { api::admin_deliveries(s, cursor).await.map(|page| (page.deliveries, page.next_cursor)) });
    };
    let reload = move || {
        paged.reset();
        load_more();
    };
    reload();
    // A resent delivery is pending again: it leaves the tab it was in.
    let resent = Callback::new(move |d: AdminDelivery| paged.items.update(|list| list.retain(|o| o.id != d.id || o.state == d.state)));
    view! {
        <section class="card ops-card" aria-labelledby="deliveries-heading" data-testid="ops-deliveries">
            <h2 class="card-heading" id="deliveries-heading">{p.ops_deliveries}</h2>
            <p class="muted staff-note">{p.deliveries_note}</p>
            <div class="chip-row status-tabs" role="group" aria-label=p.deliveries_state>
                {TABS.into_iter().map(|s| view! {
                    <button type="button" class="chip" aria-pressed=move || (state.get() == s).to_string()
                        data-testid=format!("deliveries-tab-{}", s.as_str())
                        on:click=move |_| { state.set(s); reload(); }>
                        {delivery_state(lang, s)}
                    </button>
                }).collect_view()}
            </div>
            <PagedView paged load_more=Callback::new(move |_| load_more())
                skeleton=|| view! { <ListSkeleton rows=3 /> }
                empty=move || view! { <p class="muted ops-empty" role="status">{p.deliveries_none}</p> }>
                <ul class="list ops-list" data-testid="delivery-rows">
                    <For each=move || paged.items.get() key=|d| (d.id, d.state.as_str(), d.attempts) let:d>
                        <DeliveryRow d resent />
                    </For>
                </ul>
            </PagedView>
        </section>
    }
}

/// A state's name.
fn delivery_state(lang: crate::i18n::Lang, state: DeliveryState) -> &'static str {
    let p = lang.p();
    match state {
        DeliveryState::Pending => p.delivery_pending,
        DeliveryState::Failed => p.delivery_failed,
        DeliveryState::Delivered => p.delivery_delivered,
    }
}

/// An event type's name.
fn event_name(lang: crate::i18n::Lang, kind: EventType) -> &'static str {
    let p = lang.p();
    match kind {
        EventType::PointsArrived => p.event_points_arrived,
        EventType::PointsExpiring => p.event_points_expiring,
        EventType::OrderShipped => p.event_order_shipped,
        EventType::SaleOpening => p.event_sale_opening,
        EventType::TierUp => p.event_tier_up,
        EventType::CodeVerified => p.event_code_verified,
        EventType::CashRefundDue => p.event_cash_refund_due,
    }
}

/// One delivery, and "send again" when it is no longer pending.
#[component]
fn DeliveryRow(d: AdminDelivery, resent: Callback<AdminDelivery>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = d.id;
    let said = RwSignal::new(None::<Result<String, String>>);
    let resend = Intent::new(move |_: (), key: String| async move { api::admin_resend_delivery(id, &key).await });
    let result = answer(said, resend, move |f| lang.staff_failure(f));
    let last = match (d.last_status, d.last_answer.clone()) {
        (Some(status), Some(answer)) => Some(format!("HTTP {status} · {answer}")),
        (Some(status), None) => Some(format!("HTTP {status}")),
        (None, Some(answer)) => Some(answer),
        (None, None) => None,
    };
    view! {
        <li class="row delivery-row" data-testid="delivery-row" data-id=id.to_string() data-state=d.state.as_str() data-type=d.kind.as_str()>
            <div class="grow">
                <span class="row-title">"#"{id}" "{event_name(lang, d.kind)}" · "{p.order_member}" #"{d.member_id}</span>
                <span class="row-sub muted">{lang.when(&d.created_at)}" · "{lang.delivery_attempts(d.attempts)}
                    {d.next_attempt_at.as_ref().map(|at| format!(" · {} {}", p.delivery_next, lang.when(at)))}
                    {d.delivered_at.as_ref().map(|at| format!(" · {} {}", p.delivery_delivered, lang.when(at)))}
                </span>
                {last.map(|l| view! { <span class="row-sub delivery-answer" data-testid="delivery-answer">{p.delivery_last}" "{l}</span> })}
                <OpsResult result testid="delivery-result" />
            </div>
            {(d.state != DeliveryState::Pending).then(|| view! {
                <button type="button" class="btn btn-outline btn-sm" data-testid="delivery-resend" disabled=move || resend.pending()
                    on:click=move |_| { said.set(None); resend.dispatch((), move |d| resent.run(d)); }>
                    {p.delivery_resend}
                </button>
            })}
        </li>
    }
}
