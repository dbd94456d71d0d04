//! The operator page's flash sales: the list of a range of shop days (sold and verified
//! counts, cancelled ones marked) with edit before the start and cancel, and the form
//! that schedules one offer in one or more daily slots of a shop day
//! (`POST /api/admin/sales/daily`, all or nothing; checked with the server's rules first).

use leptos::prelude::*;
use mall_core::{
    dto::I18nText,
    sales::{DailySlots, SaleTerms, DEFAULT_SLOTS},
    staff::{AdminSale, SaleEdit},
};

use crate::{
    api,
    asked::Asked,
    components::{field::Field, states::ListSkeleton},
    i18n::use_lang,
    intent::Intent,
    pages::ops::{answer, MerchantSelect, OpsResult, Said},
    server_clock::{use_server_clock, use_shop_today},
};

/// Voucher pictures the demo ships with (`public/img/items/`).
const IMAGES: [&str; 8] = [
    "luckin-voucher",
    "starbucks-latte",
    "movie-ticket",
    "meituan-hongbao-10",
    "jd-ecard-50",
    "phone-topup-10",
    "video-vip-month",
    "store-voucher-3",
];

/// `Luckin ¥9 coffee!` → `luckin-9-coffee`: the offer key, so one offer cannot overlap itself.
fn offer_key(english_name: &str) -> String {
    let lower = english_name.to_ascii_lowercase();
    lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-")
}

