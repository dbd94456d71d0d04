//! A labelled text input bound to a signal, as the staff forms use it.

use leptos::prelude::*;

/// `kind` is an input type (`text`, `date`, `time`), or `number` for digits typed on the
/// numeric keypad, or `decimal` for a number with a decimal point (text inputs, so values
/// are read as typed).
#[component]
pub fn Field(
    label: &'static str,
    value: RwSignal<String>,
    testid: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
) -> impl IntoView {
    let (kind, mode) = match kind {
        "number" => ("text", "numeric"),
        "decimal" => ("text", "decimal"),
        other => (other, "text"),
    };
    view! {
        <label class="field"><span>{label}</span>
            <input type=kind inputmode=mode data-testid=testid placeholder=placeholder maxlength=maxlength
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}
