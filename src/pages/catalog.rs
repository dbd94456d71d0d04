//! The catalogue: category tabs, price-band and "I can afford" chips, sort, search and
//! an infinitely scrolling grid. Filters live in the URL, so back and reload keep them.

use leptos::prelude::*;
use leptos_router::{
    hooks::{use_navigate, use_query_map},
    NavigateOptions,
};
use mall_core::{
    catalog::{PriceBand, Sort},
    dto::{ItemQuery, ItemSummary},
};

use crate::{
    api,
    components::{
        icons::{Icon, IconKind},
        item_card::ItemCard,
        paged::{Paged, PagedView},
        states::{Empty, GridSkeleton},
    },
    i18n::{use_lang, PageTexts},
    title::set_page_title,
};

fn band_label(t: &PageTexts, band: PriceBand) -> &'static str {
    match band {
        PriceBand::UpTo500 => t.band_500,
        PriceBand::UpTo2000 => t.band_2000,
        PriceBand::UpTo10000 => t.band_10000,
        PriceBand::Over10000 => t.band_over,
    }
}

fn sort_label(t: &PageTexts, sort: Sort) -> &'static str {
    match sort {
        Sort::Popular => t.sort_popular,
        Sort::Newest => t.sort_newest,
        Sort::PointsAsc => t.sort_points_asc,
        Sort::PointsDesc => t.sort_points_desc,
    }
}

/// Builds `?a=b&…` from the non-empty pairs.
fn query_string(pairs: &[(&str, String)]) -> String {
    let parts: Vec<String> = pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", api::percent_encode(v))).collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// The catalogue page.
#[component]
pub fn Catalog() -> impl IntoView {
    let lang = use_lang();
    set_page_title(|l| l.t().tab_catalog.to_string());
    let query = use_query_map();
    let navigate = use_navigate();
    let categories = LocalResource::new(api::categories);
    let paged = Paged::<ItemSummary>::new();

    let current = move || {
        let q = query.read();
        ItemQuery {
            category: q.get("category").filter(|c| !c.is_empty()),
            band: q.get("band").and_then(|b| PriceBand::ALL.into_iter().find(|x| x.as_str() == b)),
            sort: q.get("sort").and_then(|s| Sort::ALL.into_iter().find(|x| x.as_str() == s)),
            affordable: q.get("affordable").map(|a| a == "true"),
            q: q.get("q").filter(|s| !s.is_empty()),
            cursor: None,
            limit: None,
        }
    };
    let load_more = move || {
        let base = current();
        paged.load_more(move |cursor| async move { api::items(&ItemQuery { cursor, ..base }).await.map(|p| (p.items, p.next_cursor)) });
    };
    Effect::new(move |_| {
        query.track();
        paged.reset();
        load_more();
    });

    let set = {
        let navigate = navigate.clone();
        move |change: &dyn Fn(&mut ItemQuery)| {
            let mut q = current();
            change(&mut q);
            let qs = query_string(&[
                ("category", q.category.unwrap_or_default()),
                ("band", q.band.map(|b| b.as_str().to_string()).unwrap_or_default()),
                ("sort", q.sort.filter(|s| *s != Sort::Popular).map(|s| s.as_str().to_string()).unwrap_or_default()),
                ("affordable", if q.affordable == Some(true) { "true".into() } else { String::new() }),
                ("q", q.q.unwrap_or_default()),
            ]);
            navigate(&format!("/catalog{qs}"), NavigateOptions { replace: true, scroll: false, ..Default::default() });
        }
    };
    let set = StoredValue::new_local(set);
    let apply = move |f: Box<dyn Fn(&mut ItemQuery)>| set.with_value(|s| s(&*f));

    let search_text = RwSignal::new(current().q.unwrap_or_default());

    view! {
        <section class="page catalog">
            <form class="search" role="search" on:submit=move |ev| {
                ev.prevent_default();
                let text = search_text.get_untracked();
                apply(Box::new(move |q| q.q = Some(text.trim().to_string())));
            }>
                <Icon kind=IconKind::Search size=18 />
                <input type="search" name="q" enterkeyhint="search" data-testid="search-input"
                    aria-label=lang.t().search
                    placeholder=lang.p().search_placeholder
                    prop:value=search_text
                    on:input=move |ev| search_text.set(event_target_value(&ev)) />
            </form>

            <div class="tabs-scroll" role="tablist" aria-label=lang.t().categories>
                <button role="tab" class="cat-tab" aria-selected=move || current().category.is_none().to_string()
                    on:click=move |_| apply(Box::new(|q| q.category = None))>
                    {lang.t().all}
                </button>
                {move || categories.get().and_then(Result::ok).map(|cats| cats.into_iter().map(|c| {
                    let slug = c.slug.clone();
                    let slug_sel = c.slug.clone();
                    let name = c.name.clone();
                    view! {
                        <button role="tab" class="cat-tab" data-testid=format!("cat-{}", c.slug)
                            aria-selected=move || (current().category.as_deref() == Some(slug_sel.as_str())).to_string()
                            on:click=move |_| { let s = slug.clone(); apply(Box::new(move |q| q.category = Some(s.clone()))) }>
                            {lang.pick(&name)}
                        </button>
                    }
                }).collect_view())}
            </div>

            <div class="filter-row" role="group" aria-label=lang.t().filters>
                {PriceBand::ALL.into_iter().map(|band| view! {
                    <button class="chip" data-testid=format!("band-{}", band.as_str())
                        aria-pressed=move || (current().band == Some(band)).to_string()
                        on:click=move |_| apply(Box::new(move |q| q.band = if q.band == Some(band) { None } else { Some(band) }))>
                        {move || band_label(lang.p(), band)}
                    </button>
                }).collect_view()}
                <button class="chip" data-testid="affordable"
                    aria-pressed=move || (current().affordable == Some(true)).to_string()
                    on:click=move |_| apply(Box::new(|q| q.affordable = Some(q.affordable != Some(true))))>
                    {lang.t().affordable}
                </button>
            </div>

            <label class="sort">
                <span>{lang.p().sort_label}</span>
                <select data-testid="sort" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    apply(Box::new(move |q| q.sort = Sort::ALL.into_iter().find(|s| s.as_str() == v)));
                }>
                    {Sort::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || current().sort.unwrap_or_default() == s>
                            {move || sort_label(lang.p(), s)}
                        </option>
                    }).collect_view()}
                </select>
            </label>

            <PagedView paged load_more=Callback::new(move |_| load_more())
                skeleton=|| view! { <GridSkeleton cards=6 /> }
                empty=move || view! {
                    <Empty message=lang.p().no_items>
                        <a class="btn btn-outline" href="/catalog">{lang.p().clear_filters}</a>
                    </Empty>
                }>
                <div class="grid" data-testid="catalog-grid">
                    <For each=move || paged.items.get() key=|item| item.id let:item>
                        <ItemCard item />
                    </For>
                </div>
            </PagedView>
        </section>
    }
}
