//! Check-in: one tap a day, the streak in big digits, the month calendar (checked,
//! made up, missed, today, future), the ladder (its last day marked ×2 when worth double the one before), tomorrow's
//! reward, when the day resets in the member's own time, and make-ups for missed days.

use leptos::prelude::*;
use mall_core::{
    earning::{CalendarDay, CheckinMonth, DayState},
    rules::ladder_step,
};

use crate::{
    api,
    components::{
        sheet::Sheet,
        states::ErrorState,
        toast::{use_toast, Toast},
    },
    i18n::{use_lang, Lang},
    intent::{Attempt, Intent},
    session::{use_session, Session},
    title::set_page_title,
};

/// `2026-11-24T00:00:00+08:00` → the member's own local time, e.g. `00:00` or `11:00 AM`.
pub fn local_time(rfc3339: &str, lang: Lang) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"2-digit".into());
    let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
    date.to_locale_time_string_with_options(lang.tag(), &options).into()
}

/// The check-in page.
#[component]
pub fn Checkin() -> impl IntoView {
    set_page_title(|l| l.t().tab_checkin.to_string());
    let month = LocalResource::new(|| api::checkins(None));
    let data = RwSignal::new(None::<CheckinMonth>);
    // Lives here, not in the view: the view is rebuilt with each new calendar.
    let celebrate = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(m)) = month.get() {
            data.set(Some(m));
        }
    });
    view! {
        <section class="page checkin">
            {move || match (data.get(), month.get()) {
                (Some(m), _) => view! { <CheckinView month=m data celebrate /> }.into_any(),
                (None, Some(Err(f))) => view! { <ErrorState failure=f retry=Callback::new(move |_| month.refetch()) /> }.into_any(),
                _ => view! { <div class="checkin-hero skeleton-card-hero"></div><div class="calendar skeleton"></div> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CheckinView(month: CheckinMonth, data: RwSignal<Option<CheckinMonth>>, celebrate: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    let checking_in = use_check_in();
    let makeup_day = RwSignal::new(None::<CalendarDay>);
    let m = month.clone();
    let checked_today = m.checked_today;
    let check_in = move |_| {
        checking_in.submit(move |calendar, won| {
            if won {
                celebrate.try_set(true);
            }
            data.try_set(Some(calendar));
        })
    };
    let t = lang.t();
    let p = lang.p();
    let ladder = m.ladder.clone();
    // Today's step once checked in, else the step the next check-in lands on.
    let position = ladder_step(if m.checked_today { m.streak } else { m.streak + 1 }, ladder.len());
    let weekday_offset = first_weekday(&m.days);

    view! {
        <div class="checkin-hero" class:celebrate=move || celebrate.get()>
            <p class="checkin-streak-label">{p.streak_label}</p>
            <p class="checkin-streak num" data-testid="streak">{m.streak}<small>{p.days_unit}</small></p>
            <p class="checkin-next">
                {if m.checked_today { lang.tomorrow_reward(m.tomorrow_reward) } else { lang.today_reward(m.today_reward.unwrap_or(0)) }}
            </p>
            <button class="btn btn-light btn-checkin" data-testid="checkin-button"
                disabled=move || checking_in.pending() || checked_today
                on:click=check_in>
                {if m.checked_today { t.checked_in_today } else { t.check_in_now }}
            </button>
            <div class="coins" aria-hidden="true"><span></span><span></span><span></span><span></span><span></span></div>
            <p class="checkin-reset">{lang.resets_at(&local_time(&m.resets_at, lang))}</p>
        </div>

        <div class="card ladder-card">
            <h2 class="card-heading">{p.ladder_title}</h2>
            <ol class="ladder">
                {ladder.iter().enumerate().map(|(i, pts)| {
                    let done = i < position;
                    let current = i == position;
                    // The last day, when it is worth double the day before (the release's 15 → 30).
                    let double = i + 1 == ladder.len() && i > 0 && *pts == 2 * ladder[i - 1];
                    view! {
                        <li class="ladder-step" class:done=done class:current=current class:double=double>
                            <span class="ladder-pts num">{format!("+{pts}")}</span>
                            <span class="ladder-day">{lang.day_n(i as i64 + 1)}</span>
                            {double.then(|| view! { <span class="badge ladder-x2">"×2"</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </div>

        <div class="card calendar-card">
            <h2 class="card-heading">{lang.month_title(&m.month)}</h2>
            <div class="calendar" role="group" aria-label=lang.month_title(&m.month)>
                {lang.weekdays().into_iter().map(|d| view! { <span class="cal-head" aria-hidden="true">{d}</span> }).collect_view()}
                {(0..weekday_offset).map(|_| view! { <span class="cal-pad"></span> }).collect_view()}
                {m.days.iter().map(|day| {
                    let n = day.date.get(8..10).unwrap_or("").trim_start_matches('0').to_string();
                    let state = day.state;
                    let label = format!("{} {}", day.date, lang.day_state(state));
                    let d = day.clone();
                    view! {
                        <button class="cal-day" data-state=state_name(state) data-testid=format!("day-{}", day.date)
                            disabled={state != DayState::Missed}
                            on:click=move |_| makeup_day.set(Some(d.clone()))>
                            <span class="num">{n}</span>
                            <span class="sr-only">{label}</span>
                        </button>
                    }
                }).collect_view()}
            </div>
            <p class="calendar-legend muted">{lang.makeup_hint(m.makeup_cost, m.free_makeups_left, m.makeups_left)}</p>
        </div>

        {move || makeup_day.get().map(|day| view! {
            <MakeupSheet day month=m.clone() data on_close=Callback::new(move |_| makeup_day.set(None)) />
        })}
    }
}

/// A check-in, on this page or Home's card: one request at a time, the result toasted in
/// the member's language, the balance refreshed. Made in the component
/// ([`use_check_in`]). Checking in twice a day is a no-op on the server, so it needs no
/// idempotency key: an [`Attempt`] alone, which keeps the key machinery out of Home's
/// first-visit bytes.
#[derive(Clone, Copy)]
pub struct CheckIn {
    attempt: Attempt,
    lang: Lang,
    toast: Toast,
    session: Session,
}

/// The check-in of the current component (reads the language, toast and session here).
pub fn use_check_in() -> CheckIn {
    CheckIn { attempt: Attempt::new(), lang: use_lang(), toast: use_toast(), session: use_session() }
}

impl CheckIn {
    /// Whether a check-in is on its way (tracked).
    pub fn pending(&self) -> bool {
        self.attempt.pending()
    }

    /// Checks in: toasts the result, refreshes the balance and hands the new calendar
    /// to `done` (with whether points were won).
    pub fn submit(&self, done: impl FnOnce(CheckinMonth, bool) + 'static) {
        let CheckIn { attempt, lang, toast, session } = *self;
        attempt.run(api::check_in(), move |outcome| match outcome {
            Ok(r) => {
                if r.checked_in {
                    toast.show(lang.checkin_toast(r.points, r.early_bird, r.campaign_points));
                } else {
                    toast.show(lang.t().already_checked_in);
                }
                session.refresh();
                done(r.calendar, r.checked_in);
            }
            Err(f) => toast.show(lang.failure(&f)),
        });
    }
}

fn state_name(s: DayState) -> &'static str {
    match s {
        DayState::Checked => "checked",
        DayState::MadeUp => "made-up",
        DayState::Missed => "missed",
        DayState::Today => "today",
        DayState::Future => "future",
        DayState::Past => "past",
    }
}

/// Blank cells before the 1st in a Monday-first week.
fn first_weekday(days: &[CalendarDay]) -> usize {
    let Some(first) = days.first() else { return 0 };
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!("{}T12:00:00Z", first.date)));
    ((date.get_utc_day() + 6) % 7) as usize
}

#[component]
fn MakeupSheet(day: CalendarDay, month: CheckinMonth, data: RwSignal<Option<CheckinMonth>>, on_close: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let toast = use_toast();
    let makeup = Intent::new(|date: String, key: String| async move { api::makeup(&date, &key).await });
    let free = month.free_makeups_left > 0;
    let date = day.date.clone();
    let confirm = move |_| {
        makeup.dispatch(date.clone(), move |r| {
            toast.show(lang.p().makeup_done);
            data.try_set(Some(r.calendar));
            session.refresh();
            on_close.run(());
        });
    };
    view! {
        <Sheet title=lang.p().makeup_title.to_string() on_close>
            <div class="sheet-body" data-testid="makeup-sheet">
                <p>{lang.makeup_line(&day.date)}</p>
                <dl class="summary">
                    <dt>{lang.t().cost}</dt>
                    <dd class="strong num">{if free { lang.p().free.to_string() } else { lang.points(month.makeup_cost) }}</dd>
                    <dt>{lang.p().makeups_left}</dt>
                    <dd class="num">{month.makeups_left}</dd>
                </dl>
                {move || makeup.error().map(|e| view! { <p class="inline-error" role="alert">{e}</p> })}
                <button class="btn btn-primary btn-block" data-testid="confirm-makeup" disabled=move || makeup.pending() on:click=confirm>
                    {lang.p().confirm_makeup}
                </button>
            </div>
        </Sheet>
    }
}
