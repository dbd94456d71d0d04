//! The rules in the back office (积分规则): the numbers the mall runs on, as a form with
//! the values in force, the changes listed for a second look before they are saved (from
//! now or from a later moment, with a reason), and every version: in force, scheduled,
//! before. A change is never retroactive (lots, history and tiers keep what they had);
//! the server checks it by the same rule as the form (`Rules::validate`) and audits it.

use leptos::{either::EitherOf3, prelude::*};
use mall_core::rules::{Rules, RulesChange, RulesOverview, RulesVersion};

use crate::{
    api,
    components::{
        field::Field,
        states::{ErrorState, ListSkeleton},
    },
    i18n::{use_lang, PageTexts},
    intent::Intent,
    pages::ops::{answer, by_status, OpsResult},
};

/// One number (or list of numbers) of the rules the form edits.
struct Knob {
    /// The rule's field, as the server names it in a refusal.
    field: &'static str,
    /// The input's `data-testid`.
    testid: &'static str,
    /// Its label.
    label: fn(&PageTexts) -> &'static str,
    /// Its value as the form shows it.
    get: fn(&Rules) -> String,
    /// Sets it from the form's text; `false` when the text is not a number (or list).
    set: fn(&mut Rules, &str) -> bool,
}

/// Numbers separated by commas or spaces (either width).
fn numbers<T: std::str::FromStr>(text: &str) -> Option<Vec<T>> {
    text.split([',', '，', ' ', '、']).filter(|s| !s.is_empty()).map(|s| s.parse().ok()).collect()
}

/// Joins numbers as the form shows them.
fn joined<T: ToString>(values: impl Iterator<Item = T>) -> String {
    values.map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
}

macro_rules! whole {
    ($field:ident, $label:ident) => {
        Knob {
            field: stringify!($field),
            testid: concat!("rule-", stringify!($field)),
            label: |p| p.$label,
            get: |r| r.$field.to_string(),
            set: |r, text| text.trim().parse().map(|n| r.$field = n).is_ok(),
        }
    };
}

/// The knobs, in the form's order. The fixed ones (the host shop's contract) are not here.
const KNOBS: [Knob; 20] = [
    Knob {
        field: "checkin_ladder",
        testid: "rule-checkin_ladder",
        label: |p| p.rules_ladder,
        get: |r| joined(r.checkin_ladder.iter()),
        set: |r, text| numbers(text).map(|v| r.checkin_ladder = v).is_some(),
    },
    whole!(early_bird_count, rules_early_birds),
    whole!(checkin_growth, rules_checkin_growth),
    whole!(makeup_cost, rules_makeup_cost),
    whole!(makeups_per_month, rules_makeups),
    Knob {
        field: "tasks",
        testid: "rule-tasks",
        label: |p| p.rules_task_points,
        get: |r| joined(r.tasks.iter().map(|t| t.points)),
        set: |r, text| match numbers::<i64>(text) {
            Some(points) if points.len() == r.tasks.len() => {
                r.tasks.iter_mut().zip(points).for_each(|(t, p)| t.points = p);
                true
            }
            _ => false,
        },
    },
    whole!(tasks_per_day, rules_tasks_per_day),
    whole!(register_points, rules_register_points),
    whole!(register_growth, rules_register_growth),
    whole!(invite_inviter_points, rules_inviter_points),
    whole!(invite_invitee_points, rules_invitee_points),
    whole!(invites_per_month, rules_invites),
    whole!(purchase_points_per_yuan, rules_per_yuan),
    Knob {
        field: "tiers",
        testid: "rule-tiers",
        label: |p| p.rules_thresholds,
        get: |r| joined(r.tiers.thresholds.iter()),
        set: |r, text| match numbers::<i64>(text).map(<[i64; 3]>::try_from) {
            Some(Ok(thresholds)) => {
                r.tiers.thresholds = thresholds;
                true
            }
            _ => false,
        },
    },
    Knob {
        field: "perks",
        testid: "rule-perks",
        label: |p| p.rules_multipliers,
        get: |r| joined(r.perks.iter().map(|p| p.multiplier)),
        set: |r, text| match numbers(text) {
            Some(m) if m.len() == r.perks.len() => {
                r.perks.iter_mut().zip(m).for_each(|(p, m)| p.multiplier = m);
                true
            }
            _ => false,
        },
    },
    whole!(lot_lifetime_months, rules_lot_months),
    whole!(expiring_soon_days, rules_expiring_days),
    whole!(coupon_valid_days, rules_coupon_days),
    whole!(donation_min_points, rules_donation_min),
    whole!(birthday_points, rules_birthday_points),
];

