//! The catalogue's categories in the back office (分类): every category with its names,
//! order, item count and whether members see it; a form for a new one (its slug is
//! fixed once made), and per category: rename, move, hide or show. A hidden category
//! leaves members' tabs and lists; its items stay for the orders that name them. Every
//! change is audited by the server; the form applies core's rule before sending.

use leptos::{either::EitherOf4, prelude::*};
use mall_core::{
    catalog_admin::{check_category, AdminCategory, CategoryPatch, NewCategory},
    dto::I18nText,
};

use crate::{
    api::{self, ApiFailure},
    components::{
        field::Field,
        states::{ErrorState, ListSkeleton},
    },
    i18n::{use_lang, Lang},
    intent::Intent,
    pages::ops::{answer, by_status, OpsResult},
};

/// A category refusal in the operator's words: a taken slug (409) or a refused field
/// (422) by status, as the newer codes are not decoded in the wasm.
fn category_failure(lang: Lang, failure: &ApiFailure) -> String {
    let p = lang.p();
    by_status(lang, failure, &[(409, p.cat_slug_taken), (422, p.cat_bad)])
}

/// The categories section: the list, and the form for a new category.
#[component]
pub fn Categories() -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let categories = LocalResource::new(|| async { api::admin_categories().await.map(|c| c.categories) });
    let editing = RwSignal::new(None::<i64>);
    // A new or changed category takes its place in the list at once.
    let saved = Callback::new(move |category: AdminCategory| {
        categories.update(|list| {
            if let Some(Ok(list)) = list {
                match list.iter_mut().find(|c| c.id == category.id) {
                    Some(old) => *old = category,
                    None => list.push(category),
                }
                list.sort_by_key(|c| (c.position, c.id));
            }
        });
        editing.set(None);
    });
    view! {
        <div class="ops-columns">
            <section class="card ops-card" aria-labelledby="cats-heading" data-testid="ops-categories">
                <h2 class="card-heading" id="cats-heading">{p.ops_categories}</h2>
                <p class="muted staff-note">{p.cat_note}</p>
                {move || match categories.get() {
                    None => EitherOf4::A(view! { <ListSkeleton rows=4 /> }),
                    Some(Err(f)) => EitherOf4::B(view! { <ErrorState failure=f retry=Callback::new(move |_| { categories.set(None); categories.refetch(); }) /> }),
                    Some(Ok(list)) if list.is_empty() => EitherOf4::C(view! { <p class="muted ops-empty" role="status">{p.cat_none}</p> }),
                    Some(Ok(list)) => EitherOf4::D(view! {
                        <ul class="list ops-list" data-testid="category-rows">
                            {list.into_iter().map(|category| view! { <CategoryRow category editing saved /> }).collect_view()}
                        </ul>
                    }),
                }}
            </section>
            <NewCategoryForm saved />
        </div>
    }
}

/// One category: its facts, and its edit form when chosen.
#[component]
fn CategoryRow(category: AdminCategory, editing: RwSignal<Option<i64>>, saved: Callback<AdminCategory>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = category.id;
    let facts = category.clone();
    let slug = category.slug.clone();
    view! {
        <li class="row category-row" data-testid="category-row" data-slug=slug>
            <div class="grow">
                <span class="row-title">
                    {lang.pick(&facts.name)}" "<span class="muted">{facts.slug.clone()}</span>
                    {facts.hidden.then(|| view! { <span class="frozen-pill" data-testid="category-hidden">{p.cat_hidden}</span> })}
                </span>
                <span class="row-sub muted">{lang.category_line(facts.position, facts.items)}</span>
            </div>
            <button type="button" class="btn btn-outline btn-sm" data-testid="category-edit" aria-expanded=move || (editing.get() == Some(id)).to_string()
                on:click=move |_| editing.update(|e| *e = if *e == Some(id) { None } else { Some(id) })>
                {p.ops_edit}
            </button>
            {move || (editing.get() == Some(id)).then(|| view! { <EditCategory category=category.clone() saved /> })}
        </li>
    }
}