/// The form, with its answer right above the button.
#[component]
pub fn ScheduleSales() -> impl IntoView {
    let lang = use_lang();
    let said = RwSignal::new(None::<Result<String, String>>);
    let schedule_sales = Intent::new(|schedule: DailySlots, _key: String| async move { api::admin_schedule_daily(&schedule).await });
    let result = answer(said, schedule_sales, move |f| lang.staff_failure(f));
    let p = lang.p();
    let text = || RwSignal::new(String::new());
    let (offer_zh, offer_en) = (text(), text());
    let merchants = LocalResource::new(api::admin_merchants);
    let merchant = RwSignal::new(None::<i64>);
    let image = RwSignal::new(IMAGES[0].to_string());
    let points = text();
    let quantity = text();
    let limit = RwSignal::new("1".to_string());
    let day = text();
    let minutes = RwSignal::new("60".to_string());
    let valid_days = RwSignal::new("30".to_string());
    let chosen = RwSignal::new(Vec::<String>::new());
    let other = text();
    // The shop's today, from the server (the phone's date may be another zone's).
    let today = use_shop_today();
    Effect::new(move |_| {
        if let Some(today) = today.date() {
            if day.get_untracked().is_empty() {
                day.set(today);
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>();
        let (Ok(points), Ok(quantity), Ok(limit), Ok(minutes), Ok(valid_days)) =
            (number(points), number(quantity), number(limit), number(minutes), number(valid_days))
        else {
            said.set(Some(Err(lang.p().ops_bad_number.to_string())));
            return;
        };
        let mut slots = chosen.get_untracked();
        let extra = other.get_untracked();
        if !extra.trim().is_empty() {
            slots.push(extra.trim().to_string());
        }
        let pair = |zh: RwSignal<String>, en: RwSignal<String>| I18nText {
            zh: zh.get_untracked().trim().into(),
            en: en.get_untracked().trim().into(),
        };
        let schedule = DailySlots {
            terms: SaleTerms {
                offer_key: offer_key(&offer_en.get_untracked()),
                offer: pair(offer_zh, offer_en),
                merchant_id: merchant.get_untracked().unwrap_or_default(),
                image: format!("/img/items/{}.svg", image.get_untracked()),
                points,
                quantity,
                per_member_limit: Some(limit),
                code_valid_days: Some(valid_days),
            },
            day: day.get_untracked(),
            slots,
            minutes,
        };
        if let Err(e) = schedule.validate() {
            said.set(Some(Err(lang.schedule_error(e).to_string())));
            return;
        }
        if merchant.get_untracked().is_none() {
            said.set(Some(Err(lang.p().ops_pick_merchant.to_string())));
            return;
        }
        said.set(None);
        let (day, mut slots) = (schedule.day.clone(), schedule.slots.clone());
        slots.sort();
        schedule_sales.dispatch(schedule, move |_| {
            said.try_set(Some(Ok(lang.scheduled(&day, &slots))));
        });
    };

    view! {
        <form class="card ops-card" on:submit=submit data-testid="ops-sales" aria-labelledby="schedule-heading">
            <h2 class="card-heading" id="schedule-heading">{p.ops_sales}</h2>
            <Field label=p.ops_offer_zh value=offer_zh testid="sale-offer-zh" />
            <Field label=p.ops_offer_en value=offer_en testid="sale-offer-en" />
            <MerchantSelect merchants merchant testid="sale-merchant" />
            <label class="field"><span>{p.ops_image}</span>
                <select data-testid="sale-image" on:change=move |ev| image.set(event_target_value(&ev))>
                    {IMAGES.iter().map(|name| view! { <option value=*name selected=move || image.get() == *name>{*name}</option> }).collect_view()}
                </select>
            </label>
            <div class="field-row">
                <Field label=p.ops_points value=points testid="sale-points" kind="number" />
                <Field label=p.ops_quantity value=quantity testid="sale-quantity" kind="number" />
                <Field label=p.ops_limit value=limit testid="sale-limit" kind="number" />
            </div>
            <Field label=p.ops_day value=day testid="sale-day" kind="date" />
            <fieldset class="field">
                <legend>{p.ops_slots}</legend>
                <div class="chip-row">
                    {DEFAULT_SLOTS.iter().map(|slot| {
                        let slot = slot.to_string();
                        let on = { let slot = slot.clone(); move || chosen.with(|c| c.contains(&slot)) };
                        let toggle = { let slot = slot.clone(); move |_| chosen.update(|c| if let Some(i) = c.iter().position(|s| *s == slot) { c.remove(i); } else { c.push(slot.clone()); }) };
                        view! { <button type="button" class="chip num" aria-pressed=move || on().to_string() on:click=toggle>{slot}</button> }
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="field-row">
                <Field label=p.ops_other_slot value=other testid="sale-other-slot" kind="time" />
                <Field label=p.ops_minutes value=minutes testid="sale-minutes" kind="number" />
            </div>
            <Field label=p.ops_valid_days value=valid_days testid="sale-valid-days" kind="number" />
            <OpsResult result testid="sale-result" />
            <button class="btn btn-primary btn-block" type="submit" data-testid="sale-schedule" disabled=move || schedule_sales.pending()>{p.ops_schedule}</button>
        </form>
    }
}

/// `YYYY-MM-DD` plus `days` (calendar arithmetic in UTC: no zone can move the date).
pub fn add_days(day: &str, days: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!("{day}T00:00:00Z")));
    let moved = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(date.get_time() + days as f64 * 86_400_000.0));
    moved.to_iso_string().as_string().and_then(|s| s.get(..10).map(str::to_string)).unwrap_or_else(|| day.to_string())
}

/// `2026-11-23T10:00:00+08:00` → Unix ms (`None` if unreadable).
pub fn epoch_ms(rfc3339: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(rfc3339);
    (!ms.is_nan()).then_some(ms)
}

/// `10:00–11:00` of a window, with its day: `11-23 10:00–11:00`.
fn window(sale: &AdminSale) -> String {
    let clock = |s: &str| s.get(11..16).unwrap_or_default().to_string();
    format!("{} {}–{}", sale.starts_at.get(5..10).unwrap_or_default(), clock(&sale.starts_at), clock(&sale.ends_at))
}

/// The sales whose window starts in a range of shop days (default: today and the six after).
#[component]
pub fn SaleList() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let sales = Asked::new(|(a, b): (String, String)| async move { api::admin_sales(a, b).await.map(|s| s.sales) });
    // Today and the six after, once the server said which day it is.
    let today = use_shop_today();
    Effect::new(move |_| {
        if let Some(today) = today.date() {
            let last = add_days(&today, 6);
            from.set(today.clone());
            to.set(last.clone());
            sales.ask((today, last));
        }
    });
    let show = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sales.ask((from.get_untracked(), to.get_untracked()));
    };
    // An edit or a cancel replaces the sale in the list.
    let replace = Callback::new(move |sale: AdminSale| {
        sales.update(|list| {
            if let Ok(list) = list {
                if let Some(old) = list.iter_mut().find(|s| s.id == sale.id) {
                    *old = sale;
                }
            }
        })
    });
    view! {
        <section class="card ops-card" aria-labelledby="sales-heading" data-testid="sale-list">
            <h2 class="card-heading" id="sales-heading">{p.ops_sales_list}</h2>
            <form class="field-row range-row" on:submit=show>
                <Field label=p.ops_from value=from testid="sales-from" kind="date" />
                <Field label=p.ops_to value=to testid="sales-to" kind="date" />
                <button class="btn btn-outline" type="submit" data-testid="sales-show">{p.ops_show}</button>
            </form>
            // A new range replaces the list: the old one is not shown while it loads.
            {move || match sales.get().filter(|_| !sales.pending()) {
                None => view! { <ListSkeleton rows=3 /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted ops-empty">{p.ops_no_sales}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="sale-rows">
                        {list.into_iter().map(|sale| view! { <SaleRow sale replace /> }).collect_view()}
                    </ul>
                }.into_any(),
                Some(Err(f)) => view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> }.into_any(),
            }}
        </section>
    }
}