/// The actor of version 1, the release's rules.
const RELEASE: &str = "release";

/// When a version took (or takes) effect, as the page says it: version 1 is in force from
/// the Unix epoch, so it says when it was written (the mall's first start).
fn since(v: &RulesVersion) -> &str {
    // Both RFC 3339 in the mall's zone: the strings compare as the instants do.
    if v.effective_at < v.created_at {
        &v.created_at
    } else {
        &v.effective_at
    }
}

/// A changed knob: its label, the value in force and the new one.
#[derive(Clone, PartialEq)]
struct Change {
    label: &'static str,
    before: String,
    after: String,
}

/// The rules section: the form and the versions.
#[component]
pub fn RulesSection() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let overview = LocalResource::new(api::admin_rules);
    let reload = Callback::new(move |_| {
        overview.set(None);
        overview.refetch();
    });
    // What the last save said; it outlives the form, which is drawn anew with the versions.
    let saved_as = RwSignal::new(None::<Result<String, String>>);
    let saved = Callback::new(move |version: RulesVersion| {
        saved_as.set(Some(Ok(lang.rules_saved(version.version))));
        reload.run(());
    });
    view! {
        <p class="muted staff-note">{p.rules_note}</p>
        <OpsResult result=saved_as testid="rules-saved" />
        <div class="ops-columns">
            {move || match overview.get() {
                None => EitherOf3::A(view! { <section class="card ops-card"><ListSkeleton rows=6 /></section> }),
                Some(Err(f)) => EitherOf3::B(view! { <section class="card ops-card"><ErrorState failure=f retry=reload /></section> }),
                Some(Ok(o)) => EitherOf3::C(view! { <RulesForm in_force=o.in_force.clone() saved saved_as /> <Versions overview=o /> }),
            }}
        </div>
    }
}

