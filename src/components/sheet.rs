//! A bottom sheet for decisions: a dimmed backdrop, a panel that slides up, closes on
//! the backdrop or Escape.

use leptos::prelude::*;

/// A modal bottom sheet labelled by `title`.
#[component]
pub fn Sheet(#[prop(into)] title: Signal<String>, on_close: Callback<()>, children: Children) -> impl IntoView {
    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sheet" role="dialog" aria-modal="true" aria-labelledby="sheet-title"
            on:keydown=move |ev| if ev.key() == "Escape" { on_close.run(()) }>
            <div class="sheet-grip" aria-hidden="true"></div>
            <h2 id="sheet-title" class="sheet-title">{title}</h2>
            {children()}
        </div>
    }
}
