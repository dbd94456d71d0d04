//! Component tests: mount widgets in headless Chromium and assert on the DOM.
//! Run with `cargo test -p mall-app --target wasm32-unknown-unknown` (see the Makefile).
#![cfg(target_arch = "wasm32")]

use leptos::{mount::mount_to, prelude::*};
use mall_app::{
    api::ApiFailure,
    components::{item_card::ItemCard, price::Price, states::ErrorState},
    i18n::Lang,
};
use mall_core::{
    cash::Cash,
    catalog::ItemKind,
    dto::{I18nText, ItemSummary},
    Tier,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh container for one test (the runner keeps its own output in <body>, so
/// tests must not clear the body).
fn container() -> web_sys::HtmlElement {
    let el: web_sys::HtmlElement = document().create_element("div").unwrap().dyn_into().unwrap();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

/// Mounts `view` in a fresh container with the language in context.
fn mount<V: IntoView + 'static>(lang: Lang, view: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    let root = container();
    mount_to(root.clone(), move || {
        provide_context(lang);
        view()
    })
    .forget();
    root
}

fn item(stock: i64, min_tier: Option<Tier>) -> ItemSummary {
    ItemSummary {
        id: 7,
        category: "coupons".into(),
        name: I18nText { zh: "瑞幸咖啡 9 元券".into(), en: "Luckin ¥9 voucher".into() },
        image: "/img/items/x.svg".into(),
        points: 1_990,
        cash: Some(Cash::from_fen(990)),
        stock,
        redeemed: 12_840,
        min_tier,
        kind: ItemKind::Virtual,
    }
}

#[wasm_bindgen_test]
async fn item_card_shows_name_price_and_popularity() {
    let root = mount(Lang::Zh, || view! { <ItemCard item=item(500, None) /> });
    leptos::task::tick().await;
    let card = root.query_selector("[data-testid=item-card]").unwrap().expect("card rendered");
    assert_eq!(card.get_attribute("href").as_deref(), Some("/items/7"));
    let text = card.text_content().unwrap();
    assert!(text.contains("瑞幸咖啡 9 元券"), "{text}");
    assert!(text.contains("1,990"), "{text}");
    assert!(text.contains("¥9.90"), "{text}");
    assert!(text.contains("已兑 1.2万"), "{text}");
    assert!(root.query_selector(".ribbon").unwrap().is_none(), "no sold-out ribbon");
}

#[wasm_bindgen_test]
async fn sold_out_and_tier_only_cards_say_so_in_english() {
    let root = mount(Lang::En, || view! { <ItemCard item=item(0, Some(Tier::Gold)) /> });
    leptos::task::tick().await;
    let ribbon = root.query_selector(".ribbon").unwrap().expect("ribbon");
    assert_eq!(ribbon.text_content().unwrap(), "Sold out");
    let badge = root.query_selector(".tier-badge").unwrap().expect("tier badge");
    assert_eq!(badge.text_content().unwrap(), "Gold+ only");
    assert!(root.query_selector(".item-card.sold-out").unwrap().is_some());
    let img = root.query_selector("img").unwrap().unwrap();
    assert_eq!(img.get_attribute("alt").as_deref(), Some("Luckin ¥9 voucher"));
}

#[wasm_bindgen_test]
async fn price_reads_in_both_languages() {
    let zh = mount(Lang::Zh, || view! { <Price points=990 cash=Some(Cash::from_fen(990)) /> });
    leptos::task::tick().await;
    assert_eq!(zh.query_selector(".price").unwrap().unwrap().text_content().unwrap(), "990积分 + ¥9.90");
    let en = mount(Lang::En, || view! { <Price points=12_800 cash=None /> });
    leptos::task::tick().await;
    assert_eq!(en.query_selector(".price").unwrap().unwrap().text_content().unwrap(), "12,800pts");
}

#[wasm_bindgen_test]
async fn error_state_tells_offline_from_server_and_retries() {
    let retried = RwSignal::new(0);
    let root = mount(Lang::Zh, move || {
        view! { <ErrorState failure=ApiFailure::Offline retry=Callback::new(move |_| retried.update(|n| *n += 1)) /> }
    });
    leptos::task::tick().await;
    let state = root.query_selector("[data-testid=error-state]").unwrap().unwrap();
    assert!(state.text_content().unwrap().contains("网络连接已断开"));
    let button: web_sys::HtmlElement = state.query_selector("button").unwrap().unwrap().dyn_into().unwrap();
    button.click();
    leptos::task::tick().await;
    assert_eq!(retried.get_untracked(), 1);

    let root = mount(Lang::Zh, || view! { <ErrorState failure=ApiFailure::Server(502) retry=Callback::new(|_| ()) /> });
    leptos::task::tick().await;
    let text = root.query_selector("[data-testid=error-state]").unwrap().unwrap().text_content().unwrap();
    assert!(text.contains("服务暂时不可用"), "{text}");
}

#[wasm_bindgen_test]
fn language_follows_the_browser_tag() {
    assert_eq!(Lang::from_tag("zh-CN"), Lang::Zh);
    assert_eq!(Lang::from_tag("zh-Hant-TW"), Lang::Zh);
    assert_eq!(Lang::from_tag("en-US"), Lang::En);
    assert_eq!(Lang::from_tag("fr-FR"), Lang::Zh);
}

#[wasm_bindgen_test]
fn refusals_say_when_and_by_whom_in_the_member_language() {
    use mall_core::{ErrorCode, ErrorDetails};
    let used = ErrorDetails { at: Some("2026-11-23T16:30:05+08:00".into()), by: Some("demo-merchant".into()), server_time: None };
    let zh = Lang::Zh.refusal(ErrorCode::CodeUsed, &used).unwrap();
    assert_eq!(zh, "已于 11-23 16:30 在 demo-merchant 核销，每个券码只能用一次");
    let en = Lang::En.refusal(ErrorCode::CodeUsed, &used).unwrap();
    assert_eq!(en, "Already redeemed at demo-merchant on 11-23 16:30. Each code works only once.");
    let opens = ErrorDetails { at: Some("2026-11-23T20:00:00+08:00".into()), ..Default::default() };
    assert_eq!(Lang::Zh.refusal(ErrorCode::SaleNotStarted, &opens).unwrap(), "还没开抢，11-23 20:00 开始");
    // Without facts, the plain sentence; codes without words fall back to the server's message.
    assert_eq!(Lang::En.refusal(ErrorCode::SaleNotStarted, &ErrorDetails::default()).unwrap(), "Not open yet");
    assert_eq!(Lang::Zh.refusal(ErrorCode::InvalidJson, &ErrorDetails::default()), None);
    let failure =
        ApiFailure::Refused { status: 400, code: ErrorCode::InvalidJson, message: "bad json".into(), details: ErrorDetails::default() };
    assert_eq!(Lang::Zh.failure(&failure), "bad json");
}

/// Types `text` into `input` as a user would (value, then an `input` event).
fn type_into(input: &web_sys::HtmlInputElement, text: &str) {
    input.set_value(text);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn merchant_page_checks_codes_without_nagging() {
    use mall_app::pages::merchant::Merchant;
    let root = mount(Lang::Zh, || view! { <Merchant /> });
    leptos::task::tick().await;
    let input: web_sys::HtmlInputElement = root.query_selector("[data-testid=merchant-code]").unwrap().unwrap().dyn_into().unwrap();
    let error = || root.query_selector("[data-testid=code-local-error]").unwrap().map(|e| e.text_content().unwrap());
    let code = mall_core::code::display(&mall_core::code::from_random([3; 11]));
    // Half typed: quiet.
    type_into(&input, &code[..6]);
    leptos::task::tick().await;
    assert_eq!(error(), None);
    // A character codes never use: said at once.
    type_into(&input, "AB0");
    leptos::task::tick().await;
    assert!(error().unwrap().contains("无效字符"), "{:?}", error());
    // Full length with a typo: the check character catches it.
    let typo = format!("{}{}", if code.starts_with('A') { 'B' } else { 'A' }, &code[1..]);
    type_into(&input, &typo);
    leptos::task::tick().await;
    assert!(error().unwrap().contains("校验位"), "{:?}", error());
    // The right code in lower case with spaces: no complaint.
    type_into(&input, &code.to_lowercase().replace('-', " "));
    leptos::task::tick().await;
    assert_eq!(error(), None);
}

#[wasm_bindgen_test]
fn lazy_routes_are_found_by_path() {
    use mall_app::lazy::LazyRoute;
    assert_eq!(LazyRoute::of_path("/history?kind=spent"), Some(LazyRoute::History));
    assert_eq!(LazyRoute::of_path("/items/3"), Some(LazyRoute::Item));
    assert_eq!(LazyRoute::of_path("/catalog#top"), Some(LazyRoute::Catalog));
    assert_eq!(LazyRoute::of_path("/"), None, "Home is in the main module");
    assert_eq!(LazyRoute::of_path("/nowhere"), None);
}

#[wasm_bindgen_test]
async fn a_lazy_page_renders_its_page_and_adds_its_styles_once() {
    use mall_app::lazy::{LazyPage, LazyRoute};
    let root = mount(Lang::Zh, || view! { <LazyPage route=LazyRoute::Merchant /> });
    for _ in 0..5 {
        leptos::task::tick().await;
    }
    assert!(root.query_selector("[data-testid=merchant-code]").unwrap().is_some(), "the merchant page is shown");
    assert!(root.query_selector("[data-testid=page-skeleton]").unwrap().is_none());
    let count = |id: &str| {
        let all = document().get_elements_by_tag_name("style");
        (0..all.length()).filter(|i| all.item(*i).is_some_and(|s| s.id() == id)).count()
    };
    let styles = || count("style-staff.css");
    assert_eq!(styles(), 1);
    // A second page of the same chunk adds no second copy.
    let _again = mount(Lang::Zh, || view! { <LazyPage route=LazyRoute::Ops /> });
    for _ in 0..5 {
        leptos::task::tick().await;
    }
    assert_eq!(styles(), 1);
    assert_eq!(count("style-shared.css"), 1);
}
