//! A price as members read it: `1,990 积分` or `990 积分 + ¥9.90`.

use leptos::prelude::*;
use mall_core::{
    cash::Cash,
    format::{group_thousands, yuan},
};

use crate::i18n::use_lang;

/// Points (and cash) in the brand colour, with tabular digits.
#[component]
pub fn Price(points: i64, cash: Option<Cash>, #[prop(default = "")] class: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <span class=format!("price {class}")>
            <span class="price-points">{group_thousands(points)}</span>
            <span class="price-unit">{lang.t().pts}</span>
            {cash.map(|c| view! { <span class="price-cash">" + " {yuan(c)}</span> })}
        </span>
    }
}
