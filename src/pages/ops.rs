//! A small operator page (`/ops`): adjust a member's points with a reason, ship or deliver
//! a physical order, and schedule flash sales in daily slots. Needs the operator token; it
//! is kept for this tab only.

use leptos::{prelude::*, task::spawn_local};
use mall_core::{
    dto::OrderStatus,
    earning::{Adjustment, OrderStatusChange},
};

use crate::{
    api,
    components::{
        field::Field,
        staff_token::{remember_staff_token, use_staff_token, TokenField},
    },
    i18n::use_lang,
    pages::ops_sales::ScheduleSales,
    title::set_page_title,
};

const TOKEN_KEY: &str = "mall.operator";

/// The operator page.
#[component]
pub fn Ops() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    set_page_title(|l| l.p().ops_title.to_string());
    let token = use_staff_token(TOKEN_KEY);
    let member = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let order = RwSignal::new(String::new());
    let result = RwSignal::new(None::<String>);
    let key = StoredValue::new(api::new_idempotency_key());

    let adjust = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(member_id), Ok(amount)) = (member.get_untracked().trim().parse::<i64>(), amount.get_untracked().trim().parse::<i64>())
        else {
            result.set(Some(lang.p().ops_bad_number.to_string()));
            return;
        };
        let tok = token.get_untracked();
        remember_staff_token(TOKEN_KEY, &tok);
        let body = Adjustment { member_id, amount, reason: reason.get_untracked() };
        spawn_local(async move {
            let message = match api::admin_adjust(&tok, &body, &key.get_value()).await {
                Ok(award) => {
                    key.try_set_value(api::new_idempotency_key());
                    lang.ops_adjusted(member_id, award.awarded, award.balance)
                }
                Err(f) => lang.failure(&f),
            };
            result.try_set(Some(message));
        });
    };
    let move_order = move |status: OrderStatus| {
        let Ok(id) = order.get_untracked().trim().parse::<i64>() else {
            result.set(Some(lang.p().ops_bad_number.to_string()));
            return;
        };
        let tok = token.get_untracked();
        spawn_local(async move {
            let message = match api::admin_order_status(&tok, id, &OrderStatusChange { status }).await {
                Ok(()) => format!("#{id} → {}", lang.order_status(status)),
                Err(f) => lang.failure(&f),
            };
            result.try_set(Some(message));
        });
    };

    view! {
        <section class="page ops">
            <h1 class="page-title">{p.ops_title}</h1>
            <TokenField token label=p.ops_token testid="ops-token" />
            <form class="card ops-card" on:submit=adjust>
                <h2 class="card-heading">{p.ops_adjust}</h2>
                <Field label=p.ops_member value=member testid="ops-member" kind="number" />
                <Field label=p.ops_amount value=amount testid="ops-amount" kind="number" placeholder="+100 / -50" />
                <Field label=p.ops_reason value=reason testid="ops-reason" maxlength=100 />
                <button class="btn btn-primary btn-block" type="submit" data-testid="ops-adjust">{p.ops_apply}</button>
            </form>
            <div class="card ops-card">
                <h2 class="card-heading">{p.ops_orders}</h2>
                <Field label=p.ops_order_id value=order testid="ops-order" kind="number" />
                <div class="btn-row">
                    <button class="btn btn-outline" on:click=move |_| move_order(OrderStatus::Shipped)>{lang.order_status(OrderStatus::Shipped)}</button>
                    <button class="btn btn-outline" on:click=move |_| move_order(OrderStatus::Delivered)>{lang.order_status(OrderStatus::Delivered)}</button>
                </div>
            </div>
            <ScheduleSales token token_key=TOKEN_KEY />
            {move || result.get().map(|r| view! { <p class="ops-result" role="status" data-testid="ops-result">{r}</p> })}
        </section>
    }
}
