//! A catalogue card: square image, two-line name, price, popularity or stock, ribbons.

use leptos::prelude::*;
use mall_core::dto::ItemSummary;

use crate::{components::price::Price, i18n::use_lang};

/// Stock at or below this shows "N left" instead of the redeemed count.
const LOW_STOCK: i64 = 20;

/// One item in the grid; links to its page. `eager` for cards on the first screen: their
/// image is the page's largest paint, so it loads at once and first.
#[component]
pub fn ItemCard(item: ItemSummary, #[prop(optional)] eager: bool) -> impl IntoView {
    let lang = use_lang();
    let sold_out = item.stock == 0;
    let name = item.name.clone();
    let alt = item.name.clone();
    let href = format!("/items/{}", item.id);
    let (stock, redeemed, min_tier) = (item.stock, item.redeemed, item.min_tier);
    view! {
        <a class="card item-card" class:sold-out=sold_out href=href data-testid="item-card">
            <div class="card-media">
                <img src=item.image.clone() alt=lang.pick(&alt) width="240" height="240"
                    loading=if eager { "eager" } else { "lazy" } fetchpriority=if eager { "high" } else { "auto" } decoding="async" />
                {sold_out.then(|| view! { <span class="ribbon">{lang.t().sold_out}</span> })}
                {min_tier.map(|t| view! { <span class="badge tier-badge">{lang.tier_only(t)}</span> })}
            </div>
            <div class="card-body">
                <h3 class="card-title">{lang.pick(&name)}</h3>
                <Price points=item.points cash=item.cash />
                <p class="card-meta">
                    {if stock > 0 && stock <= LOW_STOCK { lang.stock_left(stock) } else { lang.redeemed_count(redeemed) }}
                </p>
            </div>
        </a>
    }
}
