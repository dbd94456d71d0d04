//! The back office's items: the list (retired ones too, filtered), one form that creates
//! or edits an item (both languages, category, kind, prices, limits, specs, an uploaded
//! image), retire and bring back, and stock changes with a reason. The form is checked
//! with the server's rules (`check_item`) before it is sent.

use leptos::{
    either::{EitherOf3, EitherOf4},
    prelude::*,
};
use mall_core::{
    cash::Cash,
    catalog::ItemKind,
    catalog_admin::{check_item, AdminItem, ItemPatch, NewItem, StockChange},
    dto::{Category, I18nText, Spec},
    format::group_thousands,
    ErrorCode, Tier,
};

use crate::{
    api,
    components::{
        field::Field,
        image_upload::{upload_intent, ImageUpload},
        states::ListSkeleton,
    },
    i18n::{use_lang, Lang},
    intent::Intent,
    pages::ops::{answer, OpsResult, Said},
};

/// What the item form sends: a new item, or the changes of one.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Save {
    Create(Box<NewItem>),
    Patch(i64, Box<ItemPatch>),
}

/// Which items the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    Active,
    Retired,
}

impl Filter {
    /// Its name in test ids.
    fn slug(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Active => "active",
            Filter::Retired => "retired",
        }
    }
}

/// The list on the left, the chosen item (or a new one) on the right.
#[component]
pub fn Items() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let items = LocalResource::new(|| async { api::admin_items().await.map(|a| a.items) });
    // Every category, hidden ones too: an item may wait in one before it is shown.
    let categories = LocalResource::new(|| async {
        api::admin_categories().await.map(|c| c.categories.into_iter().map(|c| Category { slug: c.slug, name: c.name }).collect::<Vec<_>>())
    });
    let filter = RwSignal::new(Filter::All);
    // `None`: the form makes a new item.
    let selected = RwSignal::new(None::<i64>);
    // The form's answer, kept here: a saved item's form is rebuilt with its new facts.
    let form_result = RwSignal::new(None::<Result<String, String>>);
    let pick = Callback::new(move |id: Option<i64>| {
        form_result.set(None);
        selected.set(id);
        reveal_panel();
    });
    let saved = Callback::new(move |item: AdminItem| {
        let id = item.id;
        items.update(|list| {
            if let Some(Ok(list)) = list {
                match list.iter_mut().find(|i| i.id == id) {
                    Some(old) => *old = item,
                    None => list.push(item),
                }
            }
        });
        selected.set(Some(id));
    });
    let filter_label = move |f: Filter| match f {
        Filter::All => lang.t().all,
        Filter::Active => p.items_active,
        Filter::Retired => p.items_retired,
    };
    view! {
        <div class="ops-columns">
            <section class="card ops-card" aria-labelledby="items-heading" data-testid="ops-items">
                <div class="card-head">
                    <h2 class="card-heading" id="items-heading">{p.ops_items}</h2>
                    <button type="button" class="btn btn-primary btn-sm" data-testid="item-new" on:click=move |_| pick.run(None)>
                        {p.item_new}
                    </button>
                </div>
                <div class="seg" role="group" aria-label=p.items_filter>
                    {[Filter::All, Filter::Active, Filter::Retired].into_iter().map(|f| view! {
                        <button type="button" class="seg-btn" aria-pressed=move || (filter.get() == f).to_string()
                            data-testid=format!("items-filter-{}", f.slug())
                            on:click=move |_| filter.set(f)>{filter_label(f)}</button>
                    }).collect_view()}
                </div>
                {move || match items.get() {
                    None => EitherOf4::A(view! { <ListSkeleton rows=4 /> }),
                    Some(Err(f)) => EitherOf4::B(view! { <p class="inline-error" role="alert">{lang.staff_failure(&f)}</p> }),
                    Some(Ok(list)) => {
                        let shown: Vec<AdminItem> = list.into_iter().rev().filter(|i| match filter.get() {
                            Filter::All => true,
                            Filter::Active => !i.retired,
                            Filter::Retired => i.retired,
                        }).collect();
                        if shown.is_empty() {
                            EitherOf4::C(view! { <p class="muted ops-empty" role="status">{p.item_no_items}</p> })
                        } else {
                            EitherOf4::D(view! {
                                <ul class="list ops-list item-rows" data-testid="item-rows">
                                    {shown.into_iter().map(|item| view! { <ItemRow item selected pick /> }).collect_view()}
                                </ul>
                            })
                        }
                    }
                }}
            </section>
            <section class="ops-detail" aria-label=move || if selected.get().is_some() { p.item_edit } else { p.item_new }>
                <span class="scroll-marker" id="item-panel"></span>
                {move || {
                    let Some(cats) = categories.get() else {
                        return EitherOf3::A(view! { <div class="card ops-card"><ListSkeleton rows=4 /></div> }.into_any());
                    };
                    let cats = cats.unwrap_or_default();
                    if cats.is_empty() {
                        // An empty shop: an item needs a category first.
                        return EitherOf3::A(view! {
                            <p class="card ops-card muted" data-testid="item-need-category-first">
                                {p.item_no_categories}" "<a href="/ops?s=categories">{p.cat_new}</a>
                            </p>
                        }.into_any());
                    }
                    let current = selected.get().and_then(|id| {
                        items.with_untracked(|l| l.as_ref().and_then(|l| l.as_ref().ok()).and_then(|l| l.iter().find(|i| i.id == id).cloned()))
                    });
                    match current {
                        Some(item) => EitherOf3::B(view! {
                            <ItemActions item=item.clone() saved />
                            <ItemForm item=Some(item) categories=cats saved said=form_result />
                        }),
                        None => EitherOf3::C(view! { <ItemForm item=None categories=cats saved said=form_result /> }),
                    }
                }}
            </section>
        </div>
    }
}