/// What is done to a sale.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SaleAct {
    Edit(SaleEdit),
    Cancel,
}

/// What the row shows under the sale: nothing, the edit form or the cancel question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    Edit,
    Cancel,
}

/// One sale: offer, merchant, window, price, sold / verified; edit before it starts,
/// cancel (after a question) until it ends.
#[component]
fn SaleRow(sale: AdminSale, replace: Callback<AdminSale>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let clock = use_server_clock();
    let now = clock.now_ms_untracked() as f64;
    let started = epoch_ms(&sale.starts_at).is_some_and(|t| t <= now);
    let ended = epoch_ms(&sale.ends_at).is_some_and(|t| t <= now);
    let cancelled = sale.cancelled_at.is_some();
    let open = RwSignal::new(Open::Nothing);
    let id = sale.id;
    let said = RwSignal::new(None::<Result<String, String>>);
    let act = Intent::new(move |act: SaleAct, _key: String| async move {
        match act {
            SaleAct::Edit(edit) => api::admin_edit_sale(id, &edit).await,
            SaleAct::Cancel => api::admin_cancel_sale(id).await,
        }
    });
    let result = answer(said, act, move |f| lang.staff_failure(f));
    let offer = lang.pick(&sale.offer);
    let cancel = move |_| {
        said.set(None);
        act.dispatch_then(SaleAct::Cancel, move |outcome| match outcome {
            Ok(sale) => replace.run(sale),
            Err(_) => {
                open.try_set(Open::Nothing);
            }
        });
    };
    let question = lang.confirm_cancel_sale(&offer);
    let edit_sale = sale.clone();
    view! {
        <li class="sale-row" class:cancelled=cancelled data-testid="admin-sale" data-sale=id>
            <img src=sale.image.clone() alt="" width="48" height="48" />
            <div class="grow">
                <p class="row-title">{offer.clone()}</p>
                <p class="row-sub">
                    <span class="num">{window(&sale)}</span>" · "{lang.pick(&sale.merchant.name)}" · "{lang.points(sale.points)}
                </p>
                <p class="row-sub num">{lang.sold_line(sale.sold, sale.quantity, sale.verified)}</p>
            </div>
            <div class="sale-actions">
                {cancelled.then(|| view! { <span class="status-pill cancelled-pill" data-testid="sale-cancelled">{p.ops_cancelled}</span> })}
                {(!cancelled && !started).then(|| view! {
                    <button type="button" class="btn btn-outline btn-sm" data-testid="sale-edit" aria-expanded=move || (open.get() == Open::Edit).to_string()
                        on:click=move |_| open.update(|o| *o = if *o == Open::Edit { Open::Nothing } else { Open::Edit })>{p.ops_edit}</button>
                })}
                {(!cancelled && !ended).then(|| view! {
                    <button type="button" class="btn btn-sm btn-danger-outline" data-testid="sale-cancel" aria-expanded=move || (open.get() == Open::Cancel).to_string()
                        on:click=move |_| open.set(Open::Cancel)>{p.ops_cancel_sale}</button>
                })}
            </div>
            <div class="sale-more">
                <OpsResult result testid="sale-row-result" />
                {move || match open.get() {
                    Open::Nothing => ().into_any(),
                    Open::Cancel => view! {
                        <div class="confirm-box" role="group" aria-label=p.ops_cancel_sale>
                            <p>{question.clone()}</p>
                            <div class="btn-row">
                                <button type="button" class="btn btn-danger" data-testid="sale-cancel-confirm" disabled=move || act.pending() on:click=cancel>{p.ops_cancel_sale}</button>
                                <button type="button" class="btn btn-outline" on:click=move |_| open.set(Open::Nothing)>{p.ops_keep}</button>
                            </div>
                        </div>
                    }.into_any(),
                    Open::Edit => view! { <EditSale sale=edit_sale.clone() replace said act open /> }.into_any(),
                }}
            </div>
        </li>
    }
}

