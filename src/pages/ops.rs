//! The operator's back office (`/ops`): members (search, detail, freeze, point
//! adjustments), items (create, edit, retire, stock), the order queue (ship, deliver,
//! cancel, CSV), flash sales (list, edit, cancel, schedule), merchants' free offers
//! (approve into a flash sale, decline), categories, partner merchants (terms, state and
//! their accounts), codes (look up, verify the shop's own, void), lotteries and causes
//! (open, watch, close), campaigns (schedule, watch the budget, end), statistics (charts, tables, CSV), the rules (versions), the notices sent to the host (deliveries, send again), the audit log and the staff
//! accounts (create, disable, role and merchant, a new password). Side
//! navigation and two columns on a desk's screen, one column on a phone. The section is
//! in the address (`?s=`), so it survives a reload.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use mall_core::staff::Merchant;

use crate::{
    api::{ApiFailure, ApiResult},
    i18n::{use_lang, Lang},
    intent::Intent,
    pages::{
        ops_audit::AuditLog,
        ops_campaigns::CampaignsSection,
        ops_categories::Categories,
        ops_causes::CausesSection,
        ops_codes::CodesSection,
        ops_deliveries::DeliveriesSection,
        ops_items::Items,
        ops_lotteries::LotteriesSection,
        ops_members::Members,
        ops_merchants::MerchantsSection,
        ops_offers::OffersQueue,
        ops_orders::OrderQueue,
        ops_rules::RulesSection,
        ops_sales::{SaleList, ScheduleSales},
        ops_staff::StaffSection,
        ops_stats::StatsSection,
    },
    title::set_page_title,
};

/// The back office's sections, in the navigation's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Members,
    Items,
    Categories,
    Orders,
    Codes,
    Sales,
    Offers,
    Merchants,
    Lotteries,
    Causes,
    Campaigns,
    Stats,
    Rules,
    Deliveries,
    Audit,
    Staff,
}

impl Section {
    const ALL: [Section; 16] = [
        Section::Members,
        Section::Items,
        Section::Categories,
        Section::Orders,
        Section::Codes,
        Section::Sales,
        Section::Offers,
        Section::Merchants,
        Section::Lotteries,
        Section::Causes,
        Section::Campaigns,
        Section::Stats,
        Section::Rules,
        Section::Deliveries,
        Section::Audit,
        Section::Staff,
    ];

    fn key(self) -> &'static str {
        match self {
            Section::Members => "members",
            Section::Items => "items",
            Section::Categories => "categories",
            Section::Codes => "codes",
            Section::Merchants => "merchants",
            Section::Sales => "sales",
            Section::Offers => "offers",
            Section::Lotteries => "lotteries",
            Section::Causes => "causes",
            Section::Campaigns => "campaigns",
            Section::Orders => "orders",
            Section::Stats => "stats",
            Section::Rules => "rules",
            Section::Deliveries => "deliveries",
            Section::Audit => "audit",
            Section::Staff => "staff",
        }
    }

    fn of(key: &str) -> Section {
        Section::ALL.into_iter().find(|s| s.key() == key).unwrap_or(Section::Members)
    }
}

