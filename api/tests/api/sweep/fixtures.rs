//! What the sweep needs before it starts: the roles signed in, and the things operations
//! act on (an order to ship, a code to void, a hold to capture…), made through the API
//! itself; the path parameter and the valid body of each operation it knows. An operation
//! it does not know gets a body made from its schema (`sample`) and the id 1.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{json, Value};

use super::{schema::Validator, Role, Sweep};
use crate::helpers::sign_v2;

/// The smallest PNG (1×1, transparent).
pub const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63,
    0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60,
    0x82,
];

/// Raw bodies for an upload: images by their first bytes, and everything else.
pub fn raw_bodies() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let mut jpeg = vec![0xff, 0xd8, 0xff, 0xe0];
    jpeg.extend(b"\0\x10JFIF\0".iter());
    let mut webp = b"RIFF\x24\0\0\0WEBPVP8 ".to_vec();
    webp.extend([0u8; 24]);
    vec![
        ("upload empty", "image/png", Vec::new()),
        ("upload a PNG header only", "image/png", TINY_PNG[..8].to_vec()),
        ("upload a JPEG header", "image/jpeg", jpeg),
        ("upload a WebP header", "image/webp", webp),
        ("upload an SVG", "image/svg+xml", br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec()),
        ("upload a GIF", "image/gif", b"GIF89a\x01\0\x01\0\0\0\0;".to_vec()),
        ("upload JSON", "application/json", b"{\"image\":1}".to_vec()),
        ("upload random bytes", "application/octet-stream", (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()),
        ("upload a PNG as text", "text/plain", TINY_PNG.to_vec()),
        ("upload 600 kB", "image/png", [TINY_PNG, &vec![0u8; 600 * 1024]].concat()),
    ]
}

/// Ids and values made at set-up.
#[derive(Default)]
pub struct Fixtures {
    /// By `METHOD /template` and parameter name.
    params: BTreeMap<(String, String), String>,
    values: BTreeMap<&'static str, Value>,
}

impl Fixtures {
    /// The value of path parameter `name` of operation `key`.
    pub fn path_param(&self, key: &str, name: &str) -> String {
        if let Some(v) = self.params.get(&(key.to_string(), name.to_string())) {
            return v.clone();
        }
        match name {
            "task" => "share".into(),
            "code" => self.text("voucher_code"),
            _ => "1".into(),
        }
    }

    fn set(&mut self, keys: &[&str], name: &str, value: impl ToString) {
        for key in keys {
            self.params.insert((key.to_string(), name.to_string()), value.to_string());
        }
    }

    fn id(&self, name: &str) -> i64 {
        self.values.get(name).and_then(Value::as_i64).unwrap_or_else(|| panic!("no fixture {name}"))
    }

    fn value(&self, name: &str) -> Value {
        self.values.get(name).cloned().unwrap_or_else(|| panic!("no fixture {name}"))
    }

    fn text(&self, name: &str) -> String {
        self.values.get(name).and_then(Value::as_str).map(str::to_string).unwrap_or_default()
    }
}

/// A value that fits `schema`, for an operation the sweep has no body for.
pub fn sample(v: &Validator<'_>, schema: &Value) -> Value {
    let schema = v.resolve(schema);
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    if let Some(options) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let pick = options.iter().find(|o| o["type"] != "null").or(options.first());
        return pick.map_or(Value::Null, |o| sample(v, o));
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut out = serde_json::Map::new();
        for part in parts {
            if let Value::Object(m) = sample(v, part) {
                out.extend(m);
            }
        }
        return Value::Object(out);
    }
    let kind = match &schema["type"] {
        Value::String(t) => t.clone(),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null").to_string(),
        _ if schema.get("properties").is_some() => "object".into(),
        _ => "null".into(),
    };
    match kind.as_str() {
        "object" => Value::Object(schema["properties"].as_object().into_iter().flatten().map(|(k, s)| (k.clone(), sample(v, s))).collect()),
        "array" => Value::Array(vec![sample(v, &schema["items"])]),
        "string" => Value::String("Sweep text".into()),
        "integer" | "number" => json!(1),
        "boolean" => Value::Bool(true),
        _ => Value::Null,
    }
}

fn text(zh: &str, en: &str) -> Value {
    json!({ "zh": zh, "en": en })
}

