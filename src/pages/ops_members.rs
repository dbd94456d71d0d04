//! The back office's members: search, one member's detail (balance, tier, growth, lots,
//! the newest history, orders and codes), freeze with a reason the member is shown,
//! unfreeze, and point adjustments with a reason.

use leptos::prelude::*;
use mall_core::{
    earning::{Adjustment, Award},
    format::group_thousands,
    sales::CodeStatus,
    staff::{MemberDetail, MemberRow},
};

use crate::{
    api,
    asked::Asked,
    components::{
        field::Field,
        states::{ErrorState, ListSkeleton},
    },
    i18n::{use_lang, Lang},
    intent::Intent,
    pages::ops::{answer, OpsResult, Said},
};

/// Search on the left, the chosen member on the right (one column on a phone).
#[component]
pub fn Members() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let q = RwSignal::new(String::new());
    let found = Asked::new(|text: String| async move { api::admin_members(text).await.map(|s| s.members) });
    let selected = RwSignal::new(None::<i64>);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = q.get_untracked().trim().to_string();
        if text.is_empty() {
            return;
        }
        found.ask(text);
    };
    // A freeze or unfreeze shows in the list at once.
    let changed = Callback::new(move |row: MemberRow| {
        found.update(|f| {
            if let Ok(rows) = f {
                if let Some(old) = rows.iter_mut().find(|r| r.id == row.id) {
                    *old = row;
                }
            }
        })
    });
    view! {
        <div class="ops-columns">
            <section class="card ops-card" aria-labelledby="members-heading">
                <h2 class="card-heading" id="members-heading">{p.ops_members}</h2>
                <form class="search-row" role="search" on:submit=search>
                    <label class="field grow"><span>{p.ops_find}</span>
                        <input type="search" enterkeyhint="search" data-testid="member-search" prop:value=q
                            on:input=move |ev| q.set(event_target_value(&ev)) />
                    </label>
                    <button class="btn btn-primary" type="submit" data-testid="member-search-go" disabled=move || found.pending()>
                        {lang.t().search}
                    </button>
                </form>
                {move || found.get().map(|answer| match answer {
                    Ok(rows) if rows.is_empty() => view! { <p class="muted ops-empty" role="status">{p.ops_no_members}</p> }.into_any(),
                    Ok(rows) => view! {
                        <ul class="list ops-list" data-testid="member-results">
                            {rows.into_iter().map(|row| {
                                let id = row.id;
                                view! {
                                    <li>
                                        <button type="button" class="row member-row" data-testid="member-row"
                                            aria-pressed=move || (selected.get() == Some(id)).to_string()
                                            on:click=move |_| selected.set(Some(id))>
                                            <span class="avatar" aria-hidden="true">{row.name.zh.chars().next().map(String::from)}</span>
                                            <span class="grow">
                                                <span class="row-title">{lang.pick(&row.name)}<span class="muted">" #"{id}</span></span>
                                                <span class="row-sub">
                                                    <span class="tier-pill" data-tier=row.tier.as_str()>{lang.tier(row.tier)}</span>
                                                    {row.frozen.is_some().then(|| view! { <span class="frozen-pill">{p.ops_frozen}</span> })}
                                                </span>
                                            </span>
                                            <span class="num strong">{group_thousands(row.balance)}</span>
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(f) => view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> }.into_any(),
                })}
            </section>
            {move || match selected.get() {
                Some(id) => view! { <MemberPanel id changed /> }.into_any(),
                None => view! { <p class="card ops-card muted ops-empty">{p.ops_pick_member}</p> }.into_any(),
            }}
        </div>
    }
}

/// One member: the facts, freeze or unfreeze, adjust points.
#[component]
fn MemberPanel(id: i64, changed: Callback<MemberRow>) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let detail = LocalResource::new(move || {
        version.track();
        api::admin_member(id)
    });
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    // Kept here: the forms are rebuilt with the member's new facts after a change.
    let results = Results {
        freeze: RwSignal::new(None),
        adjust: RwSignal::new(None),
        // `Some(reason)` freezes, `None` unfreezes.
        freezing: Intent::new(move |reason: Option<String>, _key: String| async move {
            match reason {
                Some(why) => api::admin_freeze(id, why).await,
                None => api::admin_unfreeze(id).await,
            }
        }),
        adjusting: Intent::new(|body: Adjustment, key: String| async move { api::admin_adjust(&body, &key).await }),
    };
    view! {
        <section class="ops-detail" aria-labelledby="member-heading" data-testid="member-detail">
            <Suspense fallback=|| view! { <div class="card ops-card"><ListSkeleton rows=4 /></div> }>
                {move || detail.get().map(|answer| match answer {
                    Ok(d) => view! { <MemberFacts d=d.clone() /><MemberActions d changed reload results /> }.into_any(),
                    Err(f) => view! { <div class="card ops-card"><ErrorState failure=f retry=reload /></div> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// Balance, tier, growth, the frozen reason, lots, history, orders and codes.
#[component]
fn MemberFacts(d: MemberDetail) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let m = &d.member;
    view! {
        <div class="card ops-card">
            <h2 class="card-heading" id="member-heading">
                {lang.pick(&m.name)}<span class="muted">" #"{m.id}</span>" "
                <span class="tier-pill" data-tier=m.tier.as_str()>{lang.tier(m.tier)}</span>
            </h2>
            {m.frozen.clone().map(|reason| view! {
                <p class="frozen-line" data-testid="member-frozen">{lang.frozen_line(&reason, d.frozen_at.as_deref())}</p>
            })}
            <dl class="stats">
                <div><dt>{p.ops_balance}</dt><dd class="num" data-testid="member-balance">{lang.points(m.balance)}</dd></div>
                <div><dt>{p.growth}</dt><dd class="num">{group_thousands(d.growth)}</dd></div>
                <div><dt>{p.pending_title}</dt><dd class="num" data-testid="member-pending">{lang.points(d.pending_points)}</dd></div>
                <div><dt>{p.ops_shortfall}</dt><dd class="num" data-testid="member-shortfall">{lang.points(d.shortfall_points)}</dd></div>
            </dl>
        </div>
        <div class="ops-facts">
            <FactList title=p.ops_lots empty=d.lots.is_empty()>
                {d.lots.iter().map(|lot| view! {
                    <li class="fact"><span class="grow">{lang.expires_on(&lot.expires_on)}</span><span class="num">{group_thousands(lot.remaining)}</span></li>
                }).collect_view()}
            </FactList>
            <FactList title=p.ops_history empty=d.history.is_empty()>
                {d.history.iter().map(|e| view! {
                    <li class="fact">
                        <span class="grow">{lang.entry_kind(e.kind)}<span class="muted">" "{lang.when(&e.created_at)}</span></span>
                        <span class="num" class:plus={e.amount > 0}>{format!("{:+}", e.amount)}</span>
                    </li>
                }).collect_view()}
            </FactList>
            <FactList title=p.ops_member_orders empty=d.orders.is_empty()>
                {d.orders.iter().map(|o| view! {
                    <li class="fact">
                        <span class="grow">"#"{o.id}" "{lang.pick(&o.item_name)}<span class="muted">" "{lang.when(&o.created_at)}</span></span>
                        <span class="status-pill" data-status=o.status.as_str()>{lang.order_status(o.status)}</span>
                    </li>
                }).collect_view()}
            </FactList>
            <FactList title=p.ops_codes empty=d.codes.is_empty()>
                {d.codes.iter().map(|c| view! {
                    <li class="fact">
                        <span class="grow"><code>{c.code.clone()}</code>" "{lang.pick(&c.offer)}</span>
                        <span class="status-pill">{code_status(lang, c.status)}</span>
                    </li>
                }).collect_view()}
            </FactList>
        </div>
    }
}

fn code_status(lang: Lang, status: CodeStatus) -> &'static str {
    let p = lang.p();
    match status {
        CodeStatus::Issued => p.code_tab_usable,
        CodeStatus::Used => p.code_tab_used,
        CodeStatus::Expired | CodeStatus::Void => p.code_tab_expired,
    }
}

/// A titled list of facts, or "none".
#[component]
fn FactList(title: &'static str, empty: bool, children: Children) -> impl IntoView {
    let none = use_lang().p().ops_none;
    view! {
        <div class="card ops-card">
            <h3 class="fact-heading">{title}</h3>
            {if empty { view! { <p class="muted">{none}</p> }.into_any() } else { view! { <ul class="facts">{children()}</ul> }.into_any() }}
        </div>
    }
}

/// The member's forms: what each said, and their writes.
#[derive(Clone, Copy)]
struct Results {
    freeze: Said,
    adjust: Said,
    freezing: Intent<Option<String>, MemberRow>,
    adjusting: Intent<Adjustment, Award>,
}

/// Freeze (with a reason) or unfreeze; adjust points with a reason.
#[component]
fn MemberActions(d: MemberDetail, changed: Callback<MemberRow>, reload: Callback<()>, results: Results) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = d.member.id;
    let frozen = d.member.frozen.is_some();
    let reason = RwSignal::new(String::new());
    let Results { freeze: freeze_said, adjust: adjust_said, freezing, adjusting } = results;
    let pending = move || freezing.pending() || adjusting.pending();
    let freeze = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let why = reason.get_untracked().trim().to_string();
        if !frozen && why.is_empty() {
            freeze_said.set(Some(Err(lang.p().ops_need_reason.to_string())));
            return;
        }
        freeze_said.set(None);
        freezing.dispatch((!frozen).then_some(why), move |row| {
            changed.run(row);
            reload.run(());
        });
    };

    let amount = RwSignal::new(String::new());
    let adjust_reason = RwSignal::new(String::new());
    let adjust = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(points) = amount.get_untracked().trim().trim_start_matches('+').parse::<i64>() else {
            adjust_said.set(Some(Err(lang.p().ops_bad_number.to_string())));
            return;
        };
        let why = adjust_reason.get_untracked().trim().to_string();
        if why.is_empty() {
            adjust_said.set(Some(Err(lang.p().ops_need_reason.to_string())));
            return;
        }
        let body = Adjustment { member_id: id, amount: points, reason: why };
        adjust_said.set(None);
        // The same body after a lost answer is sent with the same key (the intent's rule).
        adjusting.dispatch(body, move |award| {
            amount.try_set(String::new());
            adjust_reason.try_set(String::new());
            adjust_said.try_set(Some(Ok(lang.ops_adjusted(id, award.awarded, award.balance))));
            reload.run(());
        });
    };
    let freeze_result = answer(freeze_said, freezing, move |f| lang.staff_failure(f));
    let adjust_result = answer(adjust_said, adjusting, move |f| lang.staff_failure(f));

    view! {
        <div class="ops-facts">
            <form class="card ops-card" on:submit=freeze data-testid="freeze-form">
                <h3 class="fact-heading">{if frozen { p.ops_unfreeze } else { p.ops_freeze }}</h3>
                {(!frozen).then(|| view! { <Field label=p.ops_reason value=reason testid="freeze-reason" maxlength=200 /> })}
                <OpsResult result=freeze_result testid="freeze-result" />
                <button type="submit" class="btn btn-block" class:btn-danger=!frozen class:btn-outline=frozen
                    data-testid=if frozen { "unfreeze" } else { "freeze" } disabled=pending>
                    {if frozen { p.ops_unfreeze } else { p.ops_freeze }}
                </button>
            </form>
            <form class="card ops-card" on:submit=adjust data-testid="adjust-form">
                <h3 class="fact-heading">{p.ops_adjust}</h3>
                <Field label=p.ops_amount value=amount testid="ops-amount" kind="number" placeholder="+100 / -50" />
                <Field label=p.ops_reason value=adjust_reason testid="ops-reason" maxlength=100 />
                <OpsResult result=adjust_result testid="ops-result" />
                <button class="btn btn-primary btn-block" type="submit" data-testid="ops-adjust" disabled=pending>{p.ops_apply}</button>
            </form>
        </div>
    }
}
