//! The member's address book (`/addresses`, from Me): list, add, edit, delete, make one
//! the default; and the address choice of the redeem sheet for goods (the default
//! chosen, or a first address added right there). The form is checked with the
//! server's rule (`ShipTo::validate`) before it is sent.

use leptos::{
    either::{Either, EitherOf3, EitherOf5},
    prelude::*,
};
use mall_core::{
    dto::ShipTo,
    fulfilment::{Address, AddressInput},
    ErrorCode,
};

use crate::{
    api::{self, ApiFailure},
    components::states::{Empty, ErrorState, ListSkeleton},
    i18n::{use_lang, Lang},
    intent::Intent,
    title::set_page_title,
};

/// The form's fields as the member typed them, checked: the words for the first field
/// the server would refuse.
pub fn check_address(lang: Lang, to: &ShipTo) -> Result<(), &'static str> {
    let p = lang.p();
    to.validate().map_err(|reason| {
        if reason.starts_with("name") {
            p.addr_bad_name
        } else if reason.starts_with("phone") {
            p.addr_bad_phone
        } else {
            p.addr_bad_place
        }
    })
}

/// What a refused save says.
fn save_failure(lang: Lang, f: &ApiFailure) -> String {
    match f.code() {
        Some(ErrorCode::LimitReached) => lang.p().addr_full.to_string(),
        _ => lang.page_failure(f),
    }
}

