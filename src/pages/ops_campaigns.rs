//! The back office's campaigns (营销活动): every campaign, newest first, with what it
//! boosts and by how much, its window in this computer's time, its audience, state, the
//! budget it took and its grants; one that has not ended ends after a question. Beside the
//! list, the form that schedules a new one, checked with the server's own rule
//! (`NewCampaign::check`) before it is sent, each refused field named by its label.

use leptos::{
    either::{Either, EitherOf3, EitherOf4},
    prelude::*,
};
use mall_core::{
    campaign::{AdminCampaign, Audience, CampaignState, MemberDay, NewCampaign, Target},
    catalog_admin::AdminCategories,
    dto::I18nText,
    ErrorCode, Tier,
};

use crate::{
    api::{self, ApiFailure, ApiResult},
    components::{field::Field, states::ListSkeleton},
    i18n::{use_lang, Lang},
    intent::Intent,
    pages::{
        ops::{answer, OpsResult},
        ops_sales::epoch_ms,
    },
    server_clock::use_server_clock,
};

/// The campaigns, newest first.
type Campaigns = LocalResource<ApiResult<Vec<AdminCampaign>>>;

/// The categories, for the price form's picker and the list's words.
type Categories = LocalResource<ApiResult<AdminCategories>>;

/// The section: the list, and the form beside it (under it on a phone).
#[component]
pub fn CampaignsSection() -> impl IntoView {
    let campaigns: Campaigns = LocalResource::new(api::admin_campaigns);
    let categories: Categories = LocalResource::new(api::admin_categories);
    view! {
        <div class="ops-columns">
            <CampaignList campaigns categories />
            <NewCampaignForm campaigns categories />
        </div>
    }
}

/// Unix seconds → `12-06 10:00` in this computer's time.
fn desk_time(secs: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0));
    format!("{:02}-{:02} {:02}:{:02}", d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes())
}

/// Unix ms → a `datetime-local` value in this computer's time (`2026-12-06T10:00`).
fn local_input(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!("{}-{:02}-{:02}T{:02}:{:02}", d.get_full_year(), d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes())
}

/// A `datetime-local` value (this computer's time) → Unix seconds, with the converter the
/// sales forms use (a date-time without an offset reads as local time).
fn local_secs(local: &str) -> Option<i64> {
    (!local.trim().is_empty()).then(|| epoch_ms(&format!("{}:00", local.trim()))).flatten().map(|ms| (ms / 1000.0) as i64)
}

/// A target's name.
fn target_name(lang: Lang, target: Target) -> &'static str {
    let p = lang.p();
    match target {
        Target::Checkin => p.target_checkin,
        Target::Purchase => p.target_purchase,
        Target::Price => p.target_price,
        Target::MemberDay => p.target_member_day,
    }
}

/// A failure of a campaign write, in the operator's words.
fn campaign_failure(lang: Lang, f: &ApiFailure) -> String {
    let p = lang.p();
    match f.code() {
        Some(ErrorCode::NotFound) => p.campaign_missing.to_string(),
        Some(ErrorCode::InvalidTransition) => p.campaign_already_ended.to_string(),
        Some(ErrorCode::ValidationFailed) => p.campaign_not_accepted.to_string(),
        _ => lang.staff_failure(f),
    }
}

/// Every campaign, newest first, with a refresh (its grants keep coming while it runs).
#[component]
fn CampaignList(campaigns: Campaigns, categories: Categories) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let said = RwSignal::new(None::<Result<String, String>>);
    let ended = Callback::new(move |()| {
        said.set(Some(Ok(lang.p().campaign_ended_note.to_string())));
        campaigns.refetch();
    });
    view! {
        <section class="card ops-card" aria-labelledby="campaigns-heading" data-testid="ops-campaigns">
            <div class="card-head">
                <h2 class="card-heading" id="campaigns-heading">{p.ops_campaigns}</h2>
                <button type="button" class="btn btn-outline btn-sm" data-testid="campaigns-refresh"
                    on:click=move |_| { said.set(None); campaigns.refetch(); }>{p.ops_refresh}</button>
            </div>
            <OpsResult result=said testid="campaign-list-result" />
            {move || match campaigns.get() {
                None => EitherOf4::A(view! { <ListSkeleton rows=3 /> }),
                Some(Err(f)) => EitherOf4::B(view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> }),
                Some(Ok(list)) if list.is_empty() => EitherOf4::C(view! { <p class="muted ops-empty" role="status">{p.campaigns_none}</p> }),
                Some(Ok(list)) => EitherOf4::D(view! {
                    <ul class="campaign-rows" data-testid="campaign-rows">
                        {list.into_iter().map(|campaign| view! { <CampaignRow campaign categories ended /> }).collect_view()}
                    </ul>
                }),
            }}
        </section>
    }
}

