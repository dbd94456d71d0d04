//! `document.title` per page: webviews show it as the title bar.

use leptos::prelude::*;

use crate::i18n::use_lang;

/// Keeps the document title at `page · app name` while the calling page is mounted.
pub fn set_page_title(page: impl Fn(crate::i18n::Lang) -> String + 'static) {
    let lang = use_lang();
    Effect::new(move |_| {
        let l = lang.get();
        let title = format!("{} · {}", page(l), l.t().app_name);
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(&title);
        }
    });
}
