//! Partner merchants in the back office (合作商户): every merchant with its settlement
//! terms and state; a form for a new one; and per merchant: its names, logo, address,
//! what the mall pays per verified code (of its sales and vouchers, and of its own free
//! offers: 0 by default), active or not, and its staff accounts, made here. New terms
//! apply to codes issued from then on: past statements stay as they were. An inactive
//! merchant is named by no new sale, voucher or offer; its accounts still verify the
//! codes already issued. Every change is audited by the server; the form applies core's
//! rules before sending.

use leptos::{
    either::{Either, EitherOf4},
    prelude::*,
};
use mall_core::{
    cash::Cash,
    dto::I18nText,
    staff::{check_merchant, Merchant, MerchantError, MerchantPatch, NewMerchant, StaffAccountInfo},
};

use crate::{
    api::{self, ApiFailure},
    components::{
        field::Field,
        image_upload::{upload_intent, ImageUpload},
        states::{ErrorState, ListSkeleton},
    },
    i18n::{use_lang, Lang},
    intent::Intent,
    pages::{
        ops::{answer, by_status, Merchants, OpsResult, Said},
        ops_staff::NewAccount,
    },
};

/// A merchant refusal in the operator's words: a taken slug (409) or a refused field
/// (422) by status, as the newer codes are not decoded in the wasm.
fn merchant_failure(lang: Lang, failure: &ApiFailure) -> String {
    let p = lang.p();
    by_status(lang, failure, &[(409, p.merchant_slug_taken), (422, p.merchant_bad)])
}

/// A create or a change of a merchant.
#[derive(Debug, Clone, PartialEq)]
enum Save {
    Create(NewMerchant),
    Patch(i64, MerchantPatch),
}

/// The list on the left; the chosen merchant (or the new-merchant form) on the right.
#[component]
pub fn MerchantsSection() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let merchants: Merchants = LocalResource::new(api::admin_merchants);
    let selected = RwSignal::new(None::<i64>);
    let said = RwSignal::new(None::<Result<String, String>>);
    let pick = Callback::new(move |id: Option<i64>| {
        said.set(None);
        selected.set(id);
    });
    let saved = Callback::new(move |merchant: Merchant| {
        let id = merchant.id;
        merchants.update(|list| {
            if let Some(Ok(list)) = list {
                match list.iter_mut().find(|m| m.id == id) {
                    Some(old) => *old = merchant,
                    None => list.push(merchant),
                }
            }
        });
        selected.set(Some(id));
    });
    view! {
        <div class="ops-columns">
            <section class="card ops-card" aria-labelledby="merchants-heading" data-testid="ops-merchants">
                <div class="card-head">
                    <h2 class="card-heading" id="merchants-heading">{p.ops_merchants}</h2>
                    <button type="button" class="btn btn-primary btn-sm" data-testid="merchant-new" on:click=move |_| pick.run(None)>
                        {p.merchant_new}
                    </button>
                </div>
                {move || match merchants.get() {
                    None => EitherOf4::A(view! { <ListSkeleton rows=3 /> }),
                    Some(Err(f)) => EitherOf4::B(view! { <ErrorState failure=f retry=Callback::new(move |_| { merchants.set(None); merchants.refetch(); }) /> }),
                    Some(Ok(list)) if list.is_empty() => EitherOf4::C(view! { <p class="muted ops-empty" role="status">{p.merchant_none}</p> }),
                    Some(Ok(list)) => EitherOf4::D(view! {
                        <ul class="list ops-list" data-testid="merchant-rows">
                            {list.into_iter().map(|merchant| view! { <MerchantRow merchant selected pick /> }).collect_view()}
                        </ul>
                    }),
                }}
            </section>
            <section class="ops-detail" aria-label=move || if selected.get().is_some() { p.merchant_terms } else { p.merchant_new }>
                {move || {
                    let current = selected.get().and_then(|id| {
                        merchants.with_untracked(|l| l.as_ref().and_then(|l| l.as_ref().ok()).and_then(|l| l.iter().find(|m| m.id == id).cloned()))
                    });
                    match current {
                        Some(merchant) => Either::Left(view! {
                            <MerchantForm merchant=Some(merchant.clone()) saved said />
                            <MerchantAccounts merchant merchants />
                        }),
                        None => Either::Right(view! { <MerchantForm merchant=None saved said /> }),
                    }
                }}
            </section>
        </div>
    }
}

