//! The hostile-input sweep: the real binary, started as `make run` starts it (demo data,
//! its own secrets), on the engine under test, is driven through EVERY operation of the
//! OpenAPI document it serves — read at run time, so an operation added later is swept
//! without touching this file — as each role (anonymous, a member by the demo login and
//! one by a host ticket, a merchant and an operator signed in through the staff sign-in,
//! the host with v2-signed calls), with integer bounds, huge and odd decimals, extreme
//! dates, empty and 10 kB strings, control and bidirectional characters, wrong types,
//! missing and extra fields, bad path and query parameters and malformed headers.
//!
//! Every answer must be documented for its operation: a 2xx whose body fits the
//! operation's response schema (`schema::Validator`), or a typed 4xx
//! (`{"error":{"code","message"}}`, the code's own status); never a 5xx, never a hang.
//! Text people read must refuse hidden characters in every field that takes it
//! (`mall_core::text`): each string field of each JSON body is sent with one, and must be
//! refused where the same body without it succeeds. The process must still be up at the
//! end. The cases are seeded (`SWEEP_SEED`, default 24) and the run ends with one line:
//! operations, cases, answers by status, time.

mod fixtures;
mod schema;
mod values;

use std::{
    collections::{BTreeMap, BTreeSet},
    io::Write,
    time::{Duration, Instant},
};

use reqwest::{Method, StatusCode};
use serde_json::Value;

use self::{
    schema::{short, Validator},
    values::{Rng, HIDDEN},
};
use crate::helpers::sign_v2;

/// Who sends a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Role {
    Anonymous,
    /// Member 2, through the demo login.
    Member,
    /// A new member, through a host ticket.
    TicketMember,
    /// The `starbucks` merchant account, through the staff sign-in.
    Merchant,
    /// The `ops` operator account, through the staff sign-in.
    Operator,
    /// The host shop's server: no session, a valid v2 signature.
    Host,
}

const ROLES: [Role; 6] = [Role::Anonymous, Role::Member, Role::TicketMember, Role::Merchant, Role::Operator, Role::Host];

/// Operations run after all others, and why: they end the session the sweep signs in
/// with, or move the server's clock.
const LAST: &[(&str, &str)] = &[
    ("POST /api/dev/clock", "moves the server clock (forward only, at most a second here)"),
    ("POST /api/staff/password", "changes the operator's password"),
    ("POST /api/logout", "ends the member's session"),
    ("POST /api/staff/logout", "ends the staff sessions"),
];

/// Operations whose every answer may be a refusal of the credential (401/403), and why.
/// Any other operation must be reached past its credential check at least once.
const SHALLOW: &[(&str, &str)] = &[];

/// JSON body fields that take any characters, and why: nobody reads them.
const FREE_TEXT: &[(&str, &str)] = &[
    ("password", "a secret: never shown, hashed"),
    ("current_password", "a secret: never shown, hashed"),
    ("new_password", "a secret: never shown, hashed"),
];

/// Operations with text fields whose baseline (the body without a hidden character) may
/// not succeed, and why. Without a success the refusals of hidden text prove nothing.
const NO_SUCCESS: &[(&str, &str)] = &[];

/// One operation of the document.
pub(crate) struct Op {
    pub method: Method,
    pub template: String,
    /// `METHOD /path/{template}`.
    pub key: String,
    pub spec: Value,
    pub path_params: Vec<String>,
    pub query_params: Vec<String>,
    /// Takes an `Idempotency-Key`.
    pub idempotent: bool,
    /// A host call (`X-Mall-Signature`).
    pub signed: bool,
    /// The request body: its content type and schema.
    pub body: Option<(String, Value)>,
    /// Who may call it (the first sends the operation's own cases).
    pub role: Role,
}

/// The `Idempotency-Key` a case sends.
#[derive(Debug, Clone)]
pub(crate) enum Key {
    Fresh,
    Absent,
    Given(Vec<u8>),
}

/// What a case must get, beyond a documented, well-formed answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    Any,
    Refused,
    Success,
}

/// One request.
#[derive(Debug, Clone)]
pub(crate) struct Case {
    pub role: Role,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, Vec<u8>)>,
    /// Content type (empty: none) and bytes.
    pub body: Option<(String, Vec<u8>)>,
    pub key: Key,
    /// Sign it as the host (v2, the server's time).
    pub sign: bool,
    pub expect: Expect,
    pub what: String,
}

