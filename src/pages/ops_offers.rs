//! Partner merchants' free offers in the back office: the proposals waiting, each
//! approved into a flash sale at a points price and a per-member limit, or declined;
//! the ones decided are listed under them.

use leptos::{either::EitherOf3, prelude::*};
use mall_core::staff::{MerchantOffer, OfferApproval, OfferStatus};

use crate::{
    api,
    components::{field::Field, states::ListSkeleton},
    i18n::use_lang,
    intent::Intent,
    pages::{
        merchant_offers::OfferRow,
        ops::{answer, OpsResult, Said},
    },
};

/// A decision on one proposal: approve at a price (`Some`), or decline (`None`).
type Decision = (i64, Option<OfferApproval>);

/// The offers section.
#[component]
pub fn OffersQueue() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let offers = LocalResource::new(|| api::admin_offers(None));
    let said = RwSignal::new(None::<Result<String, String>>);
    let decide = Intent::new(|(id, approval): Decision, _key: String| async move {
        match approval {
            Some(approval) => api::approve_offer(id, &approval).await,
            None => api::decline_offer(id).await,
        }
    });
    let result = answer(said, decide, move |f| lang.staff_failure(f));
    view! {
        <section class="card ops-card" aria-labelledby="ops-offers-heading" data-testid="ops-offers">
            <h2 class="card-heading" id="ops-offers-heading">{p.offers_title}</h2>
            <OpsResult result testid="ops-offer-result" />
            {move || match offers.get() {
                None => EitherOf3::A(view! { <ListSkeleton rows=3 /> }),
                Some(Err(f)) => EitherOf3::B(view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> }.into_any()),
                Some(Ok(list)) if list.offers.is_empty() => EitherOf3::B(view! { <p class="muted">{p.ops_none}</p> }.into_any()),
                Some(Ok(list)) => EitherOf3::C(view! {
                    <ul class="list">
                        {list.offers.into_iter().map(|offer| {
                            let waiting = offer.status == OfferStatus::Proposed;
                            let id = offer.id;
                            view! {
                                <OfferRow offer>
                                    {waiting.then(|| view! { <Decide id said decide decided=Callback::new(move |_| offers.refetch()) /> })}
                                </OfferRow>
                            }
                        }).collect_view()}
                    </ul>
                }),
            }}
        </section>
    }
}

/// Approve (at a price) or decline one proposal.
#[component]
fn Decide(id: i64, said: Said, decide: Intent<Decision, MerchantOffer>, decided: Callback<MerchantOffer>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let points = RwSignal::new(String::new());
    let limit = RwSignal::new("1".to_string());
    let act = move |approve: bool| {
        let approval = OfferApproval {
            points: points.get_untracked().trim().parse().unwrap_or(0),
            per_member_limit: limit.get_untracked().trim().parse().ok(),
        };
        if approve && approval.points <= 0 {
            said.set(Some(Err(p.offer_need_points.to_string())));
            return;
        }
        said.set(None);
        decide.dispatch((id, approve.then_some(approval)), move |offer| {
            let done = if approve { p.offer_approved_note } else { p.offer_declined_note };
            decided.run(offer);
            said.try_set(Some(Ok(done.to_string())));
        });
    };
    view! {
        <form class="field-row offer-decide" on:submit=move |ev| { ev.prevent_default(); act(true); }>
            <Field label=p.item_points value=points testid="offer-points" kind="number" />
            <Field label=p.item_limit value=limit testid="offer-limit" kind="number" />
            <div class="btn-row">
                <button class="btn btn-primary btn-sm" type="submit" data-testid="offer-approve" disabled=move || decide.pending()>{p.offer_approve}</button>
                <button class="btn btn-outline btn-sm" type="button" data-testid="offer-decline" disabled=move || decide.pending()
                    on:click=move |_| act(false)>{p.offer_decline}</button>
            </div>
        </form>
    }
}
