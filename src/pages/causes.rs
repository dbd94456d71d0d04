//! Donation (积分捐赠): the causes with their progress and what the member gave, and a
//! sheet to give points: the amount, the balance after, and a confirmation that the gift
//! cannot be taken back.

use leptos::prelude::*;
use mall_core::{
    donation::{Cause, DonateRequest},
    format::group_thousands,
};

use crate::{
    api,
    components::{
        sheet::Sheet,
        states::{Empty, ErrorState, ListSkeleton},
        toast::use_toast,
    },
    i18n::use_lang,
    intent::Intent,
    session::use_session,
    title::set_page_title,
};

/// Quick amounts the sheet offers.
const QUICK: [i64; 3] = [10, 100, 500];

/// The causes page.
#[component]
pub fn Causes() -> impl IntoView {
    let lang = use_lang();
    set_page_title(|l| l.p().causes_title.to_string());
    let causes = LocalResource::new(api::causes);
    let giving = RwSignal::new(None::<Cause>);
    view! {
        <section class="page causes">
            <h1 class="page-title">{lang.p().causes_title}</h1>
            <p class="row-sub">{lang.p().causes_intro}</p>
            {move || match causes.get() {
                None => view! { <ListSkeleton rows=2 /> }.into_any(),
                Some(Err(f)) => view! { <ErrorState failure=f retry=Callback::new(move |_| causes.refetch()) /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <Empty message=lang.p().causes_none /> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="cause-list">
                        {list.into_iter().map(|c| view! { <CauseCard cause=c giving /> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            {move || giving.get().map(|cause| view! {
                <DonateSheet cause on_close=Callback::new(move |_| giving.set(None)) on_done=Callback::new(move |_| causes.refetch()) />
            })}
        </section>
    }
}

/// One cause: image, name, what it does, progress, what the member gave.
#[component]
fn CauseCard(cause: Cause, giving: RwSignal<Option<Cause>>) -> impl IntoView {
    let lang = use_lang();
    let percent = (cause.raised.saturating_mul(100) / cause.target.max(1)).min(100);
    let open = cause.open;
    let chosen = cause.clone();
    view! {
        <li class="card cause" data-testid="cause" data-open=open.to_string()>
            <img class="cause-image" src=cause.image.clone() alt="" width="240" height="160" loading="lazy" />
            <div class="cause-body">
                <h2 class="row-title">{lang.pick(&cause.name)}</h2>
                <p class="row-sub">{lang.pick(&cause.description)}</p>
                <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=percent
                    aria-label=lang.p().causes_progress>
                    <span style=format!("width:{percent}%")></span>
                </div>
                <p class="cause-raised num" data-testid="cause-raised">{lang.cause_raised(cause.raised, cause.target)}</p>
                {(cause.given > 0).then(|| view! { <p class="cause-given" data-testid="cause-given">{lang.cause_given(cause.given)}</p> })}
                {if open {
                    view! {
                        <button type="button" class="btn btn-primary" data-testid="cause-donate" on:click=move |_| giving.set(Some(chosen.clone()))>
                            {lang.p().donate}
                        </button>
                    }.into_any()
                } else {
                    view! { <p class="cause-closed">{lang.p().cause_closed}</p> }.into_any()
                }}
            </div>
        </li>
    }
}

/// The donate sheet: amount, balance after, the irrevocable confirmation.
#[component]
fn DonateSheet(cause: Cause, on_close: Callback<()>, on_done: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let toast = use_toast();
    let min = cause.min_points;
    let amount = RwSignal::new(String::from("100"));
    let sure = RwSignal::new(false);
    let id = cause.id;
    let donate = Intent::new(move |points: i64, key: String| async move { api::donate(id, &DonateRequest { points }, &key).await });
    let points = move || amount.with(|a| a.trim().parse::<i64>().ok()).filter(|p| *p > 0);
    let balance = move || session.me.with(|m| m.as_ref().map(|m| m.balance)).unwrap_or(0);
    let after = move || points().map(|p| balance() - p);
    let valid = move || points().is_some_and(|p| p >= min && p <= balance());
    let give = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = points().filter(|_| valid() && sure.get_untracked()) else { return };
        donate.dispatch(p, move |done| {
            toast.show(lang.donated(done.points));
            session.refresh();
            on_done.run(());
            on_close.run(());
        });
    };
    view! {
        <Sheet title=lang.pick(&cause.name) on_close>
            <form class="sheet-body donate" data-testid="donate-sheet" on:submit=give>
                <label class="field"><span>{lang.p().donate_amount}</span>
                    <input type="text" inputmode="numeric" data-testid="donate-amount" prop:value=amount
                        on:input=move |ev| { amount.set(event_target_value(&ev)); donate.clear(); } />
                </label>
                <div class="chips" role="group" aria-label=lang.p().donate_amount>
                    {QUICK.into_iter().map(|q| view! {
                        <button type="button" class="chip" aria-pressed=move || (points() == Some(q)).to_string()
                            on:click=move |_| amount.set(q.to_string())>{group_thousands(q)}</button>
                    }).collect_view()}
                </div>
                <p class="donate-after num" data-testid="donate-after">
                    {move || match after() {
                        Some(a) if a >= 0 => lang.donate_after(a),
                        Some(_) => lang.p().donate_too_much.to_string(),
                        None => lang.p().donate_enter.to_string(),
                    }}
                </p>
                {move || points().filter(|p| *p < min).map(|_| view! { <p class="field-error">{lang.donate_min(min)}</p> })}
                <label class="check">
                    <input type="checkbox" data-testid="donate-sure" prop:checked=sure on:change=move |ev| sure.set(event_target_checked(&ev)) />
                    <span>{lang.p().donate_irrevocable}</span>
                </label>
                {move || donate.error().map(|e| view! { <p class="field-error" role="alert" data-testid="donate-error">{e}</p> })}
                <button type="submit" class="btn btn-primary" data-testid="donate-confirm"
                    disabled=move || donate.pending() || !valid() || !sure.get()>
                    {move || points().map(|p| lang.donate_button(p)).unwrap_or_else(|| lang.p().donate.to_string())}
                </button>
            </form>
        </Sheet>
    }
}