/// Brings the chosen item's panel into view on a phone, where it is under the whole list
/// (on a desk it is beside the list: its marker is not displayed there, so nothing moves).
fn reveal_panel() {
    request_animation_frame(|| {
        let panel = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("item-panel"));
        if let Some(panel) = panel {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Start);
            panel.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}

/// One item in the list.
#[component]
fn ItemRow(item: AdminItem, selected: RwSignal<Option<i64>>, pick: Callback<Option<i64>>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = item.id;
    view! {
        <li>
            <button type="button" class="row member-row" data-testid="item-row" data-id=id.to_string()
                aria-pressed=move || (selected.get() == Some(id)).to_string()
                on:click=move |_| pick.run(Some(id))>
                <img src=item.image.clone() alt="" width="48" height="48" />
                <span class="grow">
                    <span class="row-title">{lang.pick(&item.name)}<span class="muted">" #"{id}</span></span>
                    <span class="row-sub">
                        <span class="kind-pill status-pill">{kind_name(lang, item.kind)}</span>" "
                        {lang.stock_line(item.stock, item.redeemed)}
                        {item.retired.then(|| view! { <span class="frozen-pill">{p.items_retired}</span> })}
                    </span>
                </span>
                <span class="num strong">{group_thousands(item.points)}</span>
            </button>
        </li>
    }
}

fn kind_name(lang: Lang, kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Virtual => lang.p().virtual_item,
        ItemKind::Physical => lang.p().physical,
    }
}

/// One row of the specs: label and value in both languages.
#[derive(Clone, Copy)]
struct SpecRow {
    key: u32,
    label_zh: RwSignal<String>,
    label_en: RwSignal<String>,
    value_zh: RwSignal<String>,
    value_en: RwSignal<String>,
}

impl SpecRow {
    fn new(key: u32, spec: Option<&Spec>) -> SpecRow {
        let s = |f: fn(&Spec) -> &String| RwSignal::new(spec.map(|s| f(s).clone()).unwrap_or_default());
        SpecRow {
            key,
            label_zh: s(|s| &s.label.zh),
            label_en: s(|s| &s.label.en),
            value_zh: s(|s| &s.value.zh),
            value_en: s(|s| &s.value.en),
        }
    }

    fn spec(&self) -> Option<Spec> {
        let t = |s: RwSignal<String>| s.get_untracked().trim().to_string();
        let spec = Spec {
            label: I18nText { zh: t(self.label_zh), en: t(self.label_en) },
            value: I18nText { zh: t(self.value_zh), en: t(self.value_en) },
        };
        let empty = [&spec.label.zh, &spec.label.en, &spec.value.zh, &spec.value.en].iter().all(|s| s.is_empty());
        (!empty).then_some(spec)
    }
}

