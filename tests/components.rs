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
    let used = ErrorDetails { at: Some("2026-11-23T16:30:05+08:00".into()), by: Some("demo-merchant".into()), ..Default::default() };
    let zh = Lang::Zh.page_refusal(ErrorCode::CodeUsed, &used).unwrap();
    assert_eq!(zh, "已于 11-23 16:30 在 demo-merchant 核销，每个券码只能用一次");
    let en = Lang::En.page_refusal(ErrorCode::CodeUsed, &used).unwrap();
    assert_eq!(en, "Already redeemed at demo-merchant on 11-23 16:30. Each code works only once.");
    let opens = ErrorDetails { at: Some("2026-11-23T20:00:00+08:00".into()), ..Default::default() };
    assert_eq!(Lang::Zh.page_refusal(ErrorCode::SaleNotStarted, &opens).unwrap(), "还没开抢，11-23 20:00 开始");
    // Without facts, the plain sentence; codes without words fall back to the server's message.
    assert_eq!(Lang::En.page_refusal(ErrorCode::SaleNotStarted, &ErrorDetails::default()).unwrap(), "Not open yet");
    assert_eq!(Lang::Zh.page_refusal(ErrorCode::InvalidJson, &ErrorDetails::default()), None);
    let failure =
        ApiFailure::Refused { status: 400, code: ErrorCode::InvalidJson, message: "bad json".into(), details: ErrorDetails::default() };
    assert_eq!(Lang::Zh.failure(&failure), "bad json");
    // The first visit words only what its pages meet; a lazy page's refusals add the rest.
    assert_eq!(Lang::Zh.refusal(ErrorCode::SoldOut), None);
    assert_eq!(Lang::En.refusal(ErrorCode::Unauthorized), Some("Your session ended; please log in again"));
    assert_eq!(
        Lang::En.page_refusal(ErrorCode::Unauthorized, &ErrorDetails::default()).unwrap(),
        "Your session ended; please log in again"
    );
    // A code this build does not know is a refusal like any other: the server's message.
    let unknown: mall_core::ApiErrorBody =
        serde_json::from_str(r#"{"error":{"code":"from_a_newer_server","message":"Try later"}}"#).unwrap();
    let e = unknown.error;
    let failure = ApiFailure::Refused { status: 409, code: e.code, message: e.message, details: e.details };
    assert_eq!(Lang::Zh.page_failure(&failure), "Try later");
}

