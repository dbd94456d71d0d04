//! Free offers (联盟商户的免费赠品): the merchant proposes what it gives away, how many and
//! when, checked on the phone by the same rule as the server (`NewOffer::check`); its
//! proposals are listed with where each stands (an operator approves one into a flash
//! sale, or declines it).

use leptos::{either::EitherOf3, prelude::*};
use mall_core::staff::{MerchantOffer, NewOffer, OfferStatus, ProposalError};

use crate::{
    api,
    components::{field::Field, states::ListSkeleton},
    i18n::{use_lang, Lang},
    intent::Intent,
    pages::{
        ops::{answer, OpsResult},
        ops_sales::{add_days, epoch_ms, local_and_offset},
    },
    server_clock::use_shop_today,
};

/// A proposal refused before it is sent, in words.
fn proposal_error(lang: Lang, e: ProposalError) -> &'static str {
    let p = lang.p();
    match e {
        ProposalError::Name => p.offer_error_name,
        ProposalError::Quantity => p.offer_error_quantity,
        ProposalError::Time | ProposalError::EndBeforeStart => p.offer_error_window,
        ProposalError::StartsInPast => p.offer_error_past,
        ProposalError::TooLong => p.offer_error_long,
    }
}

/// An offer's status in words.
pub fn offer_status(lang: Lang, s: OfferStatus) -> &'static str {
    let p = lang.p();
    match s {
        OfferStatus::Proposed => p.offer_proposed,
        OfferStatus::Approved => p.offer_approved,
        OfferStatus::Declined => p.offer_declined,
    }
}

/// One offer as a row: what, how many, when, and where it stands.
#[component]
pub fn OfferRow(offer: MerchantOffer, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let lang = use_lang();
    let when =
        format!("{} – {}", offer.starts_at.get(..16).unwrap_or_default().replace('T', " "), offer.ends_at.get(11..16).unwrap_or_default());
    view! {
        <li class="row offer-row" data-testid="offer-row" data-status=offer.status.as_str()>
            <div class="grow">
                <p class="row-title">{lang.pick(&offer.offer)}</p>
                <p class="row-sub">{lang.pick(&offer.merchant.name)}" · ×"{offer.quantity}" · "{when}</p>
                {children.map(|c| c())}
            </div>
            <span class="status-pill" data-status=offer.status.as_str()>{offer_status(lang, offer.status)}</span>
        </li>
    }
}

/// The proposal form and the merchant's offers.
#[component]
pub fn OffersSection() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let offers = LocalResource::new(api::merchant_offers);
    let offer_zh = RwSignal::new(String::new());
    let offer_en = RwSignal::new(String::new());
    let quantity = RwSignal::new(String::new());
    let starts = RwSignal::new(String::new());
    let ends = RwSignal::new(String::new());
    let offset = StoredValue::new(String::from("+08:00"));
    let now_ms = StoredValue::new(0f64);
    let said = RwSignal::new(None::<Result<String, String>>);
    let propose = Intent::new(|new: NewOffer, _key: String| async move { api::propose_offer(&new).await });
    let result = answer(said, propose, move |f| lang.staff_failure(f));
    // Tomorrow 10:00–12:00 shop time, a sensible first window.
    let shop = use_shop_today();
    Effect::new(move |_| {
        if let Some(now) = shop.now() {
            let (_, zone) = local_and_offset(&now);
            offset.set_value(zone);
            now_ms.set_value(epoch_ms(&now).unwrap_or(0.0));
            let tomorrow = add_days(now.get(..10).unwrap_or_default(), 1);
            starts.set(format!("{tomorrow}T10:00"));
            ends.set(format!("{tomorrow}T12:00"));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let zone = offset.get_value();
        let full = |local: String| format!("{local}:00{zone}");
        let new = NewOffer {
            offer_zh: offer_zh.get_untracked().trim().to_string(),
            offer_en: offer_en.get_untracked().trim().to_string(),
            quantity: quantity.get_untracked().trim().parse().unwrap_or(0),
            starts_at: full(starts.get_untracked()),
            ends_at: full(ends.get_untracked()),
        };
        let secs = |t: &str| epoch_ms(t).map(|ms| (ms / 1000.0) as i64);
        let checked = match (secs(&new.starts_at), secs(&new.ends_at)) {
            (Some(a), Some(b)) => new.check(a, b, (now_ms.get_value() / 1000.0) as i64),
            _ => Err(ProposalError::Time),
        };
        if let Err(e) = checked {
            said.set(Some(Err(proposal_error(lang, e).to_string())));
            return;
        }
        said.set(None);
        propose.dispatch(new, move |_| {
            offer_zh.try_set(String::new());
            offer_en.try_set(String::new());
            quantity.try_set(String::new());
            offers.refetch();
            said.try_set(Some(Ok(p.offer_sent.to_string())));
        });
    };
    view! {
        <section class="card ops-card" aria-labelledby="offers-heading" data-testid="merchant-offers">
            <h2 class="card-heading" id="offers-heading">{p.offers_title}</h2>
            <p class="row-sub offers-hint">{p.offers_hint}</p>
            <form on:submit=submit>
                <div class="field-row">
                    <Field label=p.item_name_zh value=offer_zh testid="offer-zh" maxlength=60 />
                    <Field label=p.item_name_en value=offer_en testid="offer-en" maxlength=60 />
                </div>
                <div class="field-row">
                    <Field label=p.offer_quantity value=quantity testid="offer-quantity" kind="number" />
                </div>
                // One a row: a phone's half width cuts a date and time short.
                <Field label=p.ops_starts value=starts testid="offer-starts" kind="datetime-local" />
                <Field label=p.ops_ends value=ends testid="offer-ends" kind="datetime-local" />
                <OpsResult result testid="offer-result" />
                <button class="btn btn-primary btn-block" type="submit" data-testid="offer-send" disabled=move || propose.pending()>{p.offer_send}</button>
            </form>
            <h3 class="fact-heading spaced">{p.offers_mine}</h3>
            {move || match offers.get() {
                None => EitherOf3::A(view! { <ListSkeleton rows=2 /> }),
                Some(Err(f)) => EitherOf3::B(view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> }.into_any()),
                Some(Ok(list)) if list.offers.is_empty() => EitherOf3::B(view! { <p class="muted">{p.ops_none}</p> }.into_any()),
                Some(Ok(list)) => EitherOf3::C(view! {
                    <ul class="list">{list.offers.into_iter().map(|offer| view! { <OfferRow offer /> }).collect_view()}</ul>
                }),
            }}
        </section>
    }
}
