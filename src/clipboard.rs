//! Copy to clipboard on every phone browser: the async Clipboard API where the page may use
//! it, otherwise (webviews on plain HTTP have no `navigator.clipboard`) a hidden text area,
//! selected and copied with `execCommand('copy')`.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Copies `text`; true when the browser says it did.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let navigator = window.navigator();
    let has_api = Reflect::get(&navigator, &JsValue::from_str("clipboard")).is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if has_api {
        let promise = navigator.clipboard().write_text(text);
        if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
            return true;
        }
    }
    copy_with_selection(&window, text).unwrap_or(false)
}

fn copy_with_selection(window: &web_sys::Window, text: &str) -> Option<bool> {
    let document = window.document()?;
    let body = document.body()?;
    let area = document.create_element("textarea").ok()?;
    area.set_text_content(Some(text));
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("style", "position:fixed;top:0;left:0;opacity:0");
    body.append_child(&area).ok()?;
    let call = |target: &JsValue, name: &str, arg: Option<&str>| -> Option<JsValue> {
        let f: Function = Reflect::get(target, &JsValue::from_str(name)).ok()?.dyn_into().ok()?;
        match arg {
            Some(a) => f.call1(target, &JsValue::from_str(a)).ok(),
            None => f.call0(target).ok(),
        }
    };
    call(&area, "select", None);
    let copied = call(&document, "execCommand", Some("copy")).and_then(|v| v.as_bool());
    area.remove();
    copied
}