/// What a campaign aims at, in words: `签到奖励`, `兑换价格 · 咖啡`, `会员日加送 · 每周三`.
fn target_line(lang: Lang, c: &AdminCampaign, categories: &Categories) -> String {
    let c = &c.campaign;
    let name = target_name(lang, c.target);
    let detail = match (c.target, &c.category, c.item_id, c.member_day) {
        (Target::Price, Some(slug), _, _) => Some(
            categories
                .with_untracked(|l| {
                    l.as_ref()
                        .and_then(|l| l.as_ref().ok())
                        .and_then(|l| l.categories.iter().find(|x| x.slug == *slug).map(|x| lang.pick(&x.name)))
                })
                .unwrap_or_else(|| slug.clone()),
        ),
        (Target::Price, None, Some(id), _) => Some(format!("#{id}")),
        (Target::MemberDay, _, _, Some(day)) => Some(lang.member_day(day)),
        _ => None,
    };
    match detail {
        Some(d) => format!("{name} · {d}"),
        None => name.to_string(),
    }
}

/// One campaign: terms, window, audience, state, budget and grants; end (after a question)
/// until it has ended.
#[component]
fn CampaignRow(campaign: AdminCampaign, categories: Categories, ended: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = campaign.campaign.id;
    let state = campaign.state;
    let over = state == CampaignState::Ended;
    let name = lang.pick(&campaign.campaign.name);
    let target = target_line(lang, &campaign, &categories);
    let boost = lang.boost(campaign.campaign.target, campaign.campaign.boost());
    let window =
        format!("{} – {}", desk_time(campaign.campaign.starts_at), desk_time(campaign.ended_at.unwrap_or(campaign.campaign.ends_at)));
    let percent = campaign.spent.saturating_mul(100) / campaign.budget.max(1);
    let budget = lang.budget_line(campaign.spent, campaign.budget);
    let asking = RwSignal::new(false);
    let said = RwSignal::new(None::<Result<String, String>>);
    let end = Intent::new(move |(): (), _key: String| async move { api::admin_end_campaign(id).await });
    let result = answer(said, end, move |f| campaign_failure(lang, f));
    let confirm = move |_| {
        said.set(None);
        end.dispatch((), move |_| ended.run(()));
    };
    let question = lang.confirm_end_campaign(&name);
    let state_key = match state {
        CampaignState::Scheduled => "scheduled",
        CampaignState::Running => "running",
        CampaignState::Ended => "ended",
    };
    view! {
        <li class="campaign" class:closed=over data-testid="admin-campaign" data-id=id data-state=state_key>
            <div class="campaign-head">
                <h3 class="campaign-title">{name}<span class="muted">" #"{id}</span></h3>
                <span class="status-pill" class:open-pill=state == CampaignState::Running data-testid="campaign-state">{lang.campaign_state(state)}</span>
            </div>
            <p class="row-sub"><span data-testid="campaign-target">{target}</span>" · "<strong class="num" data-testid="campaign-boost">{boost}</strong></p>
            <p class="row-sub num" data-testid="campaign-window">{window}</p>
            <p class="row-sub" data-testid="campaign-audience">{lang.audience(campaign.campaign.audience)}</p>
            <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=percent.min(100)
                aria-valuetext=budget.clone() aria-label=p.campaign_budget>
                <span style=format!("width: {}%", percent.min(100))></span>
            </div>
            <p class="row-sub num"><span data-testid="campaign-spent" data-spent=campaign.spent>{budget}</span>" · "
                <span data-testid="campaign-grants">{lang.grants_line(campaign.grants)}</span></p>
            <OpsResult result testid="campaign-row-result" />
            {(!over).then(|| view! {
                <div class="campaign-actions">
                    {move || if asking.get() {
                        Either::Left(view! {
                            <div class="confirm-box" role="group" aria-label=p.campaign_end>
                                <p>{question.clone()}</p>
                                <div class="btn-row">
                                    <button type="button" class="btn btn-danger" data-testid="campaign-end-confirm"
                                        disabled=move || end.pending() on:click=confirm>{p.campaign_end}</button>
                                    <button type="button" class="btn btn-outline" on:click=move |_| asking.set(false)>{p.campaign_keep}</button>
                                </div>
                            </div>
                        })
                    } else {
                        Either::Right(view! {
                            <button type="button" class="btn btn-sm btn-danger-outline" data-testid="campaign-end"
                                on:click=move |_| asking.set(true)>{p.campaign_end}</button>
                        })
                    }}
                </div>
            })}
        </li>
    }
}

/// The targets, in the form's order, with their form values.
const TARGETS: [(Target, &str); 4] =
    [(Target::Checkin, "checkin"), (Target::Purchase, "purchase"), (Target::Price, "price"), (Target::MemberDay, "member_day")];