/// `2026-11-23T10:00:00+08:00` → `2026-11-23T10:00` (a `datetime-local` value) and `+08:00`.
pub fn local_and_offset(rfc3339: &str) -> (String, String) {
    (rfc3339.get(..16).unwrap_or_default().to_string(), rfc3339.get(19..).unwrap_or("Z").to_string())
}

/// The edit form of a sale that has not started: only the changed fields are sent.
#[component]
fn EditSale(
    sale: AdminSale,
    replace: Callback<AdminSale>,
    said: Said,
    act: Intent<SaleAct, AdminSale>,
    open: RwSignal<Open>,
) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let (start_local, offset) = local_and_offset(&sale.starts_at);
    let (end_local, _) = local_and_offset(&sale.ends_at);
    let offer_zh = RwSignal::new(sale.offer.zh.clone());
    let offer_en = RwSignal::new(sale.offer.en.clone());
    let points = RwSignal::new(sale.points.to_string());
    let quantity = RwSignal::new(sale.quantity.to_string());
    let limit = RwSignal::new(sale.per_member_limit.to_string());
    let starts = RwSignal::new(start_local.clone());
    let ends = RwSignal::new(end_local.clone());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>();
        let (Ok(new_points), Ok(new_quantity), Ok(new_limit)) = (number(points), number(quantity), number(limit)) else {
            said.set(Some(Err(lang.p().ops_bad_number.to_string())));
            return;
        };
        let seconds = |local: String| epoch_ms(&format!("{local}:00{offset}")).map(|ms| (ms / 1000.0) as i64);
        let offer = I18nText { zh: offer_zh.get_untracked().trim().into(), en: offer_en.get_untracked().trim().into() };
        let changed = |new: i64, old: i64| (new != old).then_some(new);
        let edit = SaleEdit {
            offer: (offer != sale.offer).then_some(offer),
            points: changed(new_points, sale.points),
            quantity: changed(new_quantity, sale.quantity),
            per_member_limit: changed(new_limit, sale.per_member_limit),
            starts_at: (starts.get_untracked() != start_local).then(|| seconds(starts.get_untracked())).flatten(),
            ends_at: (ends.get_untracked() != end_local).then(|| seconds(ends.get_untracked())).flatten(),
        };
        said.set(None);
        act.dispatch(SaleAct::Edit(edit), move |updated| {
            said.try_set(Some(Ok(lang.p().ops_saved.to_string())));
            open.try_set(Open::Nothing);
            replace.run(updated);
        });
    };
    view! {
        <form class="edit-sale" on:submit=save data-testid="sale-edit-form">
            <div class="field-row">
                <Field label=p.ops_offer_zh value=offer_zh testid="edit-offer-zh" />
                <Field label=p.ops_offer_en value=offer_en testid="edit-offer-en" />
            </div>
            <div class="field-row">
                <Field label=p.ops_points value=points testid="edit-points" kind="number" />
                <Field label=p.ops_quantity value=quantity testid="edit-quantity" kind="number" />
                <Field label=p.ops_limit value=limit testid="edit-limit" kind="number" />
            </div>
            <div class="field-row">
                <Field label=p.ops_starts value=starts testid="edit-starts" kind="datetime-local" />
                <Field label=p.ops_ends value=ends testid="edit-ends" kind="datetime-local" />
            </div>
            <button class="btn btn-primary btn-block" type="submit" data-testid="sale-save" disabled=move || act.pending()>{p.ops_save}</button>
        </form>
    }
}
