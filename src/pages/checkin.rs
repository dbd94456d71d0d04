//! Check-in: a later issue builds the calendar and streaks; this page says so.

use leptos::prelude::*;

use crate::{components::icons::{Icon, IconKind}, i18n::use_lang, title::set_page_title};

/// Placeholder until the check-in feature lands.
#[component]
pub fn Checkin() -> impl IntoView {
    let lang = use_lang();
    set_page_title(|l| l.t().tab_checkin.to_string());
    view! {
        <section class="page placeholder" data-testid="checkin-placeholder">
            <div class="placeholder-icon"><Icon kind=IconKind::Calendar size=40 /></div>
            <h1>{lang.t().coming_soon}</h1>
            <p>{lang.t().checkin_soon}</p>
        </section>
    }
}
