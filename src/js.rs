//! Browser calls made through `Reflect` rather than `web-sys` bindings, for the lazy
//! chunks: every new binding is an import of the main module, bytes of every first visit.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `target[name]`, or `undefined`.
pub fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &name.into()).unwrap_or_default()
}

/// Calls `target.method(args…)`; a missing method or a throw does nothing.
pub fn call(target: &JsValue, method: &str, args: &[&JsValue]) {
    if let Ok(f) = get(target, method).dyn_into::<Function>() {
        let _ = f.apply(target, &args.iter().copied().collect::<Array>());
    }
}