/// Types `text` into `input` as a user would (value, then an `input` event).
fn type_into(input: &web_sys::HtmlInputElement, text: &str) {
    input.set_value(text);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

/// A signed-in merchant account.
fn merchant_account() -> mall_core::staff::StaffMe {
    use mall_core::staff::{MerchantRef, StaffMe, StaffRole};
    StaffMe {
        id: 2,
        username: "luckin".into(),
        display_name: "Luckin cashier".into(),
        role: StaffRole::Merchant,
        merchant: Some(MerchantRef { id: 1, name: I18nText { zh: "瑞幸咖啡".into(), en: "Luckin Coffee".into() } }),
    }
}

#[wasm_bindgen_test]
async fn merchant_page_checks_codes_without_nagging() {
    use mall_app::pages::merchant::Merchant;
    let root = mount(Lang::Zh, || view! { <Merchant me=merchant_account() /> });
    assert!(root.text_content().unwrap().contains("瑞幸咖啡"), "the merchant's name is shown");
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
    for staff in ["/staff", "/ops?s=audit", "/merchant"] {
        assert_eq!(LazyRoute::of_path(staff), Some(LazyRoute::Staff), "{staff}");
    }
}

#[wasm_bindgen_test]
async fn a_lazy_page_renders_its_page_and_adds_its_styles_once() {
    use leptos_router::components::Router;
    use mall_app::lazy::{LazyPage, LazyRoute};
    // Not on a staff path (the test runner's page): the staff chunk shows its sign-in form.
    let root = mount(Lang::Zh, || view! { <Router><LazyPage route=LazyRoute::Staff /></Router> });
    for _ in 0..5 {
        leptos::task::tick().await;
    }
    assert!(root.query_selector("[data-testid=staff-form]").unwrap().is_some(), "the sign-in page is shown");
    assert!(root.query_selector("[data-testid=page-skeleton]").unwrap().is_none());
    let count = |id: &str| {
        let all = document().get_elements_by_tag_name("style");
        (0..all.length()).filter(|i| all.item(*i).is_some_and(|s| s.id() == id)).count()
    };
    let styles = || count("style-staff.css");
    assert_eq!(styles(), 1);
    // A second page of the same chunk adds no second copy.
    let _again = mount(Lang::Zh, || view! { <Router><LazyPage route=LazyRoute::Staff /></Router> });
    for _ in 0..5 {
        leptos::task::tick().await;
    }
    assert_eq!(styles(), 1);
    assert_eq!(count("style-shared.css"), 1);
}

#[wasm_bindgen_test]
async fn staff_sign_in_checks_the_form_before_sending_it() {
    use leptos_router::components::Router;
    use mall_app::pages::staff::StaffSignIn;
    let root = mount(Lang::Zh, || view! { <Router><StaffSignIn /></Router> });
    leptos::task::tick().await;
    let input = |id: &str| -> web_sys::HtmlInputElement {
        root.query_selector(&format!("[data-testid={id}]")).unwrap().unwrap().dyn_into().unwrap()
    };
    let submit = || {
        let button: web_sys::HtmlElement = root.query_selector("[data-testid=staff-submit]").unwrap().unwrap().dyn_into().unwrap();
        button.click();
    };
    let error = || root.query_selector("[data-testid=staff-error]").unwrap().map(|e| e.text_content().unwrap());
    assert_eq!(error(), None, "quiet before the first try");
    // Labels name both fields.
    let text = root.text_content().unwrap();
    assert!(text.contains("用户名") && text.contains("密码"), "{text}");
    assert_eq!(input("staff-password").type_(), "password");
    submit();
    leptos::task::tick().await;
    assert!(error().unwrap().contains("3–32"), "{:?}", error());
    type_into(&input("staff-username"), "with space");
    submit();
    leptos::task::tick().await;
    assert!(error().unwrap().contains("3–32"), "{:?}", error());
    // Upper case is fine (usernames are case-insensitive); a password is still missing.
    type_into(&input("staff-username"), "Ops");
    submit();
    leptos::task::tick().await;
    assert_eq!(error().as_deref(), Some("请输入密码"));
}

#[wasm_bindgen_test]
fn staff_refusals_read_in_both_languages() {
    use mall_app::pages::staff::{check_sign_in, sign_in_error};
    use mall_core::{ErrorCode, ErrorDetails};
    let refused = |status: u16, code: ErrorCode, details: ErrorDetails| ApiFailure::Refused { status, code, message: "x".into(), details };
    let wrong = refused(401, ErrorCode::StaffLoginFailed, ErrorDetails::default());
    assert_eq!(sign_in_error(Lang::Zh, &wrong, None), "用户名或密码不正确");
    assert_eq!(sign_in_error(Lang::En, &wrong, None), "Wrong username or password");
    let limited = refused(429, ErrorCode::RateLimited, ErrorDetails::default());
    assert_eq!(sign_in_error(Lang::Zh, &limited, Some(30)), "尝试次数过多，请 30 秒后再试");
    assert_eq!(sign_in_error(Lang::En, &limited, Some(30)), "Too many tries; wait 30 s");
    // Without Retry-After: the plain words.
    assert_eq!(sign_in_error(Lang::En, &limited, None), "Too many tries; wait a moment");
    let other = refused(403, ErrorCode::CodeOfOtherMerchant, ErrorDetails::default());
    assert_eq!(Lang::Zh.staff_failure(&other), "这是其他商户的兑换码");
    assert_eq!(Lang::En.staff_failure(&other), "This code belongs to another merchant");
    let frozen = refused(403, ErrorCode::MemberFrozen, ErrorDetails { reason: Some("风控核查".into()), ..Default::default() });
    assert_eq!(Lang::Zh.page_failure(&frozen), "账户已冻结：风控核查");
    assert_eq!(Lang::En.page_failure(&frozen), "Your account is frozen: 风控核查");
    let login = check_sign_in(Lang::En, "  Ops.Lead ", "secret").unwrap();
    assert_eq!(login.username, "ops.lead");
}

#[wasm_bindgen_test]
async fn address_form_says_what_is_wrong_before_sending_it() {
    use mall_app::pages::addresses::{check_address, AddressForm};
    use mall_core::dto::ShipTo;
    let ok =
        ShipTo {
            name: "林晓雨".into(), phone: "138 0013 8000".into(), region: "上海市 静安区".into(), detail: "南京西路 1266 号".into()
        };
    assert_eq!(check_address(Lang::Zh, &ok), Ok(()));
    assert_eq!(check_address(Lang::En, &ShipTo { phone: "call me".into(), ..ok.clone() }), Err("Enter a valid phone number (5–20 digits)"));
    assert_eq!(
        check_address(Lang::Zh, &ShipTo { detail: "x".repeat(121), ..ok.clone() }),
        Err("请填写所在地区（≤ 60 字）和详细地址（≤ 120 字）")
    );

    let saved = RwSignal::new(0);
    let root = mount(Lang::Zh, move || view! { <AddressForm address=None saved=Callback::new(move |_| saved.update(|n| *n += 1)) /> });
    leptos::task::tick().await;
    let input = |id: &str| -> web_sys::HtmlInputElement {
        root.query_selector(&format!("[data-testid={id}]")).unwrap().unwrap().dyn_into().unwrap()
    };
    let submit = || {
        let button: web_sys::HtmlElement = root.query_selector("[data-testid=addr-save]").unwrap().unwrap().dyn_into().unwrap();
        button.click();
    };
    let error = || root.query_selector("[data-testid=addr-error]").unwrap().map(|e| e.text_content().unwrap());
    assert_eq!(error(), None, "quiet before the first try");
    assert_eq!(input("addr-phone").type_(), "tel");
    submit();
    leptos::task::tick().await;
    assert_eq!(error().as_deref(), Some("请填写收货人（1–30 字）"));
    type_into(&input("addr-name"), "林晓雨");
    type_into(&input("addr-phone"), "12");
    submit();
    leptos::task::tick().await;
    assert_eq!(error().as_deref(), Some("请填写正确的手机号（5–20 位数字）"));
    type_into(&input("addr-phone"), "138 0013 8000");
    submit();
    leptos::task::tick().await;
    assert_eq!(error().as_deref(), Some("请填写所在地区（≤ 60 字）和详细地址（≤ 120 字）"));
    assert_eq!(saved.get_untracked(), 0, "nothing was sent");
}

/// Lets spawned tasks run to their end (they resolve on the microtask queue).
async fn settle() {
    for _ in 0..5 {
        wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL)).await.unwrap();
    }
}

