//! Short confirmations ("+10 积分"), shown for a moment at the top of the screen.

use leptos::prelude::*;

/// The toast context: set a message to show it for two seconds.
#[derive(Clone, Copy)]
pub struct Toast(RwSignal<Option<(u32, String)>>);

impl Toast {
    /// Shows `message`.
    pub fn show(&self, message: impl Into<String>) {
        let signal = self.0;
        let id = signal.get_untracked().map(|(n, _)| n + 1).unwrap_or(0);
        signal.set(Some((id, message.into())));
        set_timeout(
            move || {
                if signal.try_get_untracked().flatten().is_some_and(|(n, _)| n == id) {
                    signal.try_set(None);
                }
            },
            std::time::Duration::from_millis(2000),
        );
    }
}

/// Provides the context and renders the current toast (a polite live region).
#[component]
pub fn ToastHost() -> impl IntoView {
    let toast = Toast(RwSignal::new(None));
    provide_context(toast);
    view! {
        <div class="toast-host" role="status" aria-live="polite">
            {move || toast.0.get().map(|(_, m)| view! { <div class="toast" data-testid="toast">{m}</div> })}
        </div>
    }
}

/// The toast from context.
pub fn use_toast() -> Toast {
    expect_context::<Toast>()
}