/// What an operation got.
#[derive(Default)]
struct OpTally {
    cases: usize,
    /// Some answer was neither 401 nor 403.
    reached: bool,
    text_fields: usize,
}

/// The sweep's state: the server, the credentials, the fixtures, what was seen.
pub(crate) struct Sweep {
    pub base: String,
    pub http: reqwest::Client,
    pub doc: Value,
    /// The `Cookie` header of each signed-in role.
    pub cookies: BTreeMap<Role, String>,
    pub hook_secret: String,
    pub ticket_secret: String,
    /// Server clock minus local clock, seconds (the dev clock moves the server's).
    pub skew: i64,
    pub fixtures: fixtures::Fixtures,
    rng: Rng,
    counter: u64,
    by_status: BTreeMap<u16, usize>,
    ops: BTreeMap<String, OpTally>,
    failures: Vec<String>,
    sent: usize,
}

impl Sweep {
    /// A number never used before in this run (unique slugs, keys, ids).
    pub fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// The server's clock now, Unix seconds.
    pub fn now(&self) -> i64 {
        let local = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        local + self.skew
    }

    /// The operations of the served document, in its order.
    fn operations(&self) -> Vec<Op> {
        let mut out = Vec::new();
        for (template, item) in self.doc["paths"].as_object().expect("paths") {
            for (method, spec) in item.as_object().expect("a path item") {
                let Ok(method) = method.to_uppercase().parse::<Method>() else { continue };
                let params = spec["parameters"].as_array().cloned().unwrap_or_default();
                let named = |place: &str| -> Vec<String> {
                    params.iter().filter(|p| p["in"] == place).map(|p| p["name"].as_str().unwrap().to_string()).collect()
                };
                let headers = named("header");
                let body =
                    spec["requestBody"]["content"].as_object().and_then(|c| c.iter().next()).map(|(t, c)| (t.clone(), c["schema"].clone()));
                let security: Vec<String> =
                    spec["security"].as_array().into_iter().flatten().flat_map(|s| s.as_object().unwrap().keys().cloned()).collect();
                let signed = headers.iter().any(|h| h.eq_ignore_ascii_case("x-mall-signature"));
                let key = format!("{method} {template}");
                let role = if let Some(role) = self.role_of(&key) {
                    role
                } else if signed {
                    Role::Host
                } else if security.iter().any(|s| s == "operator") || template.starts_with("/api/staff/") {
                    Role::Operator
                } else if security.iter().any(|s| s == "merchant") {
                    Role::Merchant
                } else {
                    Role::Member
                };
                out.push(Op {
                    key,
                    method,
                    template: template.clone(),
                    path_params: named("path"),
                    query_params: named("query"),
                    idempotent: headers.iter().any(|h| h.eq_ignore_ascii_case("idempotency-key")),
                    signed,
                    body,
                    role,
                    spec: spec.clone(),
                });
            }
        }
        out
    }

