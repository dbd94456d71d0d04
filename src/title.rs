//! `document.title` per page: webviews show it as the title bar.

use crate::i18n::{use_lang, Lang};

/// Sets the document title to `page · app name`.
pub fn set_page_title(page: impl FnOnce(Lang) -> String) {
    let lang = use_lang();
    let title = format!("{} · {}", page(lang), lang.t().app_name);
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&title);
    }
}

/// Sets the title to `text · app name` (for pages whose title comes from data).
pub fn set_title_text(text: &str) {
    set_page_title(|_| text.to_string());
}
