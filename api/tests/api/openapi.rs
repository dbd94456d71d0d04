//! The OpenAPI document loads whole (every `$ref` resolves) and lists every status each
//! operation answers: the test server records every answer of every API test and checks
//! it on drop (`documented`); here every operation is also driven down its error paths
//! (no credentials, no JSON content type, malformed and invalid bodies, an oversized body,
//! unreadable path and query parameters, a malformed Idempotency-Key).

use reqwest::{Method, RequestBuilder};
use serde_json::Value;

use crate::{
    documented::{document, undocumented},
    helpers::spawn_app,
};

fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r);
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_ref_in_the_document_resolves() {
    let doc = document();
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 50, "the document has references ({})", found.len());
    let unresolved: Vec<&str> = found
        .into_iter()
        .filter(|r| {
            let pointer = r.strip_prefix('#').expect("local reference");
            doc.pointer(pointer).is_none()
        })
        .collect();
    assert!(unresolved.is_empty(), "unresolved references: {unresolved:?}");
}

#[test]
fn the_check_catches_a_status_the_document_does_not_list() {
    let doc = document();
    let seen = |m: &str, p: &str, s: u16| vec![(m.to_string(), p.to_string(), s)];
    assert_eq!(undocumented(&doc, &seen("POST", "/api/orders", 201)), Vec::<String>::new());
    assert_eq!(undocumented(&doc, &seen("POST", "/api/orders/12/cancel", 409)), Vec::<String>::new());
    assert_eq!(undocumented(&doc, &seen("POST", "/api/orders", 418)).len(), 1, "an unlisted status is caught");
    assert_eq!(undocumented(&doc, &seen("GET", "/api/time", 404)).len(), 1, "an unlisted status is caught");
    assert!(undocumented(&doc, &seen("GET", "/api/nowhere", 404)).is_empty(), "no operation, nothing to check");
    assert!(undocumented(&doc, &seen("DELETE", "/api/orders", 405)).is_empty(), "a method the path does not take is no operation");
}

/// A concrete value for a path parameter of `kind` (`integer` or `string`).
fn sample(kind: &str) -> &'static str {
    if kind == "integer" {
        "1"
    } else {
        "share"
    }
}

#[tokio::test]
async fn every_operation_answers_its_error_paths_as_documented() {
    let app = spawn_app().await;
    let doc = document();
    let operator = app.state.config.operator_token.clone().unwrap();
    let merchant = app.state.config.merchants[0].1.clone();
    let mut probes = 0;
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method: Method = method.to_uppercase().parse().unwrap();
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let mut path = template.clone();
            let mut bad_path = template.clone();
            for p in params.iter().filter(|p| p["in"] == "path") {
                let (name, kind) = (p["name"].as_str().unwrap(), p["schema"]["type"].as_str().unwrap_or("string"));
                path = path.replace(&format!("{{{name}}}"), sample(kind));
                bad_path = bad_path.replace(&format!("{{{name}}}"), if kind == "integer" { "not-a-number" } else { "%FF" });
            }
            let member = app.login(2).await;
            let staff = |rb: RequestBuilder| {
                if template.starts_with("/api/merchant") {
                    rb.bearer_auth(&merchant)
                } else {
                    rb.bearer_auth(&operator)
                }
            };
            let with_creds = |p: &str| staff(member.request(method.clone(), app.url(p)));
            let has_body = op.get("requestBody").is_some();
            let mut requests: Vec<RequestBuilder> = vec![
                // No credentials at all.
                app.client().request(method.clone(), app.url(&path)).json(&serde_json::json!({})),
                // An unknown query parameter, and one of the wrong type.
                with_creds(&format!("{path}?unexpected=1")),
                with_creds(&format!("{path}?limit=many")),
                // A malformed Idempotency-Key.
                with_creds(&path).header("idempotency-key", "has spaces").json(&serde_json::json!({})),
            ];
            if bad_path != path {
                requests.push(with_creds(&bad_path).json(&serde_json::json!({})));
            }
            if has_body {
                requests.extend([
                    with_creds(&path).body("plain text"),
                    with_creds(&path).header("content-type", "application/json").body("{"),
                    with_creds(&path).header("content-type", "application/json").body(""),
                    with_creds(&path).json(&serde_json::json!({ "unexpected": true })),
                    with_creds(&path).json(&serde_json::json!([1, 2])),
                    with_creds(&path).header("content-type", "application/json").body(format!("{{\"x\":\"{}\"}}", "a".repeat(20_000))),
                ]);
            }
            for rb in requests {
                let status = rb.send().await.unwrap().status();
                assert_ne!(status.as_u16(), 500, "{method} {path}: a probe caused a 500");
                probes += 1;
            }
        }
    }
    assert!(probes > 150, "{probes} probes sent");
    // Checked here for a clear failure, and again when `app` drops.
    let seen = app.seen();
    let statuses: std::collections::BTreeSet<u16> = seen.iter().map(|s| s.2).collect();
    for status in [400, 401, 403, 404, 413, 415, 422] {
        assert!(statuses.contains(&status), "the probes provoked no {status}: {statuses:?}");
    }
    let missing = undocumented(&doc, &seen);
    assert!(missing.is_empty(), "answers missing from the OpenAPI document:\n{}", missing.join("\n"));
}