#[wasm_bindgen_test]
fn the_key_rule_as_a_function() {
    use mall_app::intent::{after_attempt, key_for, outcome_unknown, Unsettled};
    let fresh = || Ok::<_, ApiFailure>("new".to_string());
    let unsettled = Unsettled { input: 100, key: "k1".to_string() };
    assert_eq!(key_for(Some(&unsettled), &100, fresh).unwrap(), "k1", "the same body again: the same key");
    assert_eq!(key_for(Some(&unsettled), &200, fresh).unwrap(), "new", "another body: a new key");
    assert_eq!(key_for(None::<&Unsettled<i64>>, &100, fresh).unwrap(), "new");
    assert_eq!(
        key_for(None::<&Unsettled<i64>>, &100, || Err(ApiFailure::Server(0))),
        Err(ApiFailure::Server(0)),
        "no random source: a failure"
    );
    for (failure, unknown) in [
        (ApiFailure::Offline, true),
        (ApiFailure::Server(502), true),
        (ApiFailure::Server(0), true),
        (ApiFailure::Server(404), false),
        (refused(500), true),
        (refused(409), false),
        (ApiFailure::Aborted, false),
    ] {
        assert_eq!(outcome_unknown(&failure), unknown, "{failure:?}");
        assert_eq!(after_attempt(1, "k".into(), Some(&failure)).is_some(), unknown, "{failure:?}");
    }
    assert_eq!(after_attempt(1, "k".into(), None), None, "an answer settles it");
}