    /// Sends `case` for `op` and judges the answer; false when the server stopped answering.
    async fn run(&mut self, op: &Op, case: Case) -> bool {
        let n = self.next();
        let mut url = reqwest::Url::parse(&format!("{}{}", self.base, case.path)).expect("a URL");
        if !case.query.is_empty() {
            url.set_query(Some(&case.query));
        }
        let mut req = self.http.request(op.method.clone(), url.clone());
        if let Some(cookie) = self.cookies.get(&case.role) {
            req = req.header("cookie", cookie);
        }
        let key: Option<Vec<u8>> = match (&case.key, op.idempotent) {
            (Key::Fresh, true) => Some(format!("sweep-{n}").into_bytes()),
            (Key::Given(k), _) => Some(k.clone()),
            _ => None,
        };
        if let Some(k) = &key {
            req = req.header("idempotency-key", reqwest::header::HeaderValue::from_bytes(k).expect("a header value"));
        }
        let bytes = case.body.as_ref().map(|b| b.1.clone()).unwrap_or_default();
        if case.sign {
            let ts = self.now();
            let key_text = key.as_ref().map(|k| String::from_utf8_lossy(k).into_owned());
            let signature =
                sign_v2(&self.hook_secret, ts, op.method.as_str(), url.path(), key_text.as_deref(), &String::from_utf8_lossy(&bytes));
            req = req.header("x-mall-timestamp", ts.to_string()).header("x-mall-signature", signature);
        }
        for (name, value) in &case.headers {
            req = req.header(name.as_str(), reqwest::header::HeaderValue::from_bytes(value).expect("a header value"));
        }
        if let Some((ctype, body)) = case.body {
            if !ctype.is_empty() {
                req = req.header("content-type", ctype);
            }
            req = req.body(body);
        }
        self.sent += 1;
        let tally = self.ops.entry(op.key.clone()).or_default();
        tally.cases += 1;
        // A connection the server closed after answering a request without reading its
        // body (a refusal by content type) may fail the next request sent on it: once more.
        let retry = req.try_clone();
        let res = match req.send().await {
            Ok(res) => Ok(res),
            Err(e) if e.is_request() && !e.is_connect() && !e.is_timeout() => match retry {
                Some(again) => again.send().await,
                None => Err(e),
            },
            Err(e) => Err(e),
        };
        let res = match res {
            Ok(res) => res,
            Err(e) => {
                let alive = !e.is_connect();
                self.fail(op, &case.what, format!("no answer: {e:?}"));
                return alive;
            }
        };
        let status = res.status().as_u16();
        *self.by_status.entry(status).or_default() += 1;
        if status != 401 && status != 403 {
            self.ops.get_mut(&op.key).unwrap().reached = true;
        }
        let ctype = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let streaming = ctype.starts_with("text/event-stream");
        let body = if streaming { Vec::new() } else { res.bytes().await.map(|b| b.to_vec()).unwrap_or_default() };
        if let Err(why) = self.judge(op, status, &ctype, &body, streaming) {
            self.fail(op, &case.what, format!("{status}: {why}"));
        }
        match case.expect {
            Expect::Refused if !(400..500).contains(&status) => {
                self.fail(op, &case.what, format!("answered {status} where a refusal (4xx) was due: {}", excerpt(&body)))
            }
            Expect::Success if !(200..300).contains(&status) => {
                self.fail(op, &case.what, format!("the baseline answered {status}: {}", excerpt(&body)))
            }
            _ => {}
        }
        true
    }

    /// Whether an answer is one the document promises for `op`.
    fn judge(&self, op: &Op, status: u16, ctype: &str, body: &[u8], streaming: bool) -> Result<(), String> {
        if status >= 500 {
            return Err(format!("a server error: {}", excerpt(body)));
        }
        let Some(documented) = op.spec["responses"].get(status.to_string()) else {
            return Err(format!("status not documented for this operation: {}", excerpt(body)));
        };
        let validator = Validator::new(&self.doc);
        if (400..500).contains(&status) {
            if !ctype.starts_with("application/json") {
                return Err(format!("a refusal as {ctype:?}, not JSON"));
            }
            let value: Value = serde_json::from_slice(body).map_err(|e| format!("a refusal that is not JSON ({e}): {}", excerpt(body)))?;
            let problems = validator.check(&serde_json::json!({ "$ref": "#/components/schemas/ApiErrorBody" }), &value);
            if !problems.is_empty() {
                return Err(format!("not an error body: {problems:?} in {}", short(&value)));
            }
            let name = value["error"]["code"].as_str().unwrap_or_default();
            let code = mall_core::ErrorCode::SENT.into_iter().find(|c| c.as_str() == name).ok_or(format!("an unknown code {name}"))?;
            if code.status() != status || value["error"]["message"].as_str().is_none_or(str::is_empty) {
                return Err(format!("error {} ({}) answered as {status}", code.as_str(), code.status()));
            }
            return Ok(());
        }
        let content = documented["content"].as_object();
        match content {
            None => match body.is_empty() {
                true => Ok(()),
                false => Err(format!("a body where the document promises none: {}", excerpt(body))),
            },
            Some(content) => {
                let Some((_, spec)) = content.iter().find(|(t, _)| ctype.starts_with(t.as_str())) else {
                    return Err(format!("content type {ctype:?}, the document says {:?}", content.keys().collect::<Vec<_>>()));
                };
                if streaming || !ctype.starts_with("application/json") {
                    return Ok(());
                }
                let value: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON ({e}): {}", excerpt(body)))?;
                let problems = validator.check(&spec["schema"], &value);
                match problems.is_empty() {
                    true => Ok(()),
                    false => Err(format!("the body does not fit the documented schema: {problems:?}")),
                }
            }
        }
    }