/// Creates an item (`item` is `None`) or changes one.
#[component]
fn ItemForm(item: Option<AdminItem>, categories: Vec<Category>, saved: Callback<AdminItem>, said: Said) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let editing = item.as_ref().map(|i| i.id);
    let text = |f: fn(&AdminItem) -> String| RwSignal::new(item.as_ref().map(f).unwrap_or_default());
    let name_zh = text(|i| i.name.zh.clone());
    let name_en = text(|i| i.name.en.clone());
    let desc_zh = text(|i| i.description.zh.clone());
    let desc_en = text(|i| i.description.en.clone());
    let category = text(|i| i.category.clone());
    let kind = RwSignal::new(item.as_ref().map_or(ItemKind::Physical, |i| i.kind));
    let points = text(|i| i.points.to_string());
    let cash = text(|i| i.cash.map(|c| c.to_string()).unwrap_or_default());
    let limit = RwSignal::new(item.as_ref().map_or("1".to_string(), |i| i.per_member_limit.to_string()));
    let min_tier = RwSignal::new(item.as_ref().and_then(|i| i.min_tier));
    let merchant_id = RwSignal::new(item.as_ref().and_then(|i| i.merchant_id));
    let merchants = LocalResource::new(api::admin_merchants);
    let stock = text(|_| String::new());
    let image = text(|i| i.image.clone());
    let next_key = StoredValue::new(0u32);
    let new_row = move |spec: Option<&Spec>| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        SpecRow::new(key, spec)
    };
    let specs = RwSignal::new(item.as_ref().map(|i| i.specs.iter().map(|s| new_row(Some(s))).collect::<Vec<_>>()).unwrap_or_default());
    let save = Intent::new(|save: Save, _key: String| async move {
        match save {
            Save::Create(new) => api::admin_create_item(&new).await,
            Save::Patch(id, patch) => api::admin_patch_item(id, &patch).await,
        }
    });
    let result = answer(said, save, move |f| lang.staff_failure(f));
    let upload = upload_intent();
    let uploading = move || upload.pending();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = lang.p();
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>();
        let (Ok(points), Ok(limit)) = (number(points), number(limit)) else {
            said.set(Some(Err(p.ops_bad_number.to_string())));
            return;
        };
        let stock = if editing.is_none() {
            match number(stock) {
                Ok(n) => n,
                Err(_) => {
                    said.set(Some(Err(p.ops_bad_number.to_string())));
                    return;
                }
            }
        } else {
            0
        };
        let cash_text = cash.get_untracked().trim().to_string();
        let cash = if cash_text.is_empty() {
            None
        } else {
            match Cash::parse(&cash_text) {
                Some(c) => Some(c),
                None => {
                    said.set(Some(Err(p.ops_bad_number.to_string())));
                    return;
                }
            }
        };
        let pair = |zh: RwSignal<String>, en: RwSignal<String>| I18nText {
            zh: zh.get_untracked().trim().into(),
            en: en.get_untracked().trim().into(),
        };
        let name = pair(name_zh, name_en);
        let description = pair(desc_zh, desc_en);
        let spec_list: Vec<Spec> = specs.get_untracked().iter().filter_map(SpecRow::spec).collect();
        let image = image.get_untracked();
        let category = category.get_untracked();
        if category.is_empty() {
            said.set(Some(Err(p.item_need_category.to_string())));
            return;
        }
        if image.is_empty() {
            said.set(Some(Err(p.item_need_image.to_string())));
            return;
        }
        if let Err(e) = check_item(&name, &description, &spec_list, &image, points, cash, limit) {
            said.set(Some(Err(lang.item_error(e).to_string())));
            return;
        }
        if stock < 0 {
            said.set(Some(Err(lang.item_error(mall_core::catalog_admin::ItemError::Numbers).to_string())));
            return;
        }
        let kind = kind.get_untracked();
        let min_tier = min_tier.get_untracked();
        // Only a voucher's codes are verified by a merchant.
        let merchant_id = merchant_id.get_untracked().filter(|_| kind == ItemKind::Virtual);
        let request = match editing {
            None => Save::Create(Box::new(NewItem {
                category,
                kind,
                name,
                description,
                specs: spec_list,
                image,
                points,
                cash,
                stock,
                per_member_limit: limit,
                min_tier,
                merchant_id,
            })),
            Some(id) => Save::Patch(
                id,
                Box::new(ItemPatch {
                    category: Some(category),
                    kind: Some(kind),
                    name: Some(name),
                    description: Some(description),
                    specs: Some(spec_list),
                    image: Some(image),
                    points: Some(points),
                    cash: Some(cash),
                    per_member_limit: Some(limit),
                    min_tier: Some(min_tier),
                    retired: None,
                    merchant_id: Some(merchant_id),
                }),
            ),
        };
        said.set(None);
        save.dispatch(request, move |item| {
            let message = if editing.is_none() { lang.p().item_created } else { lang.p().ops_saved };
            saved.run(item);
            said.try_set(Some(Ok(message.to_string())));
        });
    };

    let heading = if editing.is_some() { p.item_edit } else { p.item_new };
    view! {
        <form class="card ops-card item-form" on:submit=submit novalidate data-testid="item-form" aria-labelledby="item-form-heading">
            <h2 class="card-heading" id="item-form-heading">{heading}{editing.map(|id| view! { <span class="muted">" #"{id}</span> })}</h2>
            <div class="field-row">
                <Field label=p.item_name_zh value=name_zh testid="item-name-zh" maxlength=60 />
                <Field label=p.item_name_en value=name_en testid="item-name-en" maxlength=60 />
            </div>
            <div class="field-row">
                <label class="field"><span>{p.item_category}</span>
                    <select data-testid="item-category" on:change=move |ev| category.set(event_target_value(&ev))>
                        <option value="" selected=move || category.get().is_empty()>{p.item_need_category}</option>
                        {categories.into_iter().map(|c| {
                            let slug = c.slug.clone();
                            let is = slug.clone();
                            view! { <option value=slug selected=move || category.get() == is>{lang.pick(&c.name)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>{p.item_kind}</span>
                    <select data-testid="item-kind" on:change=move |ev| kind.set(if event_target_value(&ev) == "virtual" { ItemKind::Virtual } else { ItemKind::Physical })>
                        {[ItemKind::Physical, ItemKind::Virtual].into_iter().map(|k| view! {
                            <option value={if k == ItemKind::Virtual { "virtual" } else { "physical" }} selected=move || kind.get() == k>{kind_name(lang, k)}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <div class="field-row">
                <Field label=p.item_points value=points testid="item-points" kind="number" />
                <Field label=p.item_cash value=cash testid="item-cash" placeholder="9.90" />
            </div>
            <div class="field-row">
                <Field label=p.item_limit value=limit testid="item-limit" kind="number" />
                <label class="field"><span>{p.item_min_tier}</span>
                    <select data-testid="item-min-tier" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        min_tier.set(Tier::ALL.into_iter().find(|t| t.as_str() == v));
                    }>
                        <option value="" selected=move || min_tier.get().is_none()>{p.item_any_tier}</option>
                        {Tier::ALL.into_iter().map(|t| view! {
                            <option value=t.as_str() selected=move || min_tier.get() == Some(t)>{lang.tier(t)}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            {move || (kind.get() == ItemKind::Virtual).then(|| view! {
                <label class="field"><span>{p.item_merchant}</span>
                    <select data-testid="item-merchant" on:change=move |ev| merchant_id.set(event_target_value(&ev).parse().ok())>
                        <option value="" selected=move || merchant_id.get().is_none()>{p.item_own_voucher}</option>
                        {move || merchants.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|m| {
                            let id = m.id;
                            view! { <option value=id.to_string() selected=move || merchant_id.get() == Some(id)>{lang.pick(&m.name)}</option> }
                        }).collect_view()}
                    </select>
                </label>
            })}
            {editing.is_none().then(|| view! { <Field label=p.item_stock value=stock testid="item-stock" kind="number" /> })}
            <label class="field"><span>{p.item_desc_zh}</span>
                <textarea rows="3" maxlength="2000" data-testid="item-desc-zh" prop:value=desc_zh on:input=move |ev| desc_zh.set(event_target_value(&ev))></textarea>
            </label>
            <label class="field"><span>{p.item_desc_en}</span>
                <textarea rows="3" maxlength="2000" data-testid="item-desc-en" prop:value=desc_en on:input=move |ev| desc_en.set(event_target_value(&ev))></textarea>
            </label>
            <fieldset class="field specs-field">
                <legend>{p.specs}</legend>
                <For each=move || specs.get() key=|r| r.key let:row>
                    <div class="spec-edit" data-testid="spec-row">
                        <div class="field-row">
                            <Field label=p.item_spec_label_zh value=row.label_zh testid="spec-label-zh" maxlength=40 />
                            <Field label=p.item_spec_label_en value=row.label_en testid="spec-label-en" maxlength=40 />
                        </div>
                        <div class="field-row">
                            <Field label=p.item_spec_value_zh value=row.value_zh testid="spec-value-zh" maxlength=200 />
                            <Field label=p.item_spec_value_en value=row.value_en testid="spec-value-en" maxlength=200 />
                        </div>
                        <button type="button" class="btn btn-light btn-sm" on:click=move |_| specs.update(|s| s.retain(|r| r.key != row.key))>
                            {p.item_remove}
                        </button>
                    </div>
                </For>
                <button type="button" class="btn btn-outline btn-sm" data-testid="spec-add" disabled=move || specs.with(|s| s.len() >= 20)
                    on:click=move |_| { let row = new_row(None); specs.update(|s| s.push(row)); }>
                    {p.item_add_spec}
                </button>
            </fieldset>
            <ImageUpload image upload prefix="item" />
            <OpsResult result testid="item-result" />
            <button type="submit" class="btn btn-primary btn-block" data-testid="item-save" disabled=move || save.pending() || uploading()>
                {if editing.is_some() { p.ops_save } else { p.item_create }}
            </button>
        </form>
    }
}

/// Retire or bring back; change the stock with a reason.
#[component]
fn ItemActions(item: AdminItem, saved: Callback<AdminItem>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = item.id;
    let retired = item.retired;
    let retire_said = RwSignal::new(None::<Result<String, String>>);
    // The state it is to be in: retired (`true`) or on sale.
    let retiring = Intent::new(move |retire: bool, _key: String| async move { api::admin_retire_item(id, retire).await });
    let retire_result = answer(retire_said, retiring, move |f| lang.staff_failure(f));
    let stocking = Intent::new(move |change: StockChange, key: String| async move { api::admin_stock(id, &change, &key).await });
    let pending = move || retiring.pending() || stocking.pending();
    let retire = move |_| {
        retire_said.set(None);
        retiring.dispatch(!retired, move |item| saved.run(item));
    };

    let delta = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let stock_said = RwSignal::new(None::<Result<String, String>>);
    let stock_result = answer(stock_said, stocking, move |f| {
        if f.code() == Some(ErrorCode::StockBelowZero) {
            lang.p().item_stock_low.to_string()
        } else {
            lang.staff_failure(f)
        }
    });
    let change_stock = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = lang.p();
        let Ok(delta_n) = delta.get_untracked().trim().trim_start_matches('+').parse::<i64>() else {
            stock_said.set(Some(Err(p.ops_bad_number.to_string())));
            return;
        };
        if delta_n == 0 {
            stock_said.set(Some(Err(p.ops_bad_number.to_string())));
            return;
        }
        let why = reason.get_untracked().trim().to_string();
        if why.is_empty() {
            stock_said.set(Some(Err(p.ops_need_reason.to_string())));
            return;
        }
        stock_said.set(None);
        // The same change after a lost answer is sent with the same key (the intent's rule).
        stocking.dispatch(StockChange { delta: delta_n, reason: why }, move |item| {
            delta.try_set(String::new());
            reason.try_set(String::new());
            saved.run(item);
        });
    };

    view! {
        <div class="ops-facts">
            <form class="card ops-card" on:submit=change_stock data-testid="stock-form">
                <h3 class="fact-heading">{lang.pick(&item.name)}<span class="muted">" #"{id}</span></h3>
                <p class="muted stock-now" data-testid="item-stock-now">{lang.stock_line(item.stock, item.redeemed)}</p>
                <Field label=p.item_delta value=delta testid="stock-delta" kind="number" placeholder="+10 / -5" />
                <Field label=p.item_stock_reason value=reason testid="stock-reason" maxlength=100 />
                <OpsResult result=stock_result testid="stock-result" />
                <button type="submit" class="btn btn-primary btn-block" data-testid="stock-apply" disabled=pending>{p.item_stock_change}</button>
            </form>
            <div class="card ops-card">
                <h3 class="fact-heading">{if retired { p.items_retired } else { p.items_active }}</h3>
                <OpsResult result=retire_result testid="retire-result" />
                <button type="button" class="btn btn-block" class:btn-danger-outline=!retired class:btn-outline=retired
                    data-testid=if retired { "item-unretire" } else { "item-retire" } disabled=pending on:click=retire>
                    {if retired { p.item_unretire } else { p.item_retire }}
                </button>
            </div>
        </div>
    }
}
