//! Serves the built app: precompressed brotli/gzip when the client accepts it, hashed
//! files cached for a year, `index.html` never cached, and every unknown non-API path
//! answered with `index.html` so deep links and reloads work.

use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderValue, Method, Request, Response},
    middleware::{self, Next},
    routing::Router,
};
use mall_core::dto::ItemQuery;

use crate::{db, security, session, state::AppState};
use tower_http::services::{ServeDir, ServeFile};

/// Whether a file name carries Trunk's content hash (`name-0123456789abcdef.ext`).
fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.split('.').next().unwrap_or(file);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    // 16 hex for the main files, 10 for the route chunks (see scripts/assemble-dist.mjs).
    stem.rsplit_once('-').is_some_and(|(_, hash)| matches!(hash.len(), 10 | 16) && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn cache_headers(req: Request<Body>, next: Next) -> Response<Body> {
    let hashed = is_hashed(req.uri().path());
    let mut res = next.run(req).await;
    let is_html = security::is_html(res.headers());
    let policy = if is_html {
        "no-cache"
    } else if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=86400"
    };
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    // The same path answers brotli, gzip or plain bytes by Accept-Encoding.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    // Every header is paid for on each of a first visit's requests: no byte ranges (the
    // app never asks for them) and no validator on a file that is never revalidated.
    headers.remove(header::ACCEPT_RANGES);
    if hashed {
        headers.remove(header::LAST_MODIFIED);
    }
    res
}

/// With a member's session cookie, Home's HTML carries a `Link` header that preloads what
/// Home shows first: `/api/me`, today's sales and check-in month, the popular items (the
/// same URLs the app asks for) and their images, so they download while the wasm does. A
/// read only; on a database error the page is served without it.
async fn home_preloads(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response<Body> {
    let home = req.method() == Method::GET && req.uri().path() == "/";
    let member = session::token_from(req.headers()).is_some();
    let mut res = next.run(req).await;
    if !(home && member && res.status().is_success()) {
        return res;
    }
    let query = ItemQuery::home_popular();
    // Plain values (a sort name, a number): nothing to percent-encode.
    let params: Vec<String> = query.pairs().into_iter().map(|(name, value)| format!("{name}={value}")).collect();
    let items = format!("/api/items?{}", params.join("&"));
    let filter =
        db::items::ItemFilter { sort: query.sort.unwrap_or_default(), limit: query.limit.map_or(0, i64::from), ..Default::default() };
    let rows = match state.pool.acquire().await {
        Ok(mut conn) => db::items::list(&mut conn, &filter).await,
        Err(e) => Err(e),
    };
    let Ok(rows) = rows else { return res };
    let mut links: Vec<String> = ["/api/me", "/api/sales", "/api/checkins", &items]
        .iter()
        .map(|url| format!("<{url}>; rel=preload; as=fetch; crossorigin"))
        .collect();
    links.extend(rows.iter().map(|r| format!("<{}>; rel=preload; as=image; fetchpriority=high", r.image)));
    if let Ok(value) = HeaderValue::from_str(&links.join(", ")) {
        res.headers_mut().insert(header::LINK, value);
    }
    res
}

/// An invite link, `/?invite=CODE` (Me's invite card shares it), opens Me with the code:
/// a redirect to `/me?invite=CODE`, where the invite card (a lazy chunk) takes it, through
/// the sign-in when there is no session. Done here, so the first visit's shell carries no
/// code for it.
async fn invite_links(req: Request<Body>, next: Next) -> Response<Body> {
    let query = req.uri().query().filter(|q| q.split('&').any(|pair| pair.starts_with("invite=")));
    match query {
        Some(query) if req.method() == Method::GET && req.uri().path() == "/" => {
            let mut res = Response::new(Body::empty());
            *res.status_mut() = axum::http::StatusCode::SEE_OTHER;
            if let Ok(location) = HeaderValue::from_str(&format!("/me?{query}")) {
                res.headers_mut().insert(header::LOCATION, location);
            }
            res
        }
        _ => next.run(req).await,
    }
}

/// The app's files under `STATIC_DIR`, with the SPA fallback, Home's preloads and the
/// invite links' redirect (only here: API requests never pass through these).
pub fn service(state: &AppState) -> Router {
    let dir = &state.config.static_dir;
    let index = ServeFile::new(dir.join("index.html")).precompressed_br().precompressed_gzip();
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(index);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
        .layer(middleware::from_fn_with_state(state.clone(), home_preloads))
        .layer(middleware::from_fn(invite_links))
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names() {
        assert!(is_hashed("/mall-app-5b3f0c2d9e8a7b6c_bg.wasm"));
        assert!(is_hashed("/mall-app-5b3f0c2d9e8a7b6c.js"));
        assert!(is_hashed("/main-0123456789abcdef.css"));
        assert!(is_hashed("/chunk_12-0123456789.wasm"));
        assert!(!is_hashed("/chunk_12-012345678.wasm"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/img/items/luckin-voucher.svg"));
    }
}