    fn fail(&mut self, op: &Op, what: &str, why: String) {
        if self.failures.len() < 400 {
            self.failures.push(format!("{} [{what}]: {why}", op.key));
        }
    }

    /// The case every other is a variation of: the operation's role, fixture path, a
    /// valid body.
    fn base_case(&mut self, op: &Op, what: impl Into<String>) -> Case {
        let path = self.path_for(op, &BTreeMap::new());
        let body = self.body_bytes(op, None);
        Case {
            role: op.role,
            path,
            query: String::new(),
            headers: Vec::new(),
            body,
            key: Key::Fresh,
            sign: op.signed,
            expect: Expect::Any,
            what: what.into(),
        }
    }

    /// The concrete path of `op`, with `over` replacing some path parameters.
    fn path_for(&self, op: &Op, over: &BTreeMap<String, String>) -> String {
        let mut path = op.template.clone();
        for p in &op.path_params {
            let value = over.get(p).cloned().unwrap_or_else(|| self.fixtures.path_param(&op.key, p));
            path = path.replace(&format!("{{{p}}}"), &value);
        }
        path
    }

    /// The body of `op`: the baseline, or `json` (raw JSON text) when given.
    fn body_bytes(&mut self, op: &Op, json: Option<String>) -> Option<(String, Vec<u8>)> {
        let (ctype, _) = op.body.as_ref()?;
        if !ctype.starts_with("application/json") {
            return Some((ctype.clone(), fixtures::TINY_PNG.to_vec()));
        }
        let text = json.unwrap_or_else(|| self.baseline(op).to_string());
        Some((ctype.clone(), text.into_bytes()))
    }

    /// A valid body for `op`: a fixture's, or one made from the schema.
    fn baseline(&mut self, op: &Op) -> Value {
        if let Some(v) = self.fixture_body(&op.key) {
            return v;
        }
        let schema = op.body.as_ref().map(|b| b.1.clone()).unwrap_or(Value::Null);
        fixtures::sample(&Validator::new(&self.doc), &schema)
    }

    /// Phase 1: each string field of the body with a hidden character (refused), then the
    /// body as it is (it must succeed, so the refusals were about the text).
    async fn text_probes(&mut self, op: &Op) -> bool {
        let mut alive = true;
        let baseline = op.body.as_ref().filter(|b| b.0.starts_with("application/json")).map(|_| self.baseline(op));
        let mut fields = Vec::new();
        if let Some(b) = &baseline {
            string_leaves(b, "", &mut fields);
        }
        // No field takes a NUL (PostgreSQL cannot hold one): the secrets neither.
        for (pointer, text) in &fields {
            let mut body = self.baseline(op);
            *body.pointer_mut(pointer).unwrap() = Value::String(values::with_hidden(text, '\u{0}'));
            let mut case = self.base_case(op, format!("{pointer} with NUL"));
            case.body = self.body_bytes(op, Some(body.to_string()));
            case.expect = Expect::Refused;
            alive &= self.run(op, case).await;
        }
        fields.retain(|(pointer, _)| !FREE_TEXT.iter().any(|(name, _)| pointer.rsplit('/').next() == Some(name)));
        self.ops.entry(op.key.clone()).or_default().text_fields = fields.len();
        for (i, (pointer, text)) in fields.iter().enumerate() {
            for j in 0..2 {
                let c = HIDDEN[(i * 2 + j) % HIDDEN.len()];
                let mut body = self.baseline(op);
                *body.pointer_mut(pointer).unwrap() = Value::String(values::with_hidden(text, c));
                let mut case = self.base_case(op, format!("{pointer} with U+{:04X}", c as u32));
                case.body = self.body_bytes(op, Some(body.to_string()));
                case.expect = Expect::Refused;
                alive &= self.run(op, case).await;
            }
        }
        let mut case = self.base_case(op, "baseline");
        if !fields.is_empty() && !NO_SUCCESS.iter().any(|(k, _)| *k == op.key) {
            case.expect = Expect::Success;
        }
        alive &= self.run(op, case).await;
        alive
    }