/// Rename, move, hide or show one category.
#[component]
fn EditCategory(category: AdminCategory, saved: Callback<AdminCategory>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let id = category.id;
    let slug = category.slug.clone();
    let zh = RwSignal::new(category.name.zh.clone());
    let en = RwSignal::new(category.name.en.clone());
    let position = RwSignal::new(category.position.to_string());
    let hidden = RwSignal::new(category.hidden);
    let said = RwSignal::new(None::<Result<String, String>>);
    let change = Intent::new(move |patch: CategoryPatch, _key: String| async move { api::admin_patch_category(id, &patch).await });
    let result = answer(said, change, move |f| category_failure(lang, f));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = I18nText { zh: zh.get_untracked().trim().to_string(), en: en.get_untracked().trim().to_string() };
        let Ok(position) = position.get_untracked().trim().parse::<i64>() else {
            said.set(Some(Err(lang.p().ops_bad_number.to_string())));
            return;
        };
        if check_category(&slug, &name).is_err() {
            said.set(Some(Err(lang.p().cat_bad.to_string())));
            return;
        }
        said.set(None);
        let patch = CategoryPatch { name: Some(name), position: Some(position), hidden: Some(hidden.get_untracked()) };
        change.dispatch(patch, move |category| saved.run(category));
    };
    view! {
        <form class="category-edit" on:submit=submit novalidate data-testid="category-edit-form">
            <Field label=p.cat_name_zh value=zh testid="category-edit-zh" maxlength=20 />
            <Field label=p.cat_name_en value=en testid="category-edit-en" maxlength=20 />
            <Field label=p.cat_position value=position testid="category-edit-position" kind="number" />
            <label class="check">
                <input type="checkbox" data-testid="category-edit-hidden" prop:checked=hidden on:change=move |ev| hidden.set(event_target_checked(&ev)) />
                <span>{p.cat_hide}</span>
            </label>
            <OpsResult result testid="category-edit-result" />
            <button class="btn btn-primary btn-block" type="submit" data-testid="category-save" disabled=move || change.pending()>{p.ops_save}</button>
        </form>
    }
}

/// The form for a new category; it stays for the next one.
#[component]
fn NewCategoryForm(saved: Callback<AdminCategory>) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    let slug = RwSignal::new(String::new());
    let zh = RwSignal::new(String::new());
    let en = RwSignal::new(String::new());
    let said = RwSignal::new(None::<Result<String, String>>);
    let create = Intent::new(|category: NewCategory, _key: String| async move { api::admin_create_category(&category).await });
    let result = answer(said, create, move |f| category_failure(lang, f));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let category = NewCategory {
            slug: slug.get_untracked().trim().to_lowercase(),
            name: I18nText { zh: zh.get_untracked().trim().to_string(), en: en.get_untracked().trim().to_string() },
            position: None,
        };
        if check_category(&category.slug, &category.name).is_err() {
            said.set(Some(Err(lang.p().cat_bad.to_string())));
            return;
        }
        said.set(None);
        create.dispatch(category, move |created| {
            said.try_set(Some(Ok(lang.p().cat_created.to_string())));
            for field in [slug, zh, en] {
                field.try_set(String::new());
            }
            saved.run(created);
        });
    };
    view! {
        <form class="card ops-card" on:submit=submit novalidate data-testid="category-create-form" aria-labelledby="cat-new-heading">
            <h2 class="card-heading" id="cat-new-heading">{p.cat_new}</h2>
            <Field label=p.cat_slug value=slug testid="category-slug" maxlength=32 placeholder=p.cat_slug_hint />
            <Field label=p.cat_name_zh value=zh testid="category-zh" maxlength=20 />
            <Field label=p.cat_name_en value=en testid="category-en" maxlength=20 />
            <OpsResult result testid="category-create-result" />
            <button class="btn btn-primary btn-block" type="submit" data-testid="category-create" disabled=move || create.pending()>{p.cat_create}</button>
        </form>
    }
}
