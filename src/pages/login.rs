//! Demo login: pick a seeded member. (Inside a host app the mall logs in with a signed
//! ticket from the URL instead; see `session`.)

use leptos::prelude::*;
use mall_core::format::group_thousands;

use crate::{
    api,
    components::states::{ErrorState, ListSkeleton},
    i18n::use_lang,
    intent::Intent,
    session::use_session,
    title::set_page_title,
};

/// The member picker.
#[component]
pub fn Login() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    set_page_title(|l| l.p().login_title.to_string());
    let members = LocalResource::new(api::demo_members);
    let signing_in = Intent::new(|id: i64, _key: String| api::demo_login(id));
    // On success this page unmounts: the intent is settled before `set_me` runs.
    let login = move |id: i64| signing_in.dispatch(id, move |me| session.set_me(me));
    view! {
        <section class="page login">
            <h1>{lang.p().login_title}</h1>
            <p class="muted">{lang.p().login_hint}</p>
            {move || signing_in.error().map(|e| view! { <p class="inline-error" role="alert">{e}</p> })}
            <Suspense fallback=|| view! { <ListSkeleton rows=6 /> }>
                {move || members.get().map(|r| match r {
                    Ok(list) => view! {
                        <ul class="list member-list">
                            {list.into_iter().map(|m| {
                                let name = m.name.clone();
                                view! {
                                    <li>
                                        <button class="row member-row" data-testid="demo-member" disabled=move || signing_in.pending()
                                            on:click=move |_| login(m.id)>
                                            <span class="avatar" aria-hidden="true">{m.name.zh.chars().next().map(String::from)}</span>
                                            <span class="grow">
                                                <span class="row-title">{lang.pick(&name)}</span>
                                                <span class="row-sub">
                                                    <span class="tier-pill" data-tier=m.tier.as_str()>{lang.tier(m.tier)}</span>
                                                </span>
                                            </span>
                                            <span class="num strong">{group_thousands(m.balance)}<small>" " {lang.t().pts}</small></span>
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(f) => view! { <ErrorState failure=f retry=Callback::new(move |_| members.refetch()) /> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