/// The form: one field per knob, then the changes to confirm.
#[component]
fn RulesForm(in_force: RulesVersion, saved: Callback<RulesVersion>, saved_as: RwSignal<Option<Result<String, String>>>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let in_force_line = lang.rules_in_force(in_force.version, &lang.when(since(&in_force)));
    let current = StoredValue::new(in_force.rules);
    let values: Vec<RwSignal<String>> = KNOBS.iter().map(|k| RwSignal::new(current.with_value(|r| (k.get)(r)))).collect();
    let values = StoredValue::new(values);
    let effective = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let review = RwSignal::new(None::<(RulesChange, Vec<Change>)>);
    let said = RwSignal::new(None::<Result<String, String>>);
    let save = Intent::new(|change: RulesChange, key: String| async move { api::admin_put_rules(&change, &key).await });
    let result = answer(said, save, move |f| by_status(lang, f, &[(422, lang.p().rules_refused)]));
    // The rules the form says, or the labels of the fields that are not numbers / break a rule.
    let proposed = move || -> Result<Rules, Vec<&'static str>> {
        let mut rules = current.get_value();
        let unreadable: Vec<&'static str> = values.with_value(|v| {
            KNOBS.iter().zip(v).filter(|(k, v)| !(k.set)(&mut rules, &v.get_untracked())).map(|(k, _)| (k.label)(lang.p())).collect()
        });
        if !unreadable.is_empty() {
            return Err(unreadable);
        }
        let broken: Vec<&'static str> = rules
            .validate()
            .iter()
            .filter_map(|e| KNOBS.iter().find(|k| e.field.starts_with(k.field)).map(|k| (k.label)(lang.p())))
            .collect();
        if broken.is_empty() {
            Ok(rules)
        } else {
            Err(broken)
        }
    };
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        review.set(None);
        let rules = match proposed() {
            Ok(rules) => rules,
            Err(labels) => {
                said.set(Some(Err(format!("{}{}", lang.p().rules_check, labels.join("、")))));
                return;
            }
        };
        let why = reason.get_untracked().trim().to_string();
        if why.is_empty() {
            said.set(Some(Err(lang.p().ops_need_reason.to_string())));
            return;
        }
        let changes: Vec<Change> = current.with_value(|before| {
            KNOBS
                .iter()
                .map(|k| Change { label: (k.label)(lang.p()), before: (k.get)(before), after: (k.get)(&rules) })
                .filter(|c| c.before != c.after)
                .collect()
        });
        if changes.is_empty() {
            said.set(Some(Err(lang.p().rules_unchanged.to_string())));
            return;
        }
        // `datetime-local` is the phone's local time; the server takes RFC 3339.
        let at = effective.get_untracked();
        let effective_at = (!at.is_empty())
            .then(|| js_sys::Date::new(&at.into()))
            .filter(|d| !d.get_time().is_nan())
            .map(|d| String::from(d.to_iso_string()));
        said.set(None);
        review.set(Some((RulesChange { rules, effective_at, reason: why }, changes)));
    };
    let confirm = move |_| {
        let Some((change, _)) = review.get_untracked() else { return };
        saved_as.set(None);
        save.dispatch(change, move |version| saved.run(version));
    };
    view! {
        <form class="card ops-card rules-form" on:submit=ask novalidate data-testid="rules-form" aria-labelledby="rules-heading">
            <h2 class="card-heading" id="rules-heading">{p.ops_rules}</h2>
            <p class="muted rules-in-force">{in_force_line}</p>
            {values.with_value(|v| KNOBS.iter().zip(v.iter().copied()).map(|(k, value)| view! {
                <Field label=(k.label)(p) value testid=k.testid />
            }).collect_view())}
            <Field label=p.rules_from value=effective testid="rules-effective" kind="datetime-local" />
            <Field label=p.rules_reason value=reason testid="rules-reason" maxlength=200 />
            <OpsResult result testid="rules-result" />
            {move || review.get().map(|(_, changes)| view! {
                <div class="confirm-box" data-testid="rules-review">
                    <p class="row-title">{p.rules_review}</p>
                    <ul class="list">
                        {changes.into_iter().map(|c| view! {
                            <li class="rules-diff" data-testid="rules-diff"><span class="muted">{c.label}</span><span class="num">{c.before}" → "{c.after}</span></li>
                        }).collect_view()}
                    </ul>
                    <div class="btn-row">
                        <button type="button" class="btn btn-light" on:click=move |_| review.set(None)>{lang.t().cancel}</button>
                        <button type="button" class="btn btn-primary" data-testid="rules-confirm" disabled=move || save.pending() on:click=confirm>{p.rules_confirm}</button>
                    </div>
                </div>
            })}
            <button class="btn btn-primary btn-block" type="submit" data-testid="rules-ask">{p.rules_ask}</button>
        </form>
    }
}

/// The versions: in force, scheduled (soonest first), before (newest first).
#[component]
fn Versions(overview: RulesOverview) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let row = move |v: RulesVersion, state: &'static str| {
        let label = match state {
            "in_force" => p.rules_state_in_force,
            "scheduled" => p.rules_state_scheduled,
            _ => p.rules_state_before,
        };
        view! {
            <li class="row" data-testid="rules-version" data-state=state data-version=v.version.to_string()>
                <div class="grow">
                    <span class="row-title">"v"{v.version}" · "{lang.when(since(&v))}</span>
                    <span class="row-sub muted">{if v.actor == RELEASE { p.rules_release.to_string() } else { format!("{} · {}", v.actor, v.reason) }}</span>
                </div>
                <span class="status-pill">{label}</span>
            </li>
        }
    };
    let RulesOverview { in_force, scheduled, history } = overview;
    view! {
        <section class="card ops-card" aria-labelledby="rules-versions-heading" data-testid="rules-versions">
            <h2 class="card-heading" id="rules-versions-heading">{p.rules_versions}</h2>
            <ul class="list ops-list">
                {scheduled.into_iter().rev().map(|v| row(v, "scheduled")).collect_view()}
                {row(in_force, "in_force")}
                {history.into_iter().map(|v| row(v, "before")).collect_view()}
            </ul>
        </section>
    }
}
