//! Me: the tier card with growth progress, orders, the language switch and logout.

use leptos::{prelude::*, task::spawn_local};
use mall_core::{dto::Order, format::group_thousands};

use crate::{
    api,
    components::{
        paged::{PagedView, Paged},
        price::Price,
        states::{Empty, ListSkeleton},
    },
    i18n::{use_lang, use_lang_switch, Lang},
    session::{use_session, Auth},
    title::set_page_title,
};

/// The Me page.
#[component]
pub fn MePage() -> impl IntoView {
    let lang = use_lang();
    let switch = use_lang_switch();
    let session = use_session();
    set_page_title(|l| l.t().me_title.to_string());
    let orders = Paged::<Order>::new();
    let load_more = move || orders.load_more(|cursor| async move { api::orders(cursor).await.map(|p| (p.orders, p.next_cursor)) });
    load_more();
    let logout = move |_| {
        spawn_local(async move {
            let _ = api::logout().await;
            session.me.set(None);
            session.auth.set(Auth::Out);
        });
    };

    view! {
        <section class="page me">
            {move || session.me.get().map(|me| {
                let l = lang;
                let (progress, next_line) = match &me.next_tier {
                    Some(next) => {
                        let span = (next.growth_from - me.tier_growth_from).max(1);
                        let pct = ((me.growth - me.tier_growth_from) * 100 / span).clamp(0, 100);
                        (pct, l.to_next_tier(next.tier, next.growth_from - me.growth))
                    }
                    None => (100, l.t().top_tier.to_string()),
                };
                view! {
                    <div class="tier-card" data-tier=me.tier.as_str()>
                        <p class="tier-card-name">{l.pick(&me.name)}</p>
                        <p class="tier-card-tier">{l.tier(me.tier)}</p>
                        <p class="num">{l.t().growth} " " {group_thousands(me.growth)}</p>
                        <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=progress aria-label=next_line.clone()>
                            <span style=format!("width:{progress}%")></span>
                        </div>
                        <p class="tier-card-next">{next_line}</p>
                    </div>
                }
            })}

            <h2 class="section-title">{lang.t().my_orders}</h2>
            <PagedView paged=orders load_more=Callback::new(move |_| load_more())
                skeleton=|| view! { <ListSkeleton rows=3 /> }
                empty=move || view! {
                    <Empty message=lang.t().no_orders>
                        <a class="btn btn-outline" href="/catalog">{lang.t().go_redeem}</a>
                    </Empty>
                }>
                <ul class="list orders">
                        <For each=move || orders.items.get() key=|o| o.id let:order>
                            <li class="row order" data-testid="order">
                                <img src=order.image.clone() alt="" width="48" height="48" />
                                <span class="grow">
                                    <span class="row-title">{let n = order.item_name.clone(); lang.pick(&n)} " ×" {order.quantity}</span>
                                    <span class="row-sub"><Price points=order.points cash=order.cash /></span>
                                    {order.code.clone().map(|c| view! { <code class="row-code">{c}</code> })}
                                </span>
                                <span class="status-pill" data-status=order.status.as_str()>{lang.order_status(order.status)}</span>
                            </li>
                        </For>
                    </ul>
            </PagedView>

            <h2 class="section-title">{lang.t().language}</h2>
            <div class="seg" role="radiogroup" aria-label=lang.t().language>
                {[(Lang::Zh, "中文"), (Lang::En, "English")].into_iter().map(|(l, label)| view! {
                    <button role="radio" class="seg-btn" data-testid=format!("lang-{}", l.tag())
                        aria-checked=(lang == l).to_string()
                        on:click=move |_| switch.set(l)>{label}</button>
                }).collect_view()}
            </div>

            <button class="btn btn-outline btn-block logout" on:click=logout>{lang.t().logout}</button>
        </section>
    }
}
