//! The audit log: every staff write, newest first, a page at a time, with the state
//! before and after.

use leptos::{prelude::*, task::spawn_local};
use mall_core::staff::AuditEntry;

use crate::{
    api::{self, ApiFailure},
    components::states::ListSkeleton,
    i18n::use_lang,
};

/// The log, with "load more" while there is more.
#[component]
pub fn AuditLog() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let busy = RwSignal::new(false);
    let load = move |cursor: Option<String>| {
        busy.set(true);
        spawn_local(async move {
            match api::admin_audit(cursor).await {
                Ok(page) => {
                    entries.try_update(|e| e.extend(page.entries));
                    next.try_set(page.next_cursor);
                    failure.try_set(None);
                }
                Err(f) => {
                    failure.try_set(Some(f));
                }
            }
            loaded.try_set(true);
            busy.try_set(false);
        });
    };
    load(None);
    view! {
        <section class="card ops-card" aria-labelledby="audit-heading" data-testid="audit-log">
            <h2 class="card-heading" id="audit-heading">{p.ops_audit}</h2>
            {move || (!loaded.get()).then(|| view! { <ListSkeleton rows=5 /> })}
            {move || (loaded.get() && entries.with(Vec::is_empty) && failure.with(Option::is_none))
                .then(|| view! { <p class="muted ops-empty">{p.ops_no_audit}</p> })}
            <ol class="audit">
                <For each=move || entries.get() key=|e| e.id let:e>
                    <AuditRow e />
                </For>
            </ol>
            {move || failure.get().map(|f| view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> })}
            {move || next.get().map(|cursor| view! {
                <button class="btn btn-outline btn-block" data-testid="audit-more" disabled=move || busy.get()
                    on:click=move |_| load(Some(cursor.clone()))>{p.load_more}</button>
            })}
        </section>
    }
}

/// One entry: when, who, what, on what; the states in a disclosure.
#[component]
fn AuditRow(e: AuditEntry) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let states = e.before.is_some() || e.after.is_some();
    view! {
        <li class="audit-row" data-testid="audit-entry">
            <span class="audit-when num">{lang.when(&e.at)}</span>
            <span class="audit-actor">{e.actor.clone()}</span>
            <code class="audit-action">{e.action.clone()}</code>
            <span class="audit-target">{format!("{} #{}", e.target_kind, e.target_id)}</span>
            {states.then(|| view! {
                <details class="audit-states">
                    <summary>{p.audit_before}" / "{p.audit_after}</summary>
                    {e.before.clone().map(|b| view! { <p><strong>{p.audit_before}</strong>" "<code>{b}</code></p> })}
                    {e.after.clone().map(|a| view! { <p><strong>{p.audit_after}</strong>" "<code>{a}</code></p> })}
                </details>
            })}
        </li>
    }
}