/// The operator page; `me_id` is the signed-in operator's own account.
#[component]
pub fn Ops(me_id: i64) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    set_page_title(|l| l.p().ops_title.to_string());
    let query = use_query_map();
    let section = Memo::new(move |_| Section::of(&query.with(|q| q.get("s").unwrap_or_default())));
    let label = move |s: Section| match s {
        Section::Members => p.ops_members,
        Section::Items => p.ops_items,
        Section::Categories => p.ops_categories,
        Section::Codes => p.ops_codes,
        Section::Merchants => p.ops_merchants,
        Section::Sales => p.ops_sales_list,
        Section::Offers => p.ops_offers,
        Section::Lotteries => p.ops_lotteries,
        Section::Causes => p.ops_causes,
        Section::Campaigns => p.ops_campaigns,
        Section::Orders => p.ops_orders,
        Section::Stats => p.ops_stats,
        Section::Rules => p.ops_rules,
        Section::Deliveries => p.ops_deliveries,
        Section::Audit => p.ops_audit,
        Section::Staff => p.ops_staff,
    };
    view! {
        <div class="ops">
            <h1 class="page-title">{p.ops_title}</h1>
            <div class="ops-layout">
                <nav class="ops-nav" aria-label=p.staff_nav>
                    {Section::ALL.into_iter().map(|s| view! {
                        <a href=format!("/ops?s={}", s.key()) class="ops-nav-link" data-testid=format!("ops-nav-{}", s.key())
                            aria-current=move || (section.get() == s).then_some("page")>
                            {label(s)}
                        </a>
                    }).collect_view()}
                </nav>
                <div class="ops-main">
                    {move || match section.get() {
                        Section::Members => view! { <Members /> }.into_any(),
                        Section::Sales => view! {
                            <div class="ops-columns">
                                <SaleList />
                                <ScheduleSales />
                            </div>
                        }.into_any(),
                        Section::Items => view! { <Items /> }.into_any(),
                        Section::Categories => view! { <Categories /> }.into_any(),
                        Section::Codes => view! { <CodesSection /> }.into_any(),
                        Section::Merchants => view! { <MerchantsSection /> }.into_any(),
                        Section::Offers => view! { <OffersQueue /> }.into_any(),
                        Section::Lotteries => view! { <LotteriesSection /> }.into_any(),
                        Section::Causes => view! { <CausesSection /> }.into_any(),
                        Section::Campaigns => view! { <CampaignsSection /> }.into_any(),
                        Section::Orders => view! { <OrderQueue /> }.into_any(),
                        Section::Stats => view! { <StatsSection /> }.into_any(),
                        Section::Rules => view! { <RulesSection /> }.into_any(),
                        Section::Deliveries => view! { <DeliveriesSection /> }.into_any(),
                        Section::Audit => view! { <AuditLog /> }.into_any(),
                        Section::Staff => view! { <StaffSection me_id /> }.into_any(),
                    }}
                </div>
            </div>
        </div>
    }
}

/// The partner merchants, for the merchant pickers.
pub type Merchants = LocalResource<ApiResult<Vec<Merchant>>>;

/// A partner-merchant picker (a sale's merchant, a merchant account's).
#[component]
pub fn MerchantSelect(merchants: Merchants, merchant: RwSignal<Option<i64>>, testid: &'static str) -> impl IntoView {
    let lang = use_lang();
    let p = lang.p();
    view! {
        <label class="field"><span>{p.ops_merchant}</span>
            <select data-testid=testid on:change=move |ev| merchant.set(event_target_value(&ev).parse().ok())>
                <option value="" selected=move || merchant.get().is_none()>{p.ops_pick_merchant}</option>
                {move || merchants.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|m| {
                    let id = m.id;
                    view! { <option value=id.to_string() selected=move || merchant.get() == Some(id)>{lang.pick(&m.name)}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// What a form says: `Ok` when it worked, `Err` when it did not.
pub type Said = RwSignal<Option<Result<String, String>>>;

/// A form's answer: what the form `said` itself (a success, or a refusal before anything
/// was sent), else the failure of its `intent` in `words`. The form clears `said` when it
/// sends, so the intent's failure shows.
pub fn answer<I: Clone + PartialEq + 'static, O: 'static>(
    said: Said,
    intent: Intent<I, O>,
    words: impl Fn(&ApiFailure) -> String + Send + Sync + 'static,
) -> Signal<Option<Result<String, String>>> {
    Signal::derive(move || said.get().or_else(|| intent.failure().map(|f| Err(words(&f)))))
}

/// A refusal in the operator's words, chosen by HTTP status from `words` (the refusals
/// the app does not decode arrive with `ErrorCode::Unknown` and their status); any other failure
/// as `lang.staff_failure` says it.
pub fn by_status(lang: Lang, failure: &ApiFailure, words: &[(u16, &'static str)]) -> String {
    let status = match failure {
        ApiFailure::Refused { status, .. } | ApiFailure::Server(status) => *status,
        _ => 0,
    };
    match words.iter().find(|(s, _)| *s == status) {
        Some((_, text)) => text.to_string(),
        None => lang.staff_failure(failure),
    }
}

/// A form's answer: green when it worked, red when it did not.
#[component]
pub fn OpsResult(#[prop(into)] result: Signal<Option<Result<String, String>>>, #[prop(into)] testid: String) -> impl IntoView {
    move || {
        let testid = testid.clone();
        result.get().map(|r| {
            let ok = r.is_ok();
            view! {
                <p class="ops-result" class:ok=ok class:fail=!ok role=if ok { "status" } else { "alert" } data-testid=testid>
                    {r.unwrap_or_else(|e| e)}
                </p>
            }
        })
    }
}