/// One merchant in the list.
#[component]
fn MerchantRow(merchant: Merchant, selected: RwSignal<Option<i64>>, pick: Callback<Option<i64>>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = merchant.id;
    view! {
        <li>
            <button type="button" class="row member-row" class:disabled-account=!merchant.active data-testid="merchant-row" data-slug=merchant.slug.clone()
                aria-pressed=move || (selected.get() == Some(id)).to_string() on:click=move |_| pick.run(Some(id))>
                {if merchant.logo.is_empty() {
                    Either::Left(view! { <span class="avatar" aria-hidden="true">{lang.pick(&merchant.name).chars().next().map(String::from)}</span> })
                } else {
                    Either::Right(view! { <img class="avatar" src=merchant.logo.clone() alt="" width="40" height="40" /> })
                }}
                <span class="grow">
                    <span class="row-title">{lang.pick(&merchant.name)}" "<span class="muted">{merchant.slug.clone()}</span></span>
                    <span class="row-sub">
                        <span class="muted">{lang.settlement_terms(merchant.settlement, merchant.offer_settlement)}</span>
                        {(!merchant.active).then(|| view! { <span class="frozen-pill" data-testid="merchant-inactive">{p.merchant_inactive}</span> })}
                    </span>
                </span>
            </button>
        </li>
    }
}

/// Creates a merchant (`merchant` is `None`) or changes one.
#[component]
fn MerchantForm(merchant: Option<Merchant>, saved: Callback<Merchant>, said: Said) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let editing = merchant.as_ref().map(|m| m.id);
    let text = |f: fn(&Merchant) -> String| RwSignal::new(merchant.as_ref().map(f).unwrap_or_default());
    let slug = text(|m| m.slug.clone());
    let name_zh = text(|m| m.name.zh.clone());
    let name_en = text(|m| m.name.en.clone());
    let address_zh = text(|m| m.address.zh.clone());
    let address_en = text(|m| m.address.en.clone());
    let logo = text(|m| m.logo.clone());
    let settlement = text(|m| m.settlement.to_string());
    let offer_settlement = RwSignal::new(merchant.as_ref().map_or("0".to_string(), |m| m.offer_settlement.to_string()));
    let active = RwSignal::new(merchant.as_ref().is_none_or(|m| m.active));
    let upload = upload_intent();
    let save = Intent::new(|save: Save, _key: String| async move {
        match save {
            Save::Create(new) => api::admin_create_merchant(&new).await,
            Save::Patch(id, patch) => api::admin_patch_merchant(id, &patch).await,
        }
    });
    let result = answer(said, save, move |f| merchant_failure(lang, f));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = lang.p();
        let (Some(settlement), Some(offer_settlement)) =
            (Cash::parse(settlement.get_untracked().trim()), Cash::parse(offer_settlement.get_untracked().trim()))
        else {
            said.set(Some(Err(p.merchant_bad_yuan.to_string())));
            return;
        };
        let pair = |zh: RwSignal<String>, en: RwSignal<String>| I18nText {
            zh: zh.get_untracked().trim().to_string(),
            en: en.get_untracked().trim().to_string(),
        };
        let new = NewMerchant {
            slug: slug.get_untracked().trim().to_lowercase(),
            name: pair(name_zh, name_en),
            logo: logo.get_untracked(),
            address: pair(address_zh, address_en),
            settlement,
            offer_settlement: Some(offer_settlement),
        };
        let refusal = match check_merchant(&new) {
            Err(MerchantError::Logo) => Some(p.merchant_need_logo),
            Err(_) => Some(p.merchant_bad),
            Ok(()) => None,
        };
        if let Some(refusal) = refusal {
            said.set(Some(Err(refusal.to_string())));
            return;
        }
        said.set(None);
        let save_it = match editing {
            None => Save::Create(new),
            Some(id) => Save::Patch(
                id,
                MerchantPatch {
                    name: Some(new.name),
                    logo: Some(new.logo),
                    address: Some(new.address),
                    settlement: Some(new.settlement),
                    offer_settlement: new.offer_settlement,
                    active: Some(active.get_untracked()),
                },
            ),
        };
        save.dispatch(save_it, move |merchant| {
            said.try_set(Some(Ok(lang.p().ops_saved.to_string())));
            saved.run(merchant);
        });
    };
    view! {
        <form class="card ops-card" on:submit=submit novalidate data-testid="merchant-form" aria-labelledby="merchant-form-heading">
            <h2 class="card-heading" id="merchant-form-heading">{if editing.is_some() { p.merchant_terms } else { p.merchant_new }}</h2>
            {if editing.is_some() {
                Either::Left(view! { <p class="muted">{p.merchant_slug}": "<span class="num">{slug.get_untracked()}</span></p> })
            } else {
                Either::Right(view! { <Field label=p.merchant_slug value=slug testid="merchant-slug" maxlength=32 placeholder=p.cat_slug_hint /> })
            }}
            <div class="field-row">
                <Field label=p.cat_name_zh value=name_zh testid="merchant-name-zh" maxlength=40 />
                <Field label=p.cat_name_en value=name_en testid="merchant-name-en" maxlength=40 />
            </div>
            <div class="field-row">
                <Field label=p.merchant_address_zh value=address_zh testid="merchant-address-zh" maxlength=120 />
                <Field label=p.merchant_address_en value=address_en testid="merchant-address-en" maxlength=120 />
            </div>
            <ImageUpload image=logo upload prefix="merchant-logo" label=p.merchant_logo />
            <div class="field-row">
                <Field label=p.merchant_settle_value value=settlement testid="merchant-settlement" kind="number" />
                <Field label=p.merchant_offer_settlement value=offer_settlement testid="merchant-offer-settlement" kind="number" />
            </div>
            <p class="muted staff-note">{p.merchant_terms_note}</p>
            {editing.is_some().then(|| view! {
                <label class="check">
                    <input type="checkbox" data-testid="merchant-active" prop:checked=active on:change=move |ev| active.set(event_target_checked(&ev)) />
                    <span>{p.merchant_active}</span>
                </label>
            })}
            <OpsResult result testid="merchant-result" />
            <button type="submit" class="btn btn-primary btn-block" data-testid="merchant-save" disabled=move || save.pending() || upload.pending()>
                {if editing.is_some() { p.ops_save } else { p.merchant_create }}
            </button>
        </form>
    }
}

