//! The audit log: every staff write, newest first, a page at a time, with the state
//! before and after.

use leptos::prelude::*;
use mall_core::staff::AuditEntry;

use crate::{
    api,
    components::{
        paged::{Paged, PagedView},
        states::ListSkeleton,
    },
    i18n::use_lang,
};

/// The log, a page at a time as it scrolls.
#[component]
pub fn AuditLog() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let paged = Paged::<AuditEntry>::new();
    let load_more =
        move || paged.load_more(|cursor| async move { api::admin_audit(cursor).await.map(|page| (page.entries, page.next_cursor)) });
    load_more();
    view! {
        <section class="card ops-card" aria-labelledby="audit-heading" data-testid="audit-log">
            <h2 class="card-heading" id="audit-heading">{p.ops_audit}</h2>
            <PagedView paged load_more=Callback::new(move |_| load_more())
                skeleton=|| view! { <ListSkeleton rows=5 /> }
                empty=move || view! { <p class="muted ops-empty">{p.ops_no_audit}</p> }>
                <ol class="audit">
                    <For each=move || paged.items.get() key=|e| e.id let:e>
                        <AuditRow e />
                    </For>
                </ol>
            </PagedView>
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