    /// Phase 2: roles, path and query parameters, headers, bodies.
    async fn hostile(&mut self, op: &Op) -> bool {
        let mut cases = Vec::new();
        // Every role with the baseline; the host's signature broken in every way.
        let security: Vec<&str> =
            op.spec["security"].as_array().into_iter().flatten().flat_map(|s| s.as_object().unwrap().keys()).map(String::as_str).collect();
        for role in ROLES.into_iter().filter(|r| *r != op.role && (op.signed || *r != Role::Host)) {
            let mut case = self.base_case(op, format!("as {role:?}"));
            case.role = role;
            case.sign = role == Role::Host && op.signed;
            // A staff operation refuses whoever its security does not name; a host call
            // refuses every unsigned caller.
            let named = match role {
                Role::Operator => security.contains(&"operator"),
                Role::Merchant => security.contains(&"merchant"),
                _ => false,
            };
            if (!security.is_empty() && !named) || (op.signed && role != Role::Host) {
                case.expect = Expect::Refused;
            }
            cases.push(case);
        }
        if op.signed {
            let now = self.now();
            let stale = [
                ("timestamp an hour ago", (now - 3_600).to_string()),
                ("timestamp i64::MIN", i64::MIN.to_string()),
                ("timestamp i64::MAX", i64::MAX.to_string()),
                ("timestamp not a number", "soon".to_string()),
                ("timestamp empty", String::new()),
            ];
            for (what, ts) in stale {
                let mut case = self.base_case(op, what);
                let bytes = case.body.as_ref().map(|b| String::from_utf8_lossy(&b.1).into_owned()).unwrap_or_default();
                let url_path = reqwest::Url::parse(&format!("{}{}", self.base, case.path)).unwrap().path().to_string();
                let key = format!("sweep-sig-{}", self.next());
                let sig = crate::helpers::sign_v2(
                    &self.hook_secret,
                    ts.parse().unwrap_or(0),
                    op.method.as_str(),
                    &url_path,
                    op.idempotent.then_some(key.as_str()),
                    &bytes,
                );
                case.sign = false;
                case.key = if op.idempotent { Key::Given(key.into_bytes()) } else { Key::Absent };
                case.headers = vec![("x-mall-timestamp".into(), ts.into_bytes()), ("x-mall-signature".into(), sig.into_bytes())];
                case.expect = Expect::Refused;
                cases.push(case);
            }
            for (what, sig) in [
                ("no signature", None),
                ("signature v2= empty", Some("v2=".to_string())),
                ("signature not hex", Some("v2=zz".to_string())),
                ("signature of zeros", Some(format!("v2={}", "0".repeat(64)))),
                ("bare v1 signature", Some("0".repeat(64))),
                ("signature 10 kB", Some(format!("v2={}", "a".repeat(10_240)))),
            ] {
                let mut case = self.base_case(op, what);
                case.sign = false;
                case.headers.push(("x-mall-timestamp".into(), self.now().to_string().into_bytes()));
                if let Some(sig) = sig {
                    case.headers.push(("x-mall-signature".into(), sig.into_bytes()));
                }
                case.expect = Expect::Refused;
                cases.push(case);
            }
        }
        // A write sent by a browser from another site.
        if op.method != Method::GET {
            let mut case = self.base_case(op, "from another origin");
            case.headers.push(("origin".into(), b"https://evil.example".to_vec()));
            case.expect = Expect::Refused;
            cases.push(case);
        }
        // Path parameters.
        for p in op.path_params.clone() {
            for value in values::path_values() {
                let over = BTreeMap::from([(p.clone(), value.clone())]);
                let mut case = self.base_case(op, format!("path {p}={}", cut(&value)));
                case.path = self.path_for(op, &over);
                cases.push(case);
            }
        }
        // Query parameters: each declared one with hostile values, unknown and repeated ones.
        let mut query = Vec::new();
        for p in &op.query_params {
            let mut case = self.base_case(op, format!("query {p} with NUL"));
            case.query = format!("{p}=a%00b");
            case.expect = Expect::Refused;
            cases.push(case);
            for value in values::query_values() {
                query.push((format!("query {p}={}", cut(&value)), format!("{p}={value}")));
            }
            query.push((format!("query {p} twice"), format!("{p}=1&{p}=2")));
        }
        self.rng.shuffle(&mut query);
        query.truncate(sample_size("SWEEP_QUERY_CASES", 40));
        query.push(("query unexpected".into(), "unexpected=1".into()));
        query.push(("query malformed".into(), "%zz=%zz&=&&".into()));
        for (what, q) in query {
            let mut case = self.base_case(op, what);
            case.query = q;
            cases.push(case);
        }
        // Headers.
        if op.idempotent {
            for (what, key) in [
                ("key absent", Key::Absent),
                ("key empty", Key::Given(Vec::new())),
                ("key with spaces", Key::Given(b"has spaces".to_vec())),
                ("key 300 bytes", Key::Given(vec![b'k'; 300])),
                ("key not ASCII", Key::Given("键\u{202e}".as_bytes().to_vec())),
            ] {
                let mut case = self.base_case(op, what);
                case.key = key;
                cases.push(case);
            }
            // The same key twice (a baseline made again: a new slug, id or key where it has one).
            let key = format!("sweep-reused-{}", self.next()).into_bytes();
            for i in 0..2 {
                let mut case = self.base_case(op, format!("key reused {i}"));
                case.key = Key::Given(key.clone());
                cases.push(case);
            }
        }
        for (name, value) in op.spec["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "header")
            .filter_map(|p| p["name"].as_str())
            .filter(|n| !["idempotency-key", "x-mall-signature", "x-mall-timestamp"].contains(&n.to_ascii_lowercase().as_str()))
            .flat_map(|n| ["abc", "-1", "9223372036854775808", ""].map(|v| (n.to_string(), v)))
        {
            let mut case = self.base_case(op, format!("header {name}={value}"));
            case.headers.push((name, value.as_bytes().to_vec()));
            cases.push(case);
        }
        // Bodies.
        if let Some((ctype, _)) = op.body.clone() {
            cases.extend(self.body_cases(op, &ctype));
        }
        let mut alive = true;
        for case in cases {
            alive &= self.run(op, case).await;
            if !alive {
                break;
            }
        }
        alive
    }

    /// Bodies of every wrong kind: not JSON, not an object, fields missing, extra, or
    /// holding hostile values; for a raw upload, bytes of every kind.
    fn body_cases(&mut self, op: &Op, ctype: &str) -> Vec<Case> {
        let mut out = Vec::new();
        let mut raw = |s: &mut Self, what: &str, ctype: &str, bytes: Vec<u8>| {
            let mut case = s.base_case(op, what);
            case.body = Some((ctype.to_string(), bytes));
            out.push(case);
        };
        if !ctype.starts_with("application/json") {
            for (what, t, bytes) in fixtures::raw_bodies() {
                raw(self, what, t, bytes);
            }
            return out;
        }
        for (what, t, bytes) in [
            ("body empty", "application/json", Vec::new()),
            ("body blank", "application/json", b"  \n ".to_vec()),
            ("body truncated", "application/json", b"{\"a\":".to_vec()),
            ("body null", "application/json", b"null".to_vec()),
            ("body array", "application/json", b"[1,2]".to_vec()),
            ("body string", "application/json", b"\"text\"".to_vec()),
            ("body number", "application/json", b"1e400".to_vec()),
            ("body {}", "application/json", b"{}".to_vec()),
            ("body nested 10,000 deep", "application/json", format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes()),
            ("body not UTF-8", "application/json", vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}']),
            ("body 100 kB", "application/json", format!("{{\"pad\":\"{}\"}}", "x".repeat(100 * 1024)).into_bytes()),
            ("body as text/plain", "text/plain", self.baseline(op).to_string().into_bytes()),
            ("body as form", "application/x-www-form-urlencoded", b"a=1".to_vec()),
            ("body without a content type", "", self.baseline(op).to_string().into_bytes()),
            ("body as json; charset=utf-16", "application/json; charset=utf-16", self.baseline(op).to_string().into_bytes()),
        ] {
            raw(self, what, t, bytes);
        }
        let base = self.baseline(op);
        let mut nodes = Vec::new();
        all_nodes(&base, "", &mut nodes);
        // Missing fields, extra fields, duplicated keys.
        for pointer in nodes.iter().filter(|p| parent_is_object(&base, p)) {
            let mut body = base.clone();
            remove(&mut body, pointer);
            let mut case = self.base_case(op, format!("without {pointer}"));
            case.body = self.body_bytes(op, Some(body.to_string()));
            out.push(case);
        }
        for pointer in std::iter::once(String::new()).chain(nodes.iter().filter(|p| base.pointer(p).is_some_and(Value::is_object)).cloned())
        {
            let mut body = base.clone();
            body.pointer_mut(&pointer).and_then(Value::as_object_mut).map(|m| m.insert("unexpected".into(), Value::Bool(true)));
            let mut case = self.base_case(op, format!("extra field in {pointer:?}"));
            case.body = self.body_bytes(op, Some(body.to_string()));
            out.push(case);
        }
        if let Some((first, _)) = base.as_object().and_then(|m| m.iter().next()) {
            let text = base.to_string();
            let dup = format!("{{\"{first}\":null,{}", &text[1..]);
            let mut case = self.base_case(op, "duplicate key");
            case.body = self.body_bytes(op, Some(dup));
            out.push(case);
        }
        // Hostile values in every place, sampled.
        let mut pairs = Vec::new();
        for pointer in &nodes {
            for value in values::json_values() {
                pairs.push((pointer.clone(), value));
            }
        }
        self.rng.shuffle(&mut pairs);
        pairs.truncate(sample_size("SWEEP_BODY_CASES", 60));
        for (pointer, value) in pairs {
            let body = with_raw(&base, &pointer, &value);
            let mut case = self.base_case(op, format!("{pointer}={}", cut(&value)));
            case.body = self.body_bytes(op, Some(body));
            out.push(case);
        }
        out
    }
}

/// How many sampled cases of a kind each operation gets (`name` overrides it).
fn sample_size(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The JSON pointers and values of the string leaves of `v`.
fn string_leaves(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((at.to_string(), s.clone())),
        Value::Object(m) => m.iter().for_each(|(k, v)| string_leaves(v, &format!("{at}/{}", escape(k)), out)),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| string_leaves(v, &format!("{at}/{i}"), out)),
        _ => {}
    }
}

