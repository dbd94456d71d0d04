//! The app's one HTTP client. Every read (`GET`) is aborted when the component that made
//! it is cleaned up; a write runs to its answer (aborting it would lose the answer, not
//! the write). Every failure is typed: offline, a server refusal with its error code, or
//! an unreadable answer.

use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::on_cleanup;
use mall_core::{
    campaign::{AdminCampaign, Campaign, NewCampaign},
    catalog_admin::{
        AdminCategories, AdminCategory, AdminItem, AdminItems, CategoryPatch, ItemPatch, NewCategory, NewItem, StockChange, UploadedImage,
    },
    checkout::PendingList,
    donation::{AdminCauses, Cause, DonateRequest, Donated, NewCause},
    dto::OrderStatus,
    dto::{
        Category, DemoLoginRequest, DemoMember, HistoryFilter, HistoryPage, ItemDetail, ItemPage, ItemQuery, Me, Order, OrderPage,
        RedeemRequest, TicketExchangeRequest,
    },
    earning::{AcceptInvite, Adjustment, Award, CheckinMonth, CheckinResult, InviteInfo, Lot, MakeupRequest, MakeupResult, TaskList},
    engagement::{Leaderboard, Picks},
    fulfilment::{Address, AddressInput, AdminOrder, AdminOrderPage, CancelRequest, ShipRequest},
    lottery::{AdminLotteries, DrawResult, Lottery, NewLottery},
    profile::{Profile, ProfilePatch},
    sales::{AdminCode, CodeStatus, DailySlots, Grab, Remind, SaleDay, Scheduled, Verified, VerifyRequest, VoidCode, WalletCode},
    staff::{
        AdminSale, AdminSales, AuditPage, DemoStaff, FreezeRequest, MemberDetail, MemberRow, MemberSearch, Merchant, MerchantCodes,
        MerchantOffer, MerchantOffers, MerchantPatch, NewMerchant, NewOffer, NewStaffAccount, OfferApproval, OfferStatus, PasswordChange,
        SaleEdit, Settlement, StaffAccountInfo, StaffAccounts, StaffChange, StaffLogin, StaffMe,
    },
    ApiErrorBody, ErrorCode, ErrorDetails, Rules,
};
use send_wrapper::SendWrapper;
use serde::{de::DeserializeOwned, Serialize};

/// Why a request did not give what was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiFailure {
    /// The network is down or the server unreachable.
    Offline,
    /// The server answered with an error body.
    Refused {
        /// HTTP status.
        status: u16,
        /// The error code.
        code: ErrorCode,
        /// The server's message.
        message: String,
        /// Facts to phrase in the member's language (when, by whom).
        details: ErrorDetails,
    },
    /// The server answered something the app cannot read (e.g. a proxy's error page).
    Server(u16),
    /// The request was aborted (the page moved on); never shown.
    Aborted,
}

impl ApiFailure {
    /// The error code, if the server gave one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiFailure::Refused { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// The result of a request.
pub type ApiResult<T> = Result<T, ApiFailure>;

/// Ties the request to the current reactive owner: aborted on cleanup.
fn abortable(builder: RequestBuilder) -> RequestBuilder {
    let Ok(controller) = web_sys::AbortController::new() else { return builder };
    let signal = controller.signal();
    let controller = SendWrapper::new(controller);
    on_cleanup(move || controller.abort());
    builder.abort_signal(Some(&signal))
}

async fn read<T: DeserializeOwned>(res: Result<Response, gloo_net::Error>) -> ApiResult<T> {
    let (status, value) = answer(res).await?;
    serde_wasm_bindgen::from_value(value).map_err(|_| ApiFailure::Server(status))
}

/// An answer's status and JSON body, parsed by the browser's `JSON.parse` (a JSON parser
/// in the wasm, serde_json, would cost the first visit ~10 kB), or the failure it is. Not
/// generic: each answer type adds only its decoding (`read`) to the wasm.
async fn answer(res: Result<Response, gloo_net::Error>) -> Result<(u16, wasm_bindgen::JsValue), ApiFailure> {
    let res = match res {
        Ok(r) => r,
        Err(gloo_net::Error::JsError(e)) if e.name == "AbortError" => return Err(ApiFailure::Aborted),
        Err(_) => return Err(ApiFailure::Offline),
    };
    let status = res.status();
    let value = res.text().await.ok().and_then(|text| js_sys::JSON::parse(&text).ok());
    if res.ok() {
        return value.map(|v| (status, v)).ok_or(ApiFailure::Server(status));
    }
    match value.and_then(|v| serde_wasm_bindgen::from_value::<ApiErrorBody>(v).ok()) {
        Some(ApiErrorBody { error }) => {
            Err(ApiFailure::Refused { status, code: error.code, message: error.message, details: error.details })
        }
        None => Err(ApiFailure::Server(status)),
    }
}

/// A request with a JSON body, written by `serde-wasm-bindgen` and `JSON.stringify`.
fn with_json<B: Serialize>(builder: RequestBuilder, body: &B) -> ApiResult<Request> {
    let value = body.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|_| ApiFailure::Server(0))?;
    let text = js_sys::JSON::stringify(&value).ok().and_then(|s| s.as_string()).ok_or(ApiFailure::Server(0))?;
    builder.header("Content-Type", "application/json").body(text).map_err(|_| ApiFailure::Server(0))
}

