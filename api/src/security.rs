//! Browser security: headers on every response, a Content-Security-Policy on the app's
//! HTML that allows exactly its own inline boot script and styles, who may frame the
//! mall, and an Origin check on every write.
//!
//! By default only the mall itself may frame it (`frame-ancestors 'self'`) and the
//! session cookie is `SameSite=Lax`. A host app that frames the mall from another site
//! is listed in `HOST_ORIGINS`; then the cookie must cross sites (`SameSite=None; Secure;
//! Partitioned`), so the server refuses to start with it on plain HTTP
//! (`COOKIE_SECURE=false`), and writes are accepted only from the mall's own origin or
//! a listed one.

use std::{path::Path, sync::Arc};

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::Engine;
use mall_core::ErrorCode;
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// `HOST_ORIGINS`: `https://shop.example,https://m.shop.example` → origins; each must be
/// an `https://` origin without a path.
pub fn parse_host_origins(list: &str) -> Result<Vec<String>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|origin| {
            let host = origin.strip_prefix("https://").ok_or_else(|| format!("HOST_ORIGINS: {origin:?} must start with https://"))?;
            let valid =
                !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
            if valid {
                Ok(origin.to_ascii_lowercase())
            } else {
                Err(format!("HOST_ORIGINS: {origin:?} must be an origin such as https://shop.example (no path, no trailing slash)"))
            }
        })
        .collect()
}

/// The headers the app's pages are served with, worked out once at start-up.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The `Content-Security-Policy` of HTML responses.
    csp: HeaderValue,
    /// Host origins allowed to frame the mall and to send writes.
    host_origins: Vec<String>,
}

impl Policy {
    /// The policy for the built app in `static_dir`: its inline scripts are allowed by
    /// their SHA-256 (read from `index.html`), wasm may compile (`'wasm-unsafe-eval'`,
    /// never `'unsafe-eval'`), everything else comes from the mall itself.
    pub fn new(static_dir: &Path, host_origins: Vec<String>) -> Policy {
        let html = std::fs::read_to_string(static_dir.join("index.html")).unwrap_or_default();
        let script_hashes: String = inline_scripts(&html).map(|s| format!(" 'sha256-{}'", sha256_base64(s))).collect();
        let ancestors: String = host_origins.iter().map(|o| format!(" {o}")).collect();
        let csp = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{script_hashes}; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors 'self'{ancestors}"
        );
        Policy { csp: HeaderValue::from_str(&csp).expect("the CSP is ASCII"), host_origins }
    }

    /// Whether a cross-site host may frame the mall (the cookie must then cross sites).
    pub fn framed_cross_site(&self) -> bool {
        !self.host_origins.is_empty()
    }
}

/// The contents of `<script>` elements without `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attrs, body) = rest.split_once('>')?;
        let (body, _) = body.split_once("</script>")?;
        (!attrs.contains("src=")).then_some(body)
    })
}

fn sha256_base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// Whether an answer is an HTML page (the app's `index.html`).
pub fn is_html(headers: &HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"))
}

/// Adds `X-Content-Type-Options` to every response; to HTML, the `Referrer-Policy` (a
/// browser applies it only to documents, workers and stylesheets, and the mall serves no
/// stylesheet files, so on other answers it would be bytes for nothing), the CSP and
/// `X-Frame-Options` (for webviews that predate `frame-ancestors`).
pub async fn headers(State(policy): State<Arc<Policy>>, req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if is_html(headers) {
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
        headers.insert(header::CONTENT_SECURITY_POLICY, policy.csp.clone());
        if !policy.framed_cross_site() {
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
        }
    }
    res
}

/// `Cache-Control: no-store` on every API answer that sets no policy of its own: balances,
/// codes, orders and the CSV exports are personal, and no shared cache (a proxy, a
/// webview's disk cache) may keep them.
pub async fn api_no_store(req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    res
}

/// The mall's own origin as the member's browser reached it: the request's `Origin` when it
/// names the `Host` the request came to (every browser POST carries it), else the `Host`
/// with `https://` behind HTTPS (`COOKIE_SECURE=true`) or `http://`. `None` without a
/// usable `Host`.
pub fn own_origin(headers: &HeaderMap, https: bool) -> Option<String> {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')))?;
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match origin {
        Some(o) if o.strip_prefix("https://").or_else(|| o.strip_prefix("http://")).is_some_and(|rest| rest.eq_ignore_ascii_case(host)) => {
            Some(o.to_ascii_lowercase())
        }
        _ => Some(format!("{}://{}", if https { "https" } else { "http" }, host.to_ascii_lowercase())),
    }
}

/// Refuses a write whose `Origin` is neither the mall's own nor a listed host's (403).
/// Requests without `Origin` (the host's server-to-server hooks, non-browser clients)
/// carry no ambient browser credentials across sites and pass.
pub async fn check_origin(State(policy): State<Arc<Policy>>, req: Request<Body>, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        if let Some(origin) = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            let own = req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).is_some_and(|host| {
                origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://")).is_some_and(|o| o.eq_ignore_ascii_case(host))
            });
            let listed = policy.host_origins.iter().any(|o| o.eq_ignore_ascii_case(origin));
            if !own && !listed {
                return AppError::new(ErrorCode::Forbidden, format!("writes from {origin} are not accepted (see HOST_ORIGINS)"))
                    .into_response();
            }
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_origin_is_the_browsers_when_it_names_the_host() {
        let headers = |pairs: &[(header::HeaderName, &str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(k.clone(), HeaderValue::from_str(v).unwrap());
            }
            h
        };
        let same = headers(&[(header::HOST, "mall.example"), (header::ORIGIN, "https://mall.example")]);
        assert_eq!(own_origin(&same, false).as_deref(), Some("https://mall.example"));
        let framed = headers(&[(header::HOST, "mall.example"), (header::ORIGIN, "https://shop.example")]);
        assert_eq!(own_origin(&framed, true).as_deref(), Some("https://mall.example"));
        let plain = headers(&[(header::HOST, "127.0.0.1:8080")]);
        assert_eq!(own_origin(&plain, false).as_deref(), Some("http://127.0.0.1:8080"));
        assert_eq!(own_origin(&headers(&[(header::HOST, "evil.example/x?")]), false), None);
        assert_eq!(own_origin(&HeaderMap::new(), false), None);
    }

    #[test]
    fn host_origins_are_https_origins() {
        assert_eq!(
            parse_host_origins(" https://Shop.example , https://m.shop.example:8443").unwrap(),
            ["https://shop.example", "https://m.shop.example:8443"]
        );
        assert!(parse_host_origins("").unwrap().is_empty());
        assert!(parse_host_origins("http://shop.example").is_err());
        assert!(parse_host_origins("https://shop.example/").is_err());
        assert!(parse_host_origins("https://shop.example/mall").is_err());
        assert!(parse_host_origins("shop.example").is_err());
    }

    #[test]
    fn inline_scripts_only() {
        let html = r#"<script>a()</script><script type="module">b()</script><script src="/x.js"></script>"#;
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), ["a()", "b()"]);
    }
}