/// The JSON pointers of every node of `v` but the root.
fn all_nodes(v: &Value, at: &str, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m.iter().map(|(k, v)| (format!("{at}/{}", escape(k)), v)).collect(),
        Value::Array(a) => a.iter().enumerate().map(|(i, v)| (format!("{at}/{i}"), v)).collect(),
        _ => return,
    };
    for (pointer, child) in children {
        out.push(pointer.clone());
        all_nodes(child, &pointer, out);
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn parent_is_object(root: &Value, pointer: &str) -> bool {
    let parent = pointer.rsplit_once('/').map_or("", |(p, _)| p);
    root.pointer(parent).is_some_and(Value::is_object)
}

fn remove(root: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    if let Some(m) = root.pointer_mut(parent).and_then(Value::as_object_mut) {
        m.remove(&key.replace("~1", "/").replace("~0", "~"));
    }
}

/// `root` as JSON text with the node at `pointer` replaced by the raw JSON `raw`.
fn with_raw(root: &Value, pointer: &str, raw: &str) -> String {
    const MARK: &str = "\u{0}sweep-mark\u{0}";
    let mut body = root.clone();
    if let Some(node) = body.pointer_mut(pointer) {
        *node = Value::String(MARK.into());
    }
    body.to_string().replacen(&serde_json::to_string(MARK).unwrap(), raw, 1)
}

fn cut(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…({} bytes)", &s[..i], s.len()),
        None => s.to_string(),
    }
}