/// A merchant's staff accounts, and the form for a new one.
#[component]
fn MerchantAccounts(merchant: Merchant, merchants: Merchants) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = merchant.id;
    let accounts = LocalResource::new(move || async move {
        api::admin_staff()
            .await
            .map(|a| a.accounts.into_iter().filter(|s| s.merchant.as_ref().is_some_and(|m| m.id == id)).collect::<Vec<_>>())
    });
    let said = RwSignal::new(None::<Result<String, String>>);
    let saved = Callback::new(move |account: StaffAccountInfo| {
        accounts.update(|list| {
            if let Some(Ok(list)) = list {
                list.push(account);
            }
        });
    });
    view! {
        <div class="card ops-card" data-testid="merchant-accounts">
            <h3 class="fact-heading">{p.merchant_accounts}</h3>
            {move || match accounts.get() {
                None => EitherOf4::A(view! { <ListSkeleton rows=1 /> }),
                Some(Err(f)) => EitherOf4::B(view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> }),
                Some(Ok(list)) if list.is_empty() => EitherOf4::C(view! { <p class="muted" role="status">{p.merchant_no_accounts}</p> }),
                Some(Ok(list)) => EitherOf4::D(view! {
                    <ul class="list" data-testid="merchant-account-rows">
                        {list.into_iter().map(|a| view! {
                            <li data-testid="merchant-account">
                                <span class="staff-username">{a.username}</span>" "<span class="muted">{a.display_name}</span>
                                {a.disabled.then(|| view! { " "<span class="frozen-pill">{p.staff_disabled}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }),
            }}
        </div>
        <NewAccount merchants saved result=said for_merchant=id />
    }
}
