//! Sale reminders while the app is open: a toast the moment a sale the member asked to be
//! reminded of opens (on the server's clock).

use leptos::prelude::*;
use mall_core::sales::SaleState;

use crate::{api, components::toast::use_toast, i18n::use_lang, pages::sales::state_now, server_clock::use_server_clock};

/// Watches today's reminded sales; renders nothing.
#[component]
pub fn SaleReminders() -> impl IntoView {
    let lang = use_lang();
    let toast = use_toast();
    let clock = use_server_clock();
    let day = LocalResource::new(api::sales);
    let announced = StoredValue::new(Vec::<i64>::new());
    Effect::new(move |_| {
        let now = clock.now_ms();
        let Some(Ok(day)) = day.get() else { return };
        for sale in day.sales.iter().filter(|s| s.reminded) {
            let opened = state_now(sale, now) == SaleState::Live && now - sale.opens_at_ms < 60_000;
            if opened && !announced.with_value(|a| a.contains(&sale.id)) {
                announced.update_value(|a| a.push(sale.id));
                toast.show(lang.sale_opened(&lang.pick(&sale.offer)));
            }
        }
    });
}