async fn get<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    get_query(url, Vec::new()).await
}

async fn post<B: Serialize, T: DeserializeOwned>(url: &str, body: &B, key: Option<&str>) -> ApiResult<T> {
    let mut builder = Request::post(url);
    if let Some(key) = key {
        builder = builder.header("Idempotency-Key", key);
    }
    read(with_json(builder, body)?.send().await).await
}

/// `GET path?name=value&…`, the values encoded by the browser's `URLSearchParams`. The
/// path must not carry a query of its own (gloo-net would then add a stray `&`, and the
/// URL would no longer match what the server's `Link` header on `/` preloads).
async fn get_query<T: DeserializeOwned>(path: &str, params: Vec<(&str, String)>) -> ApiResult<T> {
    read(abortable(Request::get(path).query(params)).send().await).await
}

/// Percent-encodes a query value.
pub fn percent_encode(value: &str) -> String {
    // Like encodeURIComponent: every byte outside the unreserved set is escaped.
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `GET /api/me`.
pub async fn me() -> ApiResult<Me> {
    get("/api/me").await
}

/// `GET /api/demo/members`.
pub async fn demo_members() -> ApiResult<Vec<DemoMember>> {
    get("/api/demo/members").await
}

/// `POST /api/session/demo`.
pub async fn demo_login(member_id: i64) -> ApiResult<Me> {
    post("/api/session/demo", &DemoLoginRequest { member_id }, None).await
}

/// `POST /api/session/exchange`.
pub async fn exchange(ticket: &TicketExchangeRequest) -> ApiResult<Me> {
    post("/api/session/exchange", ticket, None).await
}

/// `POST /api/logout`.
pub async fn logout() -> ApiResult<()> {
    match Request::post("/api/logout").send().await {
        Ok(r) if r.ok() => Ok(()),
        Ok(r) => Err(ApiFailure::Server(r.status())),
        Err(_) => Err(ApiFailure::Offline),
    }
}

/// `GET /api/categories`.
pub async fn categories() -> ApiResult<Vec<Category>> {
    get("/api/categories").await
}

/// `GET /api/items` with filters and a cursor.
pub async fn items(query: &ItemQuery) -> ApiResult<ItemPage> {
    get_query("/api/items", query.pairs()).await
}

/// `GET /api/items/{id}`.
pub async fn item(id: i64) -> ApiResult<ItemDetail> {
    get(&format!("/api/items/{id}")).await
}

/// `POST /api/orders` with an idempotency key (reuse it when retrying the same tap).
pub async fn redeem(req: &RedeemRequest, key: &str) -> ApiResult<Order> {
    post("/api/orders", req, Some(key)).await
}

/// `GET /api/orders`.
pub async fn orders(cursor: Option<String>) -> ApiResult<OrderPage> {
    get_query("/api/orders", cursor.map(|c| ("cursor", c)).into_iter().collect()).await
}

/// `GET /api/history`.
pub async fn history(filter: Option<HistoryFilter>, cursor: Option<String>) -> ApiResult<HistoryPage> {
    let mut q = Vec::new();
    if let Some(f) = filter {
        let name = match f {
            HistoryFilter::Earned => "earned",
            HistoryFilter::Spent => "spent",
            HistoryFilter::Expired => "expired",
        };
        q.push(("kind", name.to_string()));
    }
    if let Some(c) = cursor {
        q.push(("cursor", c));
    }
    get_query("/api/history", q).await
}

/// `GET /api/rules`.
pub async fn rules() -> ApiResult<Rules> {
    get("/api/rules").await
}

/// `GET /api/checkins?month=`.
pub async fn checkins(month: Option<&str>) -> ApiResult<CheckinMonth> {
    get_query("/api/checkins", month.map(|m| ("month", m.to_string())).into_iter().collect()).await
}

/// `POST /api/checkins`.
pub async fn check_in() -> ApiResult<CheckinResult> {
    post("/api/checkins", &(), None).await
}

/// `POST /api/checkins/makeup`.
pub async fn makeup(date: &str, key: &str) -> ApiResult<MakeupResult> {
    post("/api/checkins/makeup", &MakeupRequest { date: date.to_string() }, Some(key)).await
}

/// `GET /api/tasks`.
pub async fn tasks() -> ApiResult<TaskList> {
    get("/api/tasks").await
}

/// `POST /api/tasks/{task}/claim`.
pub async fn claim_task(task: &str, key: &str) -> ApiResult<Award> {
    post(&format!("/api/tasks/{}/claim", percent_encode(task)), &(), Some(key)).await
}

/// `GET /api/lots`.
pub async fn lots() -> ApiResult<Vec<Lot>> {
    get("/api/lots").await
}

/// `GET /api/me/profile`.
pub async fn profile() -> ApiResult<Profile> {
    get("/api/me/profile").await
}

/// `PUT /api/me/profile`.
pub async fn save_profile(patch: &ProfilePatch) -> ApiResult<Profile> {
    read(with_json(Request::put("/api/me/profile"), patch)?.send().await).await
}

/// `POST /api/me/birthday-gift`.
pub async fn take_birthday_gift(key: &str) -> ApiResult<Award> {
    post("/api/me/birthday-gift", &(), Some(key)).await
}

/// `GET /api/lotteries/current`.
pub async fn lottery() -> ApiResult<Lottery> {
    get("/api/lotteries/current").await
}

/// `POST /api/lotteries/{id}/draws`.
pub async fn draw(id: i64, key: &str) -> ApiResult<DrawResult> {
    post(&format!("/api/lotteries/{id}/draws"), &(), Some(key)).await
}

/// `GET /api/causes`.
pub async fn causes() -> ApiResult<Vec<Cause>> {
    get("/api/causes").await
}

/// `POST /api/causes/{id}/donations`.
pub async fn donate(id: i64, body: &DonateRequest, key: &str) -> ApiResult<Donated> {
    post(&format!("/api/causes/{id}/donations"), body, Some(key)).await
}

/// `GET /api/pending`.
pub async fn pending() -> ApiResult<PendingList> {
    get("/api/pending").await
}

/// `GET /api/orders/{id}` (the member's own order; 404 otherwise).
pub async fn order(id: i64) -> ApiResult<Order> {
    get(&format!("/api/orders/{id}")).await
}

/// `POST /api/orders/{id}/payment`: the payment request signed for the host, and where to
/// send the member. Asking again answers the same request, so it takes no key.
pub async fn payment(id: i64) -> ApiResult<mall_core::payment::PaymentStart> {
    post(&format!("/api/orders/{id}/payment"), &(), None).await
}

/// `POST /api/orders/{id}/cancel`.
pub async fn cancel_order(id: i64, key: &str) -> ApiResult<Order> {
    post(&format!("/api/orders/{id}/cancel"), &(), Some(key)).await
}

/// `GET /api/invite`.
pub async fn invite() -> ApiResult<InviteInfo> {
    get("/api/invite").await
}

/// `POST /api/invites/accept`.
pub async fn accept_invite(code: &str) -> ApiResult<InviteInfo> {
    post("/api/invites/accept", &AcceptInvite { code: code.to_string() }, None).await
}

/// `GET /api/time`.
pub async fn server_time() -> ApiResult<mall_core::dto::ServerTime> {
    get("/api/time").await
}

/// `GET /api/sales`.
pub async fn sales() -> ApiResult<SaleDay> {
    get("/api/sales").await
}

/// `POST /api/sales/{id}/grab`.
pub async fn grab(sale: i64, key: &str) -> ApiResult<Grab> {
    post(&format!("/api/sales/{sale}/grab"), &(), Some(key)).await
}

/// `POST /api/sales/{id}/remind`: saved, and whether the host will tell the member.
pub async fn remind(sale: i64, on: bool) -> ApiResult<mall_core::sales::Reminder> {
    post(&format!("/api/sales/{sale}/remind"), &Remind { on }, None).await
}

/// `GET /api/codes`.
pub async fn codes() -> ApiResult<Vec<WalletCode>> {
    get("/api/codes").await
}

/// `POST /api/merchant/verify`, as the signed-in merchant.
pub async fn verify_code(code: &str) -> ApiResult<Verified> {
    post("/api/merchant/verify", &VerifyRequest { code: code.to_string() }, None).await
}

/// An answer without a body (204) or a refusal.
async fn no_content(res: Result<Response, gloo_net::Error>) -> ApiResult<()> {
    match res {
        Ok(r) if r.ok() => Ok(()),
        other => read::<()>(other).await,
    }
}

/// `POST /api/staff/session`. A refusal comes with the seconds `Retry-After` asks for
/// (after too many tries).
pub async fn staff_login(login: &StaffLogin) -> Result<StaffMe, (ApiFailure, Option<u32>)> {
    let res = with_json(Request::post("/api/staff/session"), login).map_err(|f| (f, None))?.send().await;
    let wait = res.as_ref().ok().and_then(|r| r.headers().get("retry-after")).and_then(|v| v.trim().parse().ok());
    read(res).await.map_err(|f| (f, wait))
}

/// `POST /api/staff/logout`.
pub async fn staff_logout() -> ApiResult<()> {
    no_content(Request::post("/api/staff/logout").send().await).await
}

/// `GET /api/staff/me`.
pub async fn staff_me() -> ApiResult<StaffMe> {
    get("/api/staff/me").await
}

/// `GET /api/demo/staff` (only with the demo login).
pub async fn demo_staff() -> ApiResult<Vec<DemoStaff>> {
    get("/api/demo/staff").await
}

/// `POST /api/staff/password`: the signed-in account's own new password. The answer
/// sets a fresh staff cookie; every other session of the account ends.
pub async fn change_own_password(change: &PasswordChange) -> ApiResult<StaffMe> {
    post("/api/staff/password", change, None).await
}

/// `GET /api/admin/staff`: every staff account.
pub async fn admin_staff() -> ApiResult<StaffAccounts> {
    get("/api/admin/staff").await
}

/// `POST /api/admin/staff`: a new account.
pub async fn admin_create_staff(account: &NewStaffAccount) -> ApiResult<StaffAccountInfo> {
    post("/api/admin/staff", account, None).await
}

/// `PATCH /api/admin/staff/{id}`: only the fields set change.
pub async fn admin_change_staff(id: i64, change: &StaffChange) -> ApiResult<StaffAccountInfo> {
    read(with_json(Request::patch(&format!("/api/admin/staff/{id}")), change)?.send().await).await
}

/// `GET /api/admin/members?q=`.
pub async fn admin_members(q: String) -> ApiResult<MemberSearch> {
    get_query("/api/admin/members", vec![("q", q)]).await
}

/// `GET /api/admin/members/{id}`.
pub async fn admin_member(id: i64) -> ApiResult<MemberDetail> {
    get(&format!("/api/admin/members/{id}")).await
}

/// `POST /api/admin/members/{id}/freeze`.
pub async fn admin_freeze(id: i64, reason: String) -> ApiResult<MemberRow> {
    post(&format!("/api/admin/members/{id}/freeze"), &FreezeRequest { reason }, None).await
}

/// `POST /api/admin/members/{id}/unfreeze`.
pub async fn admin_unfreeze(id: i64) -> ApiResult<MemberRow> {
    post(&format!("/api/admin/members/{id}/unfreeze"), &(), None).await
}

/// `POST /api/admin/adjustments` (reuse `key` when retrying the same submit).
pub async fn admin_adjust(adjustment: &Adjustment, key: &str) -> ApiResult<Award> {
    post("/api/admin/adjustments", adjustment, Some(key)).await
}

/// `GET /api/admin/items` (retired ones too).
pub async fn admin_items() -> ApiResult<AdminItems> {
    get("/api/admin/items").await
}

/// `POST /api/admin/items`.
pub async fn admin_create_item(item: &NewItem) -> ApiResult<AdminItem> {
    post("/api/admin/items", item, None).await
}

/// `PATCH /api/admin/items/{id}` with every field of the form (`cash` and `min_tier`
/// as `null` clear them).
pub async fn admin_patch_item(id: i64, patch: &ItemPatch) -> ApiResult<AdminItem> {
    read(with_json(Request::patch(&format!("/api/admin/items/{id}")), patch)?.send().await).await
}

/// Only `retired` (a whole `ItemPatch` would send `cash: null`, which clears it).
#[derive(Serialize)]
struct Retire {
    retired: bool,
}

/// `PATCH /api/admin/items/{id}` `{retired}`: retire or bring back.
pub async fn admin_retire_item(id: i64, retired: bool) -> ApiResult<AdminItem> {
    read(with_json(Request::patch(&format!("/api/admin/items/{id}")), &Retire { retired })?.send().await).await
}

/// `POST /api/admin/items/{id}/stock` (reuse `key` when retrying the same submit).
pub async fn admin_stock(id: i64, change: &StockChange, key: &str) -> ApiResult<AdminItem> {
    post(&format!("/api/admin/items/{id}/stock"), change, Some(key)).await
}

/// `POST /api/admin/images`: the file (a `File` of an `<input type=file>`) as the body,
/// with its own content type.
pub async fn admin_upload_image(file: &wasm_bindgen::JsValue, content_type: &str) -> ApiResult<UploadedImage> {
    let request = Request::post("/api/admin/images").header("Content-Type", content_type).body(file.clone());
    read(request.map_err(|_| ApiFailure::Server(0))?.send().await).await
}

/// The query of the operator's order queue (also the CSV export's).
pub fn admin_order_params(status: Option<OrderStatus>, q: &str) -> Vec<(&'static str, String)> {
    let mut params = Vec::new();
    if let Some(s) = status {
        params.push(("status", s.as_str().to_string()));
    }
    if !q.trim().is_empty() {
        params.push(("q", q.trim().to_string()));
    }
    params
}

/// `GET /api/admin/orders?status=&q=&cursor=`, newest first.
pub async fn admin_orders(status: Option<OrderStatus>, q: String, cursor: Option<String>) -> ApiResult<AdminOrderPage> {
    let mut params = admin_order_params(status, &q);
    if let Some(c) = cursor {
        params.push(("cursor", c));
    }
    get_query("/api/admin/orders", params).await
}

/// `POST /api/admin/orders/{id}/ship`.
pub async fn admin_ship(id: i64, ship: &ShipRequest) -> ApiResult<AdminOrder> {
    post(&format!("/api/admin/orders/{id}/ship"), ship, None).await
}

/// `POST /api/admin/orders/{id}/deliver`.
pub async fn admin_deliver(id: i64) -> ApiResult<AdminOrder> {
    post(&format!("/api/admin/orders/{id}/deliver"), &(), None).await
}

/// `POST /api/admin/orders/{id}/cancel` (stock and points go back).
pub async fn admin_cancel_order(id: i64, reason: String) -> ApiResult<AdminOrder> {
    post(&format!("/api/admin/orders/{id}/cancel"), &CancelRequest { reason }, None).await
}

/// `GET /api/admin/stats?from=&to=` (shop days, `YYYY-MM-DD`, at most 92 apart).
pub async fn admin_stats(from: String, to: String) -> ApiResult<mall_core::stats::Stats> {
    get_query("/api/admin/stats", vec![("from", from), ("to", to)]).await
}

/// `GET /api/addresses` (the default first).
pub async fn addresses() -> ApiResult<Vec<Address>> {
    get("/api/addresses").await
}

/// `POST /api/addresses`.
pub async fn add_address(input: &AddressInput) -> ApiResult<Address> {
    post("/api/addresses", input, None).await
}

/// `PUT /api/addresses/{id}`.
pub async fn update_address(id: i64, input: &AddressInput) -> ApiResult<Address> {
    read(with_json(Request::put(&format!("/api/addresses/{id}")), input)?.send().await).await
}

/// `DELETE /api/addresses/{id}`.
pub async fn delete_address(id: i64) -> ApiResult<()> {
    no_content(Request::delete(&format!("/api/addresses/{id}")).send().await).await
}

/// `POST /api/admin/sales/daily`: one offer in several slots of a day.
pub async fn admin_schedule_daily(schedule: &DailySlots) -> ApiResult<Scheduled> {
    post("/api/admin/sales/daily", schedule, None).await
}

/// `GET /api/leaderboard?period=week`: this week's most redeemed items.
pub async fn leaderboard() -> ApiResult<Leaderboard> {
    get("/api/leaderboard?period=week").await
}

/// `GET /api/picks`: up to six items for the member.
pub async fn picks() -> ApiResult<Picks> {
    get("/api/picks").await
}

/// `GET /api/merchant/codes?status=`: the signed-in merchant's codes.
pub async fn merchant_codes(status: Option<CodeStatus>) -> ApiResult<MerchantCodes> {
    get_query("/api/merchant/codes", status.map(|s| ("status", s.as_str().to_string())).into_iter().collect()).await
}

/// `GET /api/merchant/settlement?from=&to=` (shop days, `YYYY-MM-DD`).
pub async fn merchant_settlement(from: String, to: String) -> ApiResult<Settlement> {
    get_query("/api/merchant/settlement", vec![("from", from), ("to", to)]).await
}

/// `GET /api/merchant/offers`: the signed-in merchant's free offers.
pub async fn merchant_offers() -> ApiResult<MerchantOffers> {
    get("/api/merchant/offers").await
}

/// `POST /api/merchant/offers`: propose a free offer.
pub async fn propose_offer(offer: &NewOffer) -> ApiResult<MerchantOffer> {
    post("/api/merchant/offers", offer, None).await
}

/// `GET /api/admin/offers?status=`: merchants' offers for operators.
pub async fn admin_offers(status: Option<OfferStatus>) -> ApiResult<MerchantOffers> {
    get_query("/api/admin/offers", status.map(|s| ("status", s.as_str().to_string())).into_iter().collect()).await
}

/// `POST /api/admin/offers/{id}/approve`: into a flash sale at a price.
pub async fn approve_offer(id: i64, approval: &OfferApproval) -> ApiResult<MerchantOffer> {
    post(&format!("/api/admin/offers/{id}/approve"), approval, None).await
}

/// `POST /api/admin/offers/{id}/decline`.
pub async fn decline_offer(id: i64) -> ApiResult<MerchantOffer> {
    post(&format!("/api/admin/offers/{id}/decline"), &(), None).await
}

/// `GET /api/admin/merchants`.
pub async fn admin_merchants() -> ApiResult<Vec<Merchant>> {
    get("/api/admin/merchants").await
}

/// `POST /api/admin/merchants`.
pub async fn admin_create_merchant(merchant: &NewMerchant) -> ApiResult<Merchant> {
    post("/api/admin/merchants", merchant, None).await
}

/// `PATCH /api/admin/merchants/{id}`.
pub async fn admin_patch_merchant(id: i64, patch: &MerchantPatch) -> ApiResult<Merchant> {
    read(with_json(Request::patch(&format!("/api/admin/merchants/{id}")), patch)?.send().await).await
}

/// `GET /api/admin/categories` (hidden ones too).
pub async fn admin_categories() -> ApiResult<AdminCategories> {
    get("/api/admin/categories").await
}

/// `POST /api/admin/categories`.
pub async fn admin_create_category(category: &NewCategory) -> ApiResult<AdminCategory> {
    post("/api/admin/categories", category, None).await
}

/// `PATCH /api/admin/categories/{id}`.
pub async fn admin_patch_category(id: i64, patch: &CategoryPatch) -> ApiResult<AdminCategory> {
    read(with_json(Request::patch(&format!("/api/admin/categories/{id}")), patch)?.send().await).await
}

/// `GET /api/admin/deliveries?state=…`: a page of webhooks to the host, newest first.
pub async fn admin_deliveries(
    state: mall_core::webhook::DeliveryState,
    cursor: Option<String>,
) -> ApiResult<mall_core::webhook::AdminDeliveryPage> {
    let mut params = vec![("state", state.as_str().to_string())];
    if let Some(c) = cursor {
        params.push(("cursor", c));
    }
    get_query("/api/admin/deliveries", params).await
}

/// `POST /api/admin/deliveries/{id}/resend`: pending again, tried for a day from now.
pub async fn admin_resend_delivery(id: i64, key: &str) -> ApiResult<mall_core::webhook::AdminDelivery> {
    post(&format!("/api/admin/deliveries/{id}/resend"), &(), Some(key)).await
}

/// `GET /api/admin/rules`: the rules in force, scheduled and before.
pub async fn admin_rules() -> ApiResult<mall_core::rules::RulesOverview> {
    get("/api/admin/rules").await
}

/// `PUT /api/admin/rules`: a new version of the rules.
pub async fn admin_put_rules(change: &mall_core::rules::RulesChange, key: &str) -> ApiResult<mall_core::rules::RulesVersion> {
    let builder = Request::put("/api/admin/rules").header("Idempotency-Key", key);
    read(with_json(builder, change)?.send().await).await
}

/// `GET /api/admin/codes/{code}` (as typed: any case, dashes or not).
pub async fn admin_code(code: &str) -> ApiResult<AdminCode> {
    get(&format!("/api/admin/codes/{}", percent_encode(code))).await
}

/// `POST /api/admin/codes/{code}/void` (reuse `key` when retrying the same void).
pub async fn admin_void_code(code: &str, body: &VoidCode, key: &str) -> ApiResult<AdminCode> {
    post(&format!("/api/admin/codes/{}/void", percent_encode(code)), body, Some(key)).await
}

/// `GET /api/admin/sales?from=&to=` (shop days, `YYYY-MM-DD`).
pub async fn admin_sales(from: String, to: String) -> ApiResult<AdminSales> {
    get_query("/api/admin/sales", vec![("from", from), ("to", to)]).await
}

/// `PATCH /api/admin/sales/{id}`: change a sale before it starts.
pub async fn admin_edit_sale(id: i64, edit: &SaleEdit) -> ApiResult<AdminSale> {
    read(with_json(Request::patch(&format!("/api/admin/sales/{id}")), edit)?.send().await).await
}

/// `POST /api/admin/sales/{id}/cancel`.
pub async fn admin_cancel_sale(id: i64) -> ApiResult<AdminSale> {
    post(&format!("/api/admin/sales/{id}/cancel"), &(), None).await
}

/// `GET /api/admin/audit?cursor=`, newest first.
pub async fn admin_audit(cursor: Option<String>) -> ApiResult<AuditPage> {
    get_query("/api/admin/audit", cursor.map(|c| ("cursor", c)).into_iter().collect()).await
}

/// `GET /api/admin/lotteries`: every lottery with its draws and prizes, newest first.
pub async fn admin_lotteries() -> ApiResult<AdminLotteries> {
    get("/api/admin/lotteries").await
}

/// `POST /api/admin/lotteries`: a new lottery (it closes the running one).
pub async fn admin_create_lottery(new: &NewLottery) -> ApiResult<Lottery> {
    post("/api/admin/lotteries", new, None).await
}

/// `POST /api/admin/lotteries/{id}/close`: no more draws.
pub async fn admin_close_lottery(id: i64) -> ApiResult<()> {
    no_content(Request::post(&format!("/api/admin/lotteries/{id}/close")).send().await).await
}

/// `GET /api/admin/causes`: every cause with its donations and donors, newest first.
pub async fn admin_causes() -> ApiResult<AdminCauses> {
    get("/api/admin/causes").await
}

/// `POST /api/admin/causes`: a new cause.
pub async fn admin_create_cause(new: &NewCause) -> ApiResult<Cause> {
    post("/api/admin/causes", new, None).await
}

/// `POST /api/admin/causes/{id}/close`: no more donations.
pub async fn admin_close_cause(id: i64) -> ApiResult<()> {
    no_content(Request::post(&format!("/api/admin/causes/{id}/close")).send().await).await
}

/// `GET /api/campaigns`: the campaigns running now for the member.
pub async fn campaigns() -> ApiResult<Vec<Campaign>> {
    get("/api/campaigns").await
}

/// `GET /api/admin/campaigns`: every campaign with its budget and grants, newest first.
pub async fn admin_campaigns() -> ApiResult<Vec<AdminCampaign>> {
    get("/api/admin/campaigns").await
}

/// `POST /api/admin/campaigns`: a new campaign.
pub async fn admin_create_campaign(new: &NewCampaign) -> ApiResult<AdminCampaign> {
    post("/api/admin/campaigns", new, None).await
}

/// `POST /api/admin/campaigns/{id}/end`: no more boosts.
pub async fn admin_end_campaign(id: i64) -> ApiResult<AdminCampaign> {
    post(&format!("/api/admin/campaigns/{id}/end"), &(), None).await
}

/// A fresh idempotency key for one user intent: 16 random bytes from the browser's
/// CSPRNG, in hex. No random source is a failure (status 0), never a key of zeros.
pub fn fresh_key() -> Result<String, ApiFailure> {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).ok_or(ApiFailure::Server(0))?;
    crypto.get_random_values_with_u8_array(&mut bytes).map_err(|_| ApiFailure::Server(0))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