fn rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0).unwrap().to_rfc3339()
}

impl Sweep {
    /// A set-up request that must succeed; its JSON answer (and the `Set-Cookie`s).
    async fn must(&mut self, role: Role, method: Method, path: &str, body: Option<Value>) -> (Value, String) {
        let mut req = self.http.request(method.clone(), format!("{}{path}", self.base));
        if let Some(cookie) = self.cookies.get(&role) {
            req = req.header("cookie", cookie);
        }
        let key = format!("setup-{}", self.next());
        req = req.header("idempotency-key", &key);
        let text = body.map(|b| b.to_string()).unwrap_or_default();
        if role == Role::Host {
            let ts = self.now();
            req = req
                .header("x-mall-timestamp", ts.to_string())
                .header("x-mall-signature", sign_v2(&self.hook_secret, ts, method.as_str(), path, Some(&key), &text));
        }
        if !text.is_empty() {
            req = req.header("content-type", "application/json").body(text.clone());
        }
        let res = req.send().await.unwrap_or_else(|e| panic!("set-up {method} {path}: {e}"));
        let status = res.status();
        let cookies: Vec<String> =
            res.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_string)).collect();
        let bytes = res.bytes().await.unwrap();
        assert!(status.is_success(), "set-up {method} {path} {text}: {status} {}", String::from_utf8_lossy(&bytes));
        (serde_json::from_slice(&bytes).unwrap_or(Value::Null), cookies.join("; "))
    }

    /// Measures the server's clock against ours.
    async fn measure_clock(&mut self) -> Value {
        let time: Value = self.http.get(format!("{}/api/time", self.base)).send().await.unwrap().json().await.unwrap();
        let local = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        self.skew = time["epoch_ms"].as_i64().unwrap() / 1000 - local;
        time
    }

    /// A host ticket for `member` (valid 5 minutes).
    pub fn ticket(&self, member: i64) -> Value {
        let expires_at = self.now() + 300;
        json!({ "member_id": member, "expires_at": expires_at, "signature": mall_api::routes::session::sign_ticket(&self.ticket_secret, member, expires_at) })
    }

    /// Signs the roles in and makes the fixtures.
    pub async fn set_up(&mut self) {
        use Method as M;
        // A make-up needs an earlier day of this month: never start on the 1st.
        let time = self.measure_clock().await;
        if time["now"].as_str().unwrap()[8..10] == *"01" {
            self.must(Role::Anonymous, M::POST, "/api/dev/clock", Some(json!({ "seconds": 86_400 }))).await;
            self.measure_clock().await;
        }
        let time = self.measure_clock().await;
        let today = chrono::NaiveDate::parse_from_str(&time["now"].as_str().unwrap()[..10], "%Y-%m-%d").unwrap();
        self.fixtures.values.insert("yesterday", json!(today.pred_opt().unwrap().to_string()));
        self.fixtures.values.insert("in_ten_days", json!((today + chrono::Days::new(10)).to_string()));

        for (role, username, password) in [(Role::Operator, "ops", "ops-demo-2026"), (Role::Merchant, "starbucks", "starbucks-demo")] {
            let (_, cookie) = self
                .must(Role::Anonymous, M::POST, "/api/staff/session", Some(json!({ "username": username, "password": password })))
                .await;
            self.cookies.insert(role, cookie);
        }
        let (_, cookie) = self.must(Role::Anonymous, M::POST, "/api/session/demo", Some(json!({ "member_id": 2 }))).await;
        self.cookies.insert(Role::Member, cookie);
        let ticket_member = 90_001;
        let ticket = self.ticket(ticket_member);
        let (_, cookie) = self.must(Role::Anonymous, M::POST, "/api/session/exchange", Some(ticket)).await;
        self.cookies.insert(Role::TicketMember, cookie);
        self.fixtures.values.insert("ticket_member", json!(ticket_member));

        let op = Role::Operator;
        let (merchants, _) = self.must(op, M::GET, "/api/admin/merchants", None).await;
        let starbucks = merchants.as_array().unwrap().iter().find(|m| m["slug"] == "starbucks").unwrap()["id"].as_i64().unwrap();
        self.fixtures.values.insert("starbucks", json!(starbucks));
        for (member, amount) in [(2, 1_000_000), (ticket_member, 100_000)] {
            let body = json!({ "member_id": member, "amount": amount, "reason": "sweep set-up" });
            self.must(op, M::POST, "/api/admin/adjustments", Some(body)).await;
        }
        // Points arrived: a webhook to the host to resend.
        let (deliveries, _) = self.must(op, M::GET, "/api/admin/deliveries", None).await;
        self.fixtures.set(&["POST /api/admin/deliveries/{id}/resend"], "id", &deliveries["deliveries"][0]["id"]);

        // The operator's own things: a category, a partner merchant, a staff account, an item, a cause.
        let body = json!({ "slug": "sweep-base", "name": text("扫描分类", "Sweep category") });
        let (category, _) = self.must(op, M::POST, "/api/admin/categories", Some(body)).await;
        self.fixtures.set(&["PATCH /api/admin/categories/{id}"], "id", &category["id"]);
        let body = json!({ "slug": "sweep-partner", "name": text("扫描商户", "Sweep partner"), "logo": "/img/merchants/starbucks.svg",
            "address": text("上海", "Shanghai"), "settlement": "1.00" });
        let (merchant, _) = self.must(op, M::POST, "/api/admin/merchants", Some(body)).await;
        self.fixtures.set(&["PATCH /api/admin/merchants/{id}"], "id", &merchant["id"]);
        let body = json!({ "username": "sweep-staff", "password": "sweep-password-0", "role": "operator", "display_name": "扫描" });
        let (staff, _) = self.must(op, M::POST, "/api/admin/staff", Some(body)).await;
        self.fixtures.set(&["PATCH /api/admin/staff/{id}"], "id", &staff["id"]);
        let item_body = self.fixture_body("POST /api/admin/items").unwrap();
        let (item, _) = self.must(op, M::POST, "/api/admin/items", Some(item_body)).await;
        self.fixtures.values.insert("item", item["id"].clone());
        self.fixtures.set(&["PATCH /api/admin/items/{id}", "POST /api/admin/items/{id}/stock"], "id", &item["id"]);
        let cause_body = self.fixture_body("POST /api/admin/causes").unwrap();
        let (cause, _) = self.must(op, M::POST, "/api/admin/causes", Some(cause_body)).await;
        self.fixtures.set(&["POST /api/admin/causes/{id}/close"], "id", &cause["id"]);
        for key in ["GET /api/admin/members/{id}", "POST /api/admin/members/{id}/freeze", "POST /api/admin/members/{id}/unfreeze"] {
            self.fixtures.set(&[key], "id", 3);
        }

        // Sales: one live now, two ahead (to edit, to cancel).
        let now = self.now();
        for (name, key, starts_at, ends_at) in [
            ("live", "POST /api/sales/{id}/grab", now - 60, now + 86_400),
            ("edit", "PATCH /api/admin/sales/{id}", now + 2 * 86_400, now + 2 * 86_400 + 3_600),
            ("cancel", "POST /api/admin/sales/{id}/cancel", now + 3 * 86_400, now + 3 * 86_400 + 3_600),
        ] {
            let body = json!({ "offer_key": format!("sweep-{name}"), "offer": text("扫描拿铁", "Sweep latte"), "merchant_id": starbucks,
                "image": "/img/items/starbucks-latte.svg", "points": 10, "quantity": 1_000, "per_member_limit": 500,
                "starts_at": starts_at, "ends_at": ends_at });
            let (id, _) = self.must(op, M::POST, "/api/admin/sales", Some(body)).await;
            let id = id.as_i64().or_else(|| id["ids"][0].as_i64()).expect("a sale id");
            self.fixtures.set(&[key], "id", id);
            if name == "live" {
                self.fixtures.set(&["POST /api/sales/{id}/remind"], "id", id);
            }
        }
        let grab = self.fixtures.path_param("POST /api/sales/{id}/grab", "id");
        let (grabbed, _) = self.must(Role::Member, M::POST, &format!("/api/sales/{grab}/grab"), None).await;
        self.fixtures.values.insert("sale_code", grabbed["code"]["code"].clone());

        // The member's addresses and orders: a shop voucher (its code), three parcels.
        let member = Role::Member;
        let address = self.fixture_body("POST /api/addresses").unwrap();
        let mut addresses = Vec::new();
        for _ in 0..3 {
            addresses.push(self.must(member, M::POST, "/api/addresses", Some(address.clone())).await.0["id"].clone());
        }
        self.fixtures.set(&["PUT /api/addresses/{id}"], "id", &addresses[0]);
        self.fixtures.set(&["DELETE /api/addresses/{id}"], "id", &addresses[1]);
        self.fixtures.values.insert("address", addresses[2].clone());
        let (voucher, _) = self.must(member, M::POST, "/api/orders", Some(json!({ "item_id": 1, "quantity": 1 }))).await;
        self.fixtures.values.insert("voucher_code", voucher["code"].clone());
        for key in ["POST /api/admin/orders/{id}/cancel", "POST /api/admin/orders/{id}/ship", "POST /api/orders/{id}/cancel"] {
            let body = json!({ "item_id": self.fixtures.id("item"), "quantity": 1, "address_id": addresses[2] });
            let (order, _) = self.must(member, M::POST, "/api/orders", Some(body)).await;
            self.fixtures.set(&[key], "id", &order["id"]);
            if key.ends_with("ship") {
                self.fixtures.set(&["POST /api/admin/orders/{id}/deliver"], "id", &order["id"]);
            }
        }

        // Two parcels with a cash part (item 11: 990 points + ¥9.90), awaiting the host's
        // payment: one to ask the payment request of, one the host confirms.
        for key in ["POST /api/orders/{id}/payment", "POST /api/hooks/payment"] {
            let body = json!({ "item_id": 11, "quantity": 1, "address_id": addresses[2] });
            let (order, _) = self.must(member, M::POST, "/api/orders", Some(body)).await;
            self.fixtures.set(&[key, "GET /api/orders/{id}"], "id", &order["id"]);
            if key.starts_with("POST /api/hooks") {
                let path = format!("/api/orders/{}/payment", order["id"]);
                let (start, _) = self.must(member, M::POST, &path, None).await;
                self.fixtures.values.insert("payment", start["request"].clone());
            }
        }

        // The merchant's offers, to approve and to decline.
        for key in ["POST /api/admin/offers/{id}/approve", "POST /api/admin/offers/{id}/decline"] {
            let body = self.fixture_body("POST /api/merchant/offers").unwrap();
            let (offer, _) = self.must(Role::Merchant, M::POST, "/api/merchant/offers", Some(body)).await;
            self.fixtures.set(&[key], "id", &offer["id"]);
        }

        // The host's holds (to capture, release, refund after a capture) and a purchase.
        for key in
            ["POST /api/host/deductions/{id}/capture", "POST /api/host/deductions/{id}/release", "POST /api/host/deductions/{id}/refund"]
        {
            let body = self.fixture_body("POST /api/host/deductions").unwrap();
            let (hold, _) = self.must(Role::Host, M::POST, "/api/host/deductions", Some(body)).await;
            let id = hold["id"].as_i64().unwrap();
            self.fixtures.set(&[key], "id", id);
            if key.ends_with("refund") {
                self.must(Role::Host, M::POST, &format!("/api/host/deductions/{id}/capture"), None).await;
            }
        }
        let body = json!({ "purchase_id": "sweep-purchase", "member_id": 2, "paid": "500.00" });
        self.must(Role::Host, M::POST, "/api/hooks/purchase", Some(body)).await;

        // A campaign to end.
        let body = self.fixture_body("POST /api/admin/campaigns").unwrap();
        let (campaign, _) = self.must(Role::Operator, M::POST, "/api/admin/campaigns", Some(body)).await;
        self.fixtures.set(&["POST /api/admin/campaigns/{id}/end"], "id", &campaign["id"]);

        // The running lottery, a cause to give to, the member's invite code.
        let (lottery, _) = self.must(member, M::GET, "/api/lotteries/current", None).await;
        self.fixtures.set(&["POST /api/lotteries/{id}/draws", "POST /api/admin/lotteries/{id}/close"], "id", &lottery["id"]);
        let (causes, _) = self.must(member, M::GET, "/api/causes", None).await;
        let first = causes.as_array().map(|c| c[0].clone()).unwrap_or_else(|| causes["causes"][0].clone());
        self.fixtures.set(&["POST /api/causes/{id}/donations"], "id", &first["id"]);
        let (invite, _) = self.must(member, M::GET, "/api/invite", None).await;
        self.fixtures.values.insert("invite_code", invite["code"].clone());
    }

    /// Who sends an operation's own cases, where the document does not say.
    pub fn role_of(&self, key: &str) -> Option<Role> {
        match key {
            // A member accepts another's code: the new member, the demo member's code.
            "POST /api/invites/accept" => Some(Role::TicketMember),
            // Verified by a merchant (its partner's code) or an operator (the shop's own).
            "POST /api/merchant/verify" => Some(Role::Merchant),
            _ => None,
        }
    }

    /// A valid body for the operation `key`, when the sweep knows one (fresh ids and slugs
    /// on every call).
    pub fn fixture_body(&mut self, key: &str) -> Option<Value> {
        let n = self.next();
        let now = self.now();
        let f = &self.fixtures;
        let name = text("扫描名称", "Sweep name");
        let spec = json!([{ "label": text("容量", "Size"), "value": text("500 毫升", "500 ml") }]);
        let terms = |f: &super::fixtures::Fixtures| {
            json!({ "offer_key": format!("sweep-offer-{n}"), "offer": text("扫描券", "Sweep coupon"), "merchant_id": f.id("starbucks"),
                "image": "/img/items/starbucks-latte.svg", "points": 10, "quantity": 5, "per_member_limit": 1, "code_valid_days": 30 })
        };
        let body = match key {
            "POST /api/addresses" | "PUT /api/addresses/{id}" => {
                json!({ "name": "扫描收件人", "phone": "13800138000", "region": "上海市 静安区", "detail": "南京西路 1 号", "is_default": false })
            }
            // The same birthday every time (it is kept once).
            "PUT /api/me/profile" => json!({ "display_name": "扫描会员", "birthday": "1990-10-01", "notices_consent": true }),
            "POST /api/admin/adjustments" => json!({ "member_id": f.id("ticket_member"), "amount": 10, "reason": "扫描调整 sweep" }),
            // The release's rules again (a version that changes nothing the other
            // operations depend on).
            "PUT /api/admin/rules" => json!({ "rules": mall_core::Rules::default(), "reason": format!("扫描规则 sweep {n}") }),
            "POST /api/admin/categories" => {
                json!({ "slug": format!("sweep-c{n}"), "name": text("扫描分类", "Sweep category"), "position": 50 })
            }
            "PATCH /api/admin/categories/{id}" => {
                json!({ "name": text("扫描分类二", "Sweep category 2"), "position": 60, "hidden": false })
            }
            "POST /api/admin/campaigns" => json!({ "name": text("扫描活动", "Sweep campaign"), "starts_at": now,
                "ends_at": now + 86_400, "target": "checkin", "percent": 200, "budget": 1_000 }),
            "POST /api/admin/causes" => json!({ "name": text("扫描公益", "Sweep cause"),
                "description": text("每 10 积分一本书", "A book per 10 points"), "image": "/img/causes/books.svg", "target": 1_000 }),
            "POST /api/admin/codes/{code}/void" => json!({ "reason": "扫描作废 sweep void" }),
            "POST /api/admin/items" => json!({ "category": "sweep-base", "kind": "physical", "name": name,
                "description": text("扫描描述", "Sweep description"), "specs": spec, "image": "/img/items/mug.svg", "points": 100,
                "cash": null, "stock": 1_000, "per_member_limit": 100, "min_tier": null, "merchant_id": null }),
            "PATCH /api/admin/items/{id}" => json!({ "category": "sweep-base", "name": text("扫描名称二", "Sweep name 2"),
                "description": text("扫描描述二", "Sweep description 2"), "specs": spec, "image": "/img/items/mug.svg", "points": 120 }),
            "POST /api/admin/items/{id}/stock" => json!({ "delta": 1, "reason": "扫描补货 sweep" }),
            "POST /api/admin/lotteries" => json!({ "name": text("扫描抽奖", "Sweep draw"), "cost_points": 10, "draws_per_day": 3,
                "prizes": [{ "name": text("五积分", "Five points"), "kind": "points", "points": 5, "item_id": null,
                    "probability_bp": 1_000, "stock": 100 }] }),
            "POST /api/admin/members/{id}/freeze" => json!({ "reason": "扫描冻结 sweep" }),
            "POST /api/admin/merchants" => json!({ "slug": format!("sweep-m{n}"), "name": text("扫描商户", "Sweep merchant"),
                "logo": "/img/merchants/starbucks.svg", "address": text("上海市 南京西路", "Nanjing Rd W, Shanghai"),
                "settlement": "2.50", "offer_settlement": "0.50" }),
            "PATCH /api/admin/merchants/{id}" => json!({ "name": text("扫描商户二", "Sweep merchant 2"),
                "logo": "/img/merchants/starbucks.svg", "address": text("上海市", "Shanghai"), "settlement": "3.00",
                "offer_settlement": "0.50" }),
            "POST /api/admin/offers/{id}/approve" => json!({ "points": 10, "per_member_limit": 1 }),
            "POST /api/admin/orders/{id}/cancel" => json!({ "reason": "扫描取消 sweep" }),
            "POST /api/admin/orders/{id}/ship" => json!({ "carrier": "顺丰速运", "tracking_no": "SF1234567890" }),
            "POST /api/admin/sales" => {
                let mut t = terms(f);
                let starts = now + 5 * 86_400 + n as i64 * 7_200;
                t["starts_at"] = json!(starts);
                t["ends_at"] = json!(starts + 3_600);
                t
            }
            "POST /api/admin/sales/daily" => {
                let mut t = terms(f);
                t["day"] = f.value("in_ten_days").clone();
                t["slots"] = json!(["10:00", "14:00"]);
                t["minutes"] = json!(60);
                t
            }
            "PATCH /api/admin/sales/{id}" => json!({ "offer": text("扫描拿铁二", "Sweep latte 2"), "points": 12 }),
            "POST /api/admin/staff" => json!({ "username": format!("sweep-s{n}"), "password": "sweep-password-1", "role": "operator",
                "display_name": "扫描员工" }),
            "PATCH /api/admin/staff/{id}" => json!({ "display_name": "扫描员工二" }),
            "POST /api/causes/{id}/donations" => json!({ "points": 10 }),
            "POST /api/checkins/makeup" => json!({ "date": f.value("yesterday") }),
            "POST /api/dev/clock" => json!({ "seconds": 0 }),
            "POST /api/hooks/purchase" => {
                json!({ "purchase_id": format!("sweep-p{n}"), "member_id": 2, "paid": "10.00", "settles_at": rfc3339(now + 7 * 86_400) })
            }
            "POST /api/hooks/payment" => {
                let request = f.value("payment");
                json!({ "payment_id": request["payment_id"], "order_id": request["order_id"], "paid": request["amount"] })
            }
            "POST /api/hooks/task" => json!({ "event_id": format!("sweep-t{n}"), "member_id": 2, "task": "share" }),
            "POST /api/hooks/refund" => json!({ "refund_id": format!("sweep-r{n}"), "purchase_id": "sweep-purchase", "amount": "0.01" }),
            "POST /api/host/deductions" => {
                json!({ "member_id": 2, "order_id": format!("sweep-o{n}"), "order_amount": "500.00", "points": 1_000 })
            }
            "POST /api/host/deductions/quote" => json!({ "member_id": 2, "order_amount": "100.00" }),
            "POST /api/host/deductions/{id}/capture" | "POST /api/host/deductions/{id}/release" => json!({}),
            "POST /api/host/deductions/{id}/refund" => json!({ "points": 1 }),
            "POST /api/invites/accept" => json!({ "code": f.value("invite_code") }),
            "POST /api/merchant/offers" => json!({ "offer_zh": "免费美式", "offer_en": "Free americano", "quantity": 10,
                "starts_at": rfc3339(now + 86_400), "ends_at": rfc3339(now + 2 * 86_400) }),
            "POST /api/merchant/verify" => json!({ "code": f.value("sale_code") }),
            "POST /api/orders" => json!({ "item_id": 1, "quantity": 1, "address_id": null }),
            "POST /api/sales/{id}/remind" => json!({ "on": true }),
            "POST /api/session/demo" => json!({ "member_id": 4 }),
            "POST /api/session/exchange" => self.ticket(90_100 + n as i64),
            "POST /api/staff/password" => json!({ "current_password": "ops-demo-2026", "new_password": "sweep-new-password" }),
            "POST /api/staff/session" => json!({ "username": "wanda", "password": "wanda-demo-2026" }),
            _ => return None,
        };
        Some(body)
    }
}
