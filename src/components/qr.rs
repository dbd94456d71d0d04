//! A QR code rendered as inline SVG (one path), from the `qrcodegen` crate.

use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};

/// The SVG path of the dark modules of `text`'s QR code, and the side with a 2-module border.
pub fn qr_path(text: &str) -> Option<(String, i32)> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let border = 2;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    Some((path, qr.size() + 2 * border))
}

/// The QR code of `text`, labelled for screen readers.
#[component]
pub fn Qr(text: String, #[prop(into)] label: String) -> impl IntoView {
    qr_path(&text).map(|(path, side)| {
        view! {
            <svg class="qr" viewBox=format!("0 0 {side} {side}") role="img" aria-label=label shape-rendering="crispEdges">
                <rect width="100%" height="100%" fill="#fff" />
                <path d=path fill="#000" />
            </svg>
        }
    })
}
