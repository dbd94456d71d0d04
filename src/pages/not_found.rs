//! Unknown in-app paths.

use leptos::prelude::*;

use crate::{components::states::Empty, i18n::use_lang, title::set_page_title};

/// "Page not found" with a way home.
#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    set_page_title(|l| l.t().not_found_title.to_string());
    view! {
        <Empty message=lang.t().not_found_title>
            <a class="btn btn-primary" href="/">{lang.t().go_home}</a>
        </Empty>
    }
}
