//! Every answer the tests observe must be documented: the test server records each
//! (method, path, status) it sends, and when a `TestApp` is dropped the recorded answers
//! are checked against the OpenAPI document (`undocumented`). A status an operation
//! answers but does not list fails the test that provoked it.

use std::sync::{Arc, Mutex};

use axum::{extract::Request, middleware::Next, response::Response, Router};
use serde_json::Value;

/// The answers a test server sent: method, path (without query), status.
pub type Seen = Arc<Mutex<Vec<(String, String, u16)>>>;

/// Wraps `router` so every answer is recorded in `seen`.
pub fn record(router: Router, seen: Seen) -> Router {
    router.layer(axum::middleware::from_fn(move |req: Request, next: Next| {
        let seen = seen.clone();
        async move {
            let (method, path) = (req.method().to_string(), req.uri().path().to_string());
            let res: Response = next.run(req).await;
            seen.lock().unwrap().push((method, path, res.status().as_u16()));
            res
        }
    }))
}

/// The document as JSON.
pub fn document() -> Value {
    mall_api::openapi::document()
}

/// Whether a concrete path matches a template such as `/api/orders/{id}/cancel`.
fn matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

/// The answers in `seen` whose operation exists in `doc` but does not list their status.
/// Answers outside the documented operations (unknown paths, methods a path does not
/// take, the app's static files) are not operations and are skipped.
pub fn undocumented(doc: &Value, seen: &[(String, String, u16)]) -> Vec<String> {
    let paths = doc["paths"].as_object().expect("paths");
    let mut missing = Vec::new();
    for (method, path, status) in seen {
        let Some(op) = paths.iter().filter(|(t, _)| matches(t, path)).find_map(|(_, item)| item.get(method.to_lowercase())) else {
            continue;
        };
        let line = format!("{method} {path} answered {status}, not documented for this operation");
        if op["responses"].get(status.to_string()).is_none() && !missing.contains(&line) {
            missing.push(line);
        }
    }
    missing
}
