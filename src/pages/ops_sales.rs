//! The operator page's flash-sale form: one offer in one or more daily slots of a shop day
//! (`POST /api/admin/sales/daily`, all or nothing). The form is checked with the same rules
//! as the server before it is sent.

use leptos::{prelude::*, task::spawn_local};
use mall_core::{
    dto::I18nText,
    sales::{DailySlots, SaleTerms, DEFAULT_SLOTS},
};

use crate::{
    api,
    components::{field::Field, staff_token::remember_staff_token},
    i18n::use_lang,
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
pub fn ScheduleSales(token: RwSignal<String>, token_key: &'static str) -> impl IntoView {
    let lang = use_lang();
    let result = RwSignal::new(None::<Result<String, String>>);
    let p = lang.p();
    let text = || RwSignal::new(String::new());
    let (offer_zh, offer_en, merchant_zh, merchant_en) = (text(), text(), text(), text());
    let image = RwSignal::new(IMAGES[0].to_string());
    let points = text();
    let quantity = text();
    let limit = RwSignal::new("1".to_string());
    let day = text();
    let minutes = RwSignal::new("60".to_string());
    let valid_days = RwSignal::new("30".to_string());
    let chosen = RwSignal::new(Vec::<String>::new());
    let other = text();
    let busy = RwSignal::new(false);
    // The shop's today, from the server (the phone's date may be another zone's).
    spawn_local(async move {
        if let Ok(time) = api::server_time().await {
            if day.get_untracked().is_empty() {
                day.try_set(time.now.get(..10).unwrap_or_default().to_string());
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>();
        let (Ok(points), Ok(quantity), Ok(limit), Ok(minutes), Ok(valid_days)) =
            (number(points), number(quantity), number(limit), number(minutes), number(valid_days))
        else {
            result.set(Some(Err(lang.p().ops_bad_number.to_string())));
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
                merchant: pair(merchant_zh, merchant_en),
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
            result.set(Some(Err(lang.schedule_error(e).to_string())));
            return;
        }
        let tok = token.get_untracked();
        remember_staff_token(token_key, &tok);
        busy.set(true);
        spawn_local(async move {
            let message = match api::admin_schedule_daily(&tok, &schedule).await {
                Ok(_) => {
                    let mut slots = schedule.slots.clone();
                    slots.sort();
                    Ok(lang.scheduled(&schedule.day, &slots))
                }
                Err(f) => Err(lang.failure(&f)),
            };
            result.try_set(Some(message));
            busy.try_set(false);
        });
    };

    view! {
        <form class="card ops-card" on:submit=submit data-testid="ops-sales">
            <h2 class="card-heading">{p.ops_sales}</h2>
            <Field label=p.ops_offer_zh value=offer_zh testid="sale-offer-zh" />
            <Field label=p.ops_offer_en value=offer_en testid="sale-offer-en" />
            <Field label=p.ops_merchant_zh value=merchant_zh testid="sale-merchant-zh" />
            <Field label=p.ops_merchant_en value=merchant_en testid="sale-merchant-en" />
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
            {move || result.get().map(|r| {
                let ok = r.is_ok();
                view! { <p class="ops-result" class:ok=ok role="status" data-testid="sale-result">{r.unwrap_or_else(|e| e)}</p> }
            })}
            <button class="btn btn-primary btn-block" type="submit" data-testid="sale-schedule" disabled=move || busy.get()>{p.ops_schedule}</button>
        </form>
    }
}