/// Adds an address (`address` is `None`) or changes one.
#[component]
pub fn AddressForm(address: Option<Address>, saved: Callback<Address>, #[prop(optional)] cancel: Option<Callback<()>>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = address.as_ref().map(|a| a.id);
    let field = |f: fn(&ShipTo) -> &String| RwSignal::new(address.as_ref().map(|a| f(&a.to).clone()).unwrap_or_default());
    let name = field(|t| &t.name);
    let phone = field(|t| &t.phone);
    let region = field(|t| &t.region);
    let detail = field(|t| &t.detail);
    let is_default = RwSignal::new(address.as_ref().is_some_and(|a| a.is_default));
    // The form's own check; a refused save is the intent's failure.
    let invalid = RwSignal::new(None::<&'static str>);
    let save = Intent::new(move |input: AddressInput, _key: String| async move {
        match id {
            Some(id) => api::update_address(id, &input).await,
            None => api::add_address(&input).await,
        }
    });
    let error = move || invalid.get().map(str::to_string).or_else(|| save.failure().map(|f| save_failure(lang, &f)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = |s: RwSignal<String>| s.get_untracked().trim().to_string();
        let to = ShipTo { name: t(name), phone: t(phone), region: t(region), detail: t(detail) };
        if let Err(e) = check_address(lang, &to) {
            invalid.set(Some(e));
            save.clear();
            return;
        }
        invalid.set(None);
        let input = AddressInput { to, is_default: is_default.get_untracked() };
        save.dispatch(input, move |address| saved.run(address));
    };
    let input =
        move |label: &'static str, value: RwSignal<String>, testid: &'static str, auto: &'static str, max: u32, kind: &'static str| {
            view! {
                <label class="field"><span>{label}</span>
                    <input type=kind autocomplete=auto maxlength=max data-testid=testid prop:value=value
                        on:input=move |ev| value.set(event_target_value(&ev)) />
                </label>
            }
        };
    view! {
        <form class="address-form" on:submit=submit novalidate data-testid="address-form">
            <div class="field-row">
                {input(p.addr_name, name, "addr-name", "name", 30, "text")}
                {input(p.addr_phone, phone, "addr-phone", "tel", 20, "tel")}
            </div>
            {input(p.addr_region, region, "addr-region", "address-level1", 60, "text")}
            {input(p.addr_detail, detail, "addr-detail", "street-address", 120, "text")}
            <label class="check">
                <input type="checkbox" data-testid="addr-default" prop:checked=is_default
                    on:change=move |_| is_default.update(|d| *d = !*d) />
                <span>{p.addr_make_default}</span>
            </label>
            {move || error().map(|e| view! { <p class="inline-error" role="alert" data-testid="addr-error">{e}</p> })}
            <div class="btn-row">
                {cancel.map(|c| view! { <button type="button" class="btn btn-light" on:click=move |_| c.run(())>{lang.t().cancel}</button> })}
                <button type="submit" class="btn btn-primary grow" data-testid="addr-save" disabled=move || save.pending()>{p.addr_save}</button>
            </div>
        </form>
    }
}

/// `/addresses`.
#[component]
pub fn AddressBook() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    set_page_title(|l| l.p().addr_title.to_string());
    let list = LocalResource::new(api::addresses);
    // `Some(None)`: adding one; `Some(Some(id))`: changing that one.
    let editing = RwSignal::new(None::<Option<i64>>);
    let saved = Callback::new(move |_: Address| {
        editing.set(None);
        list.refetch();
    });
    let close = Callback::new(move |_| editing.set(None));
    view! {
        <section class="page addresses">
            <div class="section-head">
                <h1 class="page-title">{p.addr_title}</h1>
                {move || (editing.get().is_none() && list.get().is_some_and(|l| l.is_ok_and(|l| !l.is_empty()))).then(|| view! {
                    <button type="button" class="btn btn-primary btn-sm" data-testid="addr-add" on:click=move |_| editing.set(Some(None))>{p.addr_add}</button>
                })}
            </div>
            {move || (editing.get() == Some(None)).then(|| view! {
                <div class="card address-card"><h2 class="card-heading">{p.addr_add}</h2><AddressForm address=None saved cancel=close /></div>
            })}
            <Suspense fallback=|| view! { <ListSkeleton rows=3 /> }>
                {move || list.get().map(|answer| match answer {
                    Err(f) => EitherOf3::A(view! { <ErrorState failure=f retry=Callback::new(move |_| list.refetch()) /> }),
                    Ok(all) if all.is_empty() => EitherOf3::B(
                        (editing.get().is_none()).then(|| {
                            view! {
                                <Empty message=p.addr_empty>
                                    <button type="button" class="btn btn-primary" data-testid="addr-add" on:click=move |_| editing.set(Some(None))>{p.addr_add}</button>
                                </Empty>
                            }
                        })
                    ),
                    Ok(all) => EitherOf3::C(view! {
                        <ul class="address-list" data-testid="address-list">
                            {all.into_iter().map(|a| view! { <AddressRow a editing saved close /> }).collect_view()}
                        </ul>
                    }),
                })}
            </Suspense>
        </section>
    }
}

/// One address with its actions, or its form while it is being changed.
#[component]
fn AddressRow(a: Address, editing: RwSignal<Option<Option<i64>>>, saved: Callback<Address>, close: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = a.id;
    let confirming = RwSignal::new(false);
    let to = StoredValue::new(a.to.clone());
    // One intent for the row's two writes: one pending state, one failure shown.
    let change = Intent::new(move |action: RowAction, _key: String| async move {
        match action {
            RowAction::MakeDefault(input) => api::update_address(id, &input).await,
            RowAction::Delete => api::delete_address(id).await.map(|()| a_placeholder(id)),
        }
    });
    let pending = move || change.pending();
    let make_default = move |_| {
        change.dispatch(RowAction::MakeDefault(AddressInput { to: to.get_value(), is_default: true }), move |a| saved.run(a));
    };
    let delete = move |_| change.dispatch(RowAction::Delete, move |a| saved.run(a));
    let a = StoredValue::new(a);
    view! {
        <li class="card address-card" data-testid="address" data-default=a.with_value(|a| a.is_default.to_string())>
            {move || if editing.get() == Some(Some(id)) {
                Either::Left(view! { <AddressForm address=Some(a.get_value()) saved cancel=close /> })
            } else {
                let a = a.get_value();
                Either::Right(view! {
                    <p class="address-who">
                        <span class="strong">{a.to.name.clone()}</span>" "<span class="num">{a.to.phone.clone()}</span>
                        {a.is_default.then(|| view! { <span class="default-pill">{p.addr_default}</span> })}
                    </p>
                    <p class="address-where">{a.to.region.clone()}" "{a.to.detail.clone()}</p>
                    {move || change.error().map(|e| view! { <p class="inline-error" role="alert">{e}</p> })}
                    {move || if confirming.get() {
                        Either::Left(view! {
                            <div class="confirm-line" role="group">
                                <span class="grow">{p.addr_delete_confirm}</span>
                                <button type="button" class="btn btn-light btn-sm" on:click=move |_| confirming.set(false)>{lang.t().cancel}</button>
                                <button type="button" class="btn btn-danger btn-sm" data-testid="addr-delete-confirm" disabled=pending on:click=delete>{p.addr_delete}</button>
                            </div>
                        })
                    } else {
                        Either::Right(view! {
                            <div class="address-actions">
                                {(!a.is_default).then(|| view! {
                                    <button type="button" class="btn btn-light btn-sm" data-testid="addr-set-default" disabled=pending on:click=make_default>{p.addr_set_default}</button>
                                })}
                                <button type="button" class="btn btn-light btn-sm" data-testid="addr-edit" on:click=move |_| editing.set(Some(Some(id)))>{p.addr_edit}</button>
                                <button type="button" class="btn btn-light btn-sm" data-testid="addr-delete" on:click=move |_| confirming.set(true)>{p.addr_delete}</button>
                            </div>
                        })
                    }}
                })
            }}
        </li>
    }
}

/// A write of an address row.
#[derive(Clone, PartialEq)]
enum RowAction {
    /// Makes the address the default (its fields as they are).
    MakeDefault(AddressInput),
    /// Deletes it.
    Delete,
}

/// A stand-in for a deleted address (the book reloads after `saved`).
fn a_placeholder(id: i64) -> Address {
    Address {
        id,
        to: ShipTo { name: String::new(), phone: String::new(), region: String::new(), detail: String::new() },
        is_default: false,
    }
}

/// The redeem sheet's address choice for goods: the book with the default chosen, and a
/// form to add one (shown at once when the book is empty).
#[component]
pub fn AddressChoice(chosen: RwSignal<Option<i64>>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let list = LocalResource::new(api::addresses);
    let adding = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(all)) = list.get() {
            if chosen.get_untracked().is_none_or(|id| !all.iter().any(|a| a.id == id)) {
                chosen.set(all.first().map(|a| a.id));
            }
        }
    });
    let saved = Callback::new(move |a: Address| {
        chosen.set(Some(a.id));
        adding.set(false);
        list.refetch();
    });
    view! {
        <fieldset class="address-choice" data-testid="address-choice">
            <legend class="choice-title">{p.addr_pick}</legend>
            {move || match list.get() {
                None => EitherOf5::A(view! { <ListSkeleton rows=1 /> }),
                Some(Err(f)) => EitherOf5::B(view! { <p class="inline-error" role="alert">{lang.page_failure(&f)}</p> }),
                Some(Ok(all)) if all.is_empty() => EitherOf5::C(view! {
                    <p class="muted" data-testid="address-first">{p.addr_first}</p>
                    <AddressForm address=None saved />
                }),
                Some(Ok(_)) if adding.get() => EitherOf5::D(view! {
                    <AddressForm address=None saved cancel=Callback::new(move |_| adding.set(false)) />
                }),
                Some(Ok(all)) => EitherOf5::E(view! {
                    <div class="choice-list">
                        {all.into_iter().map(|a| {
                            let id = a.id;
                            view! {
                                <label class="choice" data-testid="address-option">
                                    <input type="radio" name="ship-to" prop:checked=move || chosen.get() == Some(id)
                                        on:change=move |_| chosen.set(Some(id)) />
                                    <span class="grow">
                                        <span class="strong">{a.to.name.clone()}</span>" "<span class="num">{a.to.phone.clone()}</span>
                                        {a.is_default.then(|| view! { <span class="default-pill">{p.addr_default}</span> })}
                                        <span class="choice-sub">{a.to.region.clone()}" "{a.to.detail.clone()}</span>
                                    </span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <button type="button" class="btn btn-light btn-sm" data-testid="address-new" on:click=move |_| adding.set(true)>{p.addr_add}</button>
                }),
            }}
        </fieldset>
    }
}