fn refused(status: u16) -> ApiFailure {
    ApiFailure::Refused { status, code: mall_core::ErrorCode::Internal, message: String::new(), details: Default::default() }
}

#[wasm_bindgen_test]
async fn an_intent_keeps_its_key_only_while_the_outcome_is_unknown() {
    use std::{cell::RefCell, collections::VecDeque, rc::Rc};

    use mall_app::intent::Intent;
    // What the fake server answers, in order; and the (body, key) pairs it was sent.
    let answers: Rc<RefCell<VecDeque<Result<i64, ApiFailure>>>> = Rc::default();
    let sent: Rc<RefCell<Vec<(i64, String)>>> = Rc::default();
    let owner = Owner::new();
    let intent = owner.with(|| {
        provide_context(Lang::En);
        let (answers, sent) = (answers.clone(), sent.clone());
        Intent::new(move |body: i64, key: String| {
            sent.borrow_mut().push((body, key));
            let answer = answers.borrow_mut().pop_front().unwrap();
            async move { answer }
        })
    });
    let done: Rc<RefCell<Vec<i64>>> = Rc::default();
    let attempt = |body: i64, answer: Result<i64, ApiFailure>| {
        answers.borrow_mut().push_back(answer);
        let done = done.clone();
        intent.dispatch(body, move |v| done.borrow_mut().push(v));
    };
    attempt(100, Err(ApiFailure::Offline));
    settle().await;
    assert_eq!(intent.error().as_deref(), Some(Lang::En.failure(&ApiFailure::Offline).as_str()), "the failure in the user's words");
    attempt(100, Err(ApiFailure::Server(503)));
    settle().await;
    attempt(100, Ok(1));
    settle().await;
    attempt(100, Err(refused(409)));
    settle().await;
    attempt(100, Ok(2));
    settle().await;
    attempt(100, Err(ApiFailure::Offline));
    settle().await;
    attempt(200, Ok(3));
    settle().await;
    let keys: Vec<String> = sent.borrow().iter().map(|(_, k)| k.clone()).collect();
    assert_eq!(keys.len(), 7);
    assert!(keys.iter().all(|k| k.len() == 32 && k != &"0".repeat(32)), "random keys: {keys:?}");
    assert_eq!(keys[0], keys[1], "retried after Offline: the same key");
    assert_eq!(keys[1], keys[2], "retried after a 5xx: the same key");
    assert_ne!(keys[2], keys[3], "after an answer: a new key");
    assert_ne!(keys[3], keys[4], "after a refusal: a new key");
    assert_ne!(keys[5], keys[6], "another body after Offline: a new key");
    assert_eq!(*done.borrow(), [1, 2, 3]);
    assert_eq!(intent.error(), None, "a success clears the failure");
    assert!(!intent.pending());
    drop(owner);
}

#[wasm_bindgen_test]
fn lottery_odds_are_typed_in_percent_and_sent_in_basis_points() {
    use mall_app::pages::ops_lotteries::{percent, percent_to_bp};
    assert_eq!(percent_to_bp("12.5"), Some(1_250));
    assert_eq!(percent_to_bp(" 60 "), Some(6_000));
    assert_eq!(percent_to_bp("0.01"), Some(1));
    assert_eq!(percent_to_bp(".5"), Some(50));
    assert_eq!(percent_to_bp("40%"), Some(4_000));
    assert_eq!(percent_to_bp("100.00"), Some(10_000));
    for unreadable in ["1.234", "-5", "", ".", "1e3", "12,5"] {
        assert_eq!(percent_to_bp(unreadable), None, "{unreadable}");
    }
    assert_eq!(percent(1_250), "12.5%");
    assert_eq!(percent(10_000), "100%");
    assert_eq!(percent(1), "0.01%");
    assert_eq!(percent(3_333), "33.33%");
    assert_eq!(percent(0), "0%");
}