/// The audiences the form offers: everyone, a tier and above, exactly a tier.
fn audiences() -> Vec<(String, Audience)> {
    let mut list = vec![("all".to_string(), Audience::default())];
    for t in &Tier::ALL[1..] {
        list.push((format!("{}+", t.as_str()), Audience { tier: Some(*t), exact: false }));
    }
    for t in Tier::ALL {
        list.push((format!("{}=", t.as_str()), Audience { tier: Some(t), exact: true }));
    }
    list
}

/// The form that schedules a new campaign.
#[component]
fn NewCampaignForm(campaigns: Campaigns, categories: Categories) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let clock = use_server_clock();
    let text = || RwSignal::new(String::new());
    let (name_zh, name_en, item, month_day, amount, budget) = (text(), text(), text(), text(), text(), text());
    let target = RwSignal::new(Target::Checkin);
    let category = RwSignal::new(None::<String>);
    let day_kind = RwSignal::new("weekday");
    let weekday = RwSignal::new(1u8);
    let by_percent = RwSignal::new(true);
    let audience = RwSignal::new("all".to_string());
    // From now to a week from now, in this computer's time.
    let now_ms = clock.now_ms_untracked() as f64;
    let starts = RwSignal::new(local_input(now_ms));
    let ends = RwSignal::new(local_input(now_ms + 7.0 * 86_400_000.0));
    let said = RwSignal::new(None::<Result<String, String>>);
    let create = Intent::new(|new: NewCampaign, _key: String| async move { api::admin_create_campaign(&new).await });
    let result = answer(said, create, move |f| campaign_failure(lang, f));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = lang.p();
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>().unwrap_or(0);
        let t = target.get_untracked();
        let item_text = item.get_untracked();
        let value = number(amount);
        // A member-day bonus is only ever an amount of points.
        let percent_mode = by_percent.get_untracked() && t != Target::MemberDay;
        let member_day = (t == Target::MemberDay).then(|| match day_kind.get_untracked() {
            "month_day" => MemberDay::MonthDay(u8::try_from(number(month_day)).unwrap_or(0)),
            "birthday" => MemberDay::Birthday,
            _ => MemberDay::Weekday(weekday.get_untracked()),
        });
        let (start_secs, end_secs) = (local_secs(&starts.get_untracked()), local_secs(&ends.get_untracked()));
        let new = NewCampaign {
            name: I18nText { zh: name_zh.get_untracked().trim().into(), en: name_en.get_untracked().trim().into() },
            starts_at: start_secs.unwrap_or(0),
            ends_at: end_secs.unwrap_or(0),
            target: t,
            category: category.get_untracked().filter(|_| t == Target::Price),
            item_id: (t == Target::Price && !item_text.trim().is_empty()).then(|| item_text.trim().parse().unwrap_or(0)),
            member_day,
            percent: percent_mode.then_some(value),
            points: (!percent_mode).then_some(value),
            budget: number(budget),
            audience: audiences().into_iter().find(|(k, _)| *k == audience.get_untracked()).map(|(_, a)| a).unwrap_or_default(),
        };
        // The refused fields by their labels: the core rule's, an unreadable time, a window
        // already over (the server refuses it too).
        let mut labels: Vec<&'static str> = Vec::new();
        let mut name = |label: &'static str| {
            if !labels.contains(&label) {
                labels.push(label);
            }
        };
        if start_secs.is_none() {
            name(p.campaign_starts);
        }
        for e in new.check() {
            name(match e.field.as_str() {
                "name.zh" => p.item_name_zh,
                "name.en" => p.item_name_en,
                "starts_at" => p.campaign_starts,
                "ends_at" => p.campaign_ends,
                "budget" => p.campaign_budget_field,
                "category" => p.campaign_category,
                "item_id" => p.campaign_item,
                "percent" | "points" if percent_mode => p.campaign_percent,
                "percent" | "points" => p.campaign_points,
                f if f.starts_with("member_day") => p.campaign_day,
                _ => p.campaign_target,
            });
        }
        if end_secs.is_some_and(|e| e * 1000 <= clock.now_ms_untracked()) {
            name(p.campaign_ends);
        }
        if !labels.is_empty() {
            said.set(Some(Err(format!("{}{}", p.rules_check, labels.join(lang.zh_en("、", ", "))))));
            return;
        }
        said.set(None);
        create.dispatch(new, move |_| {
            for s in [name_zh, name_en, item, month_day, amount, budget] {
                s.try_set(String::new());
            }
            said.try_set(Some(Ok(lang.p().campaign_created.to_string())));
            campaigns.refetch();
        });
    };

    let set_target = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let t = TARGETS.iter().find(|(_, k)| *k == v).map_or(Target::Checkin, |(t, _)| *t);
        target.set(t);
        if t == Target::MemberDay {
            by_percent.set(false);
        }
    };
    view! {
        <form class="card ops-card campaign-form" on:submit=submit novalidate data-testid="campaign-form" aria-labelledby="campaign-form-heading">
            <h2 class="card-heading" id="campaign-form-heading">{p.campaign_new}</h2>
            <div class="field-row">
                <Field label=p.item_name_zh value=name_zh testid="campaign-name-zh" maxlength=40 />
                <Field label=p.item_name_en value=name_en testid="campaign-name-en" maxlength=40 />
            </div>
            <label class="field"><span>{p.campaign_target}</span>
                <select data-testid="campaign-target-select" on:change=set_target>
                    {TARGETS.into_iter().map(|(t, key)| view! {
                        <option value=key selected=move || target.get() == t>{target_name(lang, t)}</option>
                    }).collect_view()}
                </select>
            </label>
            {move || match target.get() {
                Target::Price => EitherOf3::A(view! {
                    <div class="field-row">
                        <label class="field"><span>{p.campaign_category}</span>
                            <select data-testid="campaign-category" on:change=move |ev| {
                                let v = event_target_value(&ev);
                                category.set((!v.is_empty()).then_some(v));
                            }>
                                <option value="" selected=move || category.get().is_none()>{p.campaign_no_category}</option>
                                {move || categories.get().and_then(Result::ok).map(|c| c.categories).unwrap_or_default().into_iter().map(|c| {
                                    let slug = c.slug.clone();
                                    let on = slug.clone();
                                    view! { <option value=slug selected=move || category.get().as_deref() == Some(on.as_str())>{lang.pick(&c.name)}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <Field label=p.campaign_item value=item testid="campaign-item" kind="number" />
                    </div>
                }),
                Target::MemberDay => EitherOf3::B(view! {
                    <div class="field-row">
                        <label class="field"><span>{p.campaign_day}</span>
                            <select data-testid="campaign-day-kind" on:change=move |ev| {
                                let v = event_target_value(&ev);
                                day_kind.set(match v.as_str() { "month_day" => "month_day", "birthday" => "birthday", _ => "weekday" });
                            }>
                                {[("weekday", p.day_weekday), ("month_day", p.day_month), ("birthday", p.day_birthday)].into_iter().map(|(k, label)| view! {
                                    <option value=k selected=move || day_kind.get() == k>{label}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        {move || match day_kind.get() {
                            "weekday" => Some(Either::Left(view! {
                                <label class="field"><span>{p.campaign_weekday}</span>
                                    <select data-testid="campaign-weekday" on:change=move |ev| weekday.set(event_target_value(&ev).parse().unwrap_or(1))>
                                        {(1..=7u8).map(|d| view! { <option value=d.to_string() selected=move || weekday.get() == d>{lang.weekday(d)}</option> }).collect_view()}
                                    </select>
                                </label>
                            })),
                            "month_day" => Some(Either::Right(view! { <Field label=p.campaign_month_day value=month_day testid="campaign-month-day" kind="number" /> })),
                            _ => None,
                        }}
                    </div>
                }),
                _ => EitherOf3::C(()),
            }}
            <div class="field-row">
                {move || (target.get() != Target::MemberDay).then(|| view! {
                    <label class="field"><span>{p.campaign_boost}</span>
                        <select data-testid="campaign-boost-kind" on:change=move |ev| by_percent.set(event_target_value(&ev) == "percent")>
                            <option value="percent" selected=move || by_percent.get()>{p.boost_by_percent}</option>
                            <option value="points" selected=move || !by_percent.get()>{p.boost_by_points}</option>
                        </select>
                    </label>
                })}
                {move || if by_percent.get() && target.get() != Target::MemberDay {
                    Either::Left(view! { <Field label=p.campaign_percent value=amount testid="campaign-amount" kind="number" /> })
                } else {
                    Either::Right(view! { <Field label=p.campaign_points value=amount testid="campaign-amount" kind="number" /> })
                }}
            </div>
            <div class="field-row">
                <Field label=p.campaign_budget_field value=budget testid="campaign-budget" kind="number" />
                <label class="field"><span>{p.campaign_audience}</span>
                    <select data-testid="campaign-audience" on:change=move |ev| audience.set(event_target_value(&ev))>
                        {audiences().into_iter().map(|(key, a)| {
                            let on = key.clone();
                            view! { <option value=key selected=move || audience.with(|v| *v == on)>{lang.audience(a)}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <div class="field-row window-row">
                <Field label=p.campaign_starts value=starts testid="campaign-starts" kind="datetime-local" />
                <Field label=p.campaign_ends value=ends testid="campaign-ends" kind="datetime-local" />
            </div>
            <OpsResult result testid="campaign-result" />
            <button type="submit" class="btn btn-primary btn-block" data-testid="campaign-create" disabled=move || create.pending()>{p.campaign_create}</button>
        </form>
    }
}
