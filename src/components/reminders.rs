//! Sale reminders while the app is open: a toast the moment a sale the member asked to be
//! reminded of opens (on the server's clock).

use leptos::prelude::*;
use mall_core::sales::SaleState;

use crate::{
    components::toast::use_toast, i18n::use_lang, pages::sales::state_now, sales_today::use_sales_today, server_clock::use_server_clock,
};

/// Watches today's reminded sales; renders nothing.
#[component]
pub fn SaleReminders() -> impl IntoView {
    let lang = use_lang();
    let toast = use_toast();
    let clock = use_server_clock();
    let day = use_sales_today();
    // Sales seen still closed while the app was open: only their opening is announced, once
    // (a reload or a second tab after the opening stays quiet).
    let waiting = StoredValue::new(Vec::<i64>::new());
    Effect::new(move |_| {
        // The phone's own clock may be minutes off: judge nothing before the offset is known.
        if !clock.is_synced() {
            return;
        }
        let now = clock.now_ms();
        let Some(Ok(day)) = day.get() else { return };
        for sale in day.sales.iter().filter(|s| s.reminded) {
            match state_now(sale, now) {
                SaleState::Upcoming => waiting.update_value(|w| {
                    if !w.contains(&sale.id) {
                        w.push(sale.id)
                    }
                }),
                SaleState::Live if waiting.with_value(|w| w.contains(&sale.id)) => {
                    waiting.update_value(|w| w.retain(|id| *id != sale.id));
                    toast.show(lang.sale_opened(&lang.pick(&sale.offer)));
                }
                _ => {}
            }
        }
    });
}