fn excerpt(body: &[u8]) -> String {
    cut(&String::from_utf8_lossy(body)).replace('\n', " ")
}

#[tokio::test]
async fn every_operation_answers_hostile_input_with_a_documented_typed_answer() {
    let started = Instant::now();
    let engine = if std::env::var("TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()) { "postgres" } else { "sqlite" };
    let seed: u64 = std::env::var("SWEEP_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(24);
    let db = crate::helpers::TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let (ticket_secret, hook_secret) = (crate::production::own_secret("ticket"), crate::production::own_secret("hook"));
    let vars = [
        ("DATABASE_URL", db.url.as_str()),
        ("TICKET_SECRET", ticket_secret.as_str()),
        ("HOOK_SECRET", hook_secret.as_str()),
        ("DEV_CLOCK", "true"),
        ("HOST_PAY_URL", "https://host.example/pay"),
        ("GRAB_BURST", "1000"),
        ("GRAB_PER_SECOND", "1000"),
    ];
    let mut server = crate::production::serve_logged(dir.path(), &vars, &log).await;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let doc: Value = http.get(format!("{}/api/openapi.json", server.base)).send().await.unwrap().json().await.unwrap();
    let mut sweep = Sweep {
        base: server.base.clone(),
        http,
        doc,
        cookies: BTreeMap::new(),
        hook_secret,
        ticket_secret,
        skew: 0,
        fixtures: fixtures::Fixtures::default(),
        rng: Rng::new(seed),
        counter: 0,
        by_status: BTreeMap::new(),
        ops: BTreeMap::new(),
        failures: Vec::new(),
        sent: 0,
    };
    sweep.set_up().await;
    let setup = started.elapsed();

    let ops = sweep.operations();
    let last = |op: &Op| LAST.iter().any(|(k, _)| *k == op.key);
    let first: Vec<&Op> = ops.iter().filter(|op| !last(op)).collect();
    let rest: Vec<&Op> = LAST.iter().filter_map(|(k, _)| ops.iter().find(|op| op.key == *k)).collect();
    let mut alive = true;
    for op in &first {
        alive = alive && sweep.text_probes(op).await;
    }
    for op in &first {
        alive = alive && sweep.hostile(op).await;
    }
    for op in &rest {
        alive = alive && sweep.text_probes(op).await && sweep.hostile(op).await;
    }

    // The process is still up and answers.
    let health = sweep.http.get(format!("{}/healthz", sweep.base)).send().await.map(|r| r.status());
    let exited = server.exited();
    let elapsed = started.elapsed();

    let mut problems = sweep.failures.clone();
    if !alive || exited.is_some() || !health.as_ref().is_ok_and(|s| *s == StatusCode::OK) {
        problems.push(format!("the server did not survive: exited {exited:?}, /healthz {health:?}"));
    }
    let documented: BTreeSet<&String> = ops.iter().map(|op| &op.key).collect();
    for (key, why) in LAST.iter().chain(SHALLOW).chain(NO_SUCCESS) {
        if !documented.contains(&key.to_string()) {
            problems.push(format!("{key} is listed ({why}) but is no operation of the document"));
        }
    }
    for op in &ops {
        let tally = sweep.ops.get(&op.key);
        match tally {
            None => problems.push(format!("{}: skipped, and no listed reason", op.key)),
            Some(t) if !t.reached && !SHALLOW.iter().any(|(k, _)| *k == op.key) => {
                problems.push(format!("{}: every answer was 401/403: the sweep never got past the credential check", op.key))
            }
            _ => {}
        }
    }
    let text_ops = sweep.ops.values().filter(|t| t.text_fields > 0).count();
    let text_fields: usize = sweep.ops.values().map(|t| t.text_fields).sum();
    let statuses = sweep.by_status.iter().map(|(s, n)| format!("{s}×{n}")).collect::<Vec<_>>().join(" ");
    let line = format!(
        "hostile sweep on {engine} (seed {seed}): {} operations, {} cases ({text_fields} text fields of {text_ops} operations probed with \
         hidden characters), answers {statuses}; {:.1} s ({:.1} s set-up)\n",
        ops.len(),
        sweep.sent,
        elapsed.as_secs_f64(),
        setup.as_secs_f64()
    );
    // Past the test harness's capture: `make test` shows the numbers.
    let _ = std::io::stderr().write_all(line.as_bytes());
    if let Ok(path) = std::env::var("SWEEP_REPORT") {
        let _ = std::fs::write(path, problems.join("\n"));
    }
    if !problems.is_empty() {
        let server_log = std::fs::read_to_string(&log).unwrap_or_default();
        let faults: Vec<&str> =
            server_log.lines().filter(|l| l.contains("panicked") || l.contains("internal error") || l.contains("ERROR")).take(40).collect();
        panic!(
            "{} problems (first 80):\n{}\n\nthe server's errors:\n{}\n{line}",
            problems.len(),
            problems.iter().take(80).cloned().collect::<Vec<_>>().join("\n"),
            faults.join("\n")
        );
    }
}
