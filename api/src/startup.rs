//! Builds the application: database, state, router and middleware; binds the socket.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    extract::{DefaultBodyLimit, Request},
    http::{HeaderName, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use mall_core::ErrorCode;
use tokio::net::TcpListener;
use tower_http::{
    catch_panic::CatchPanicLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::{
    clock::Clock,
    config::Config,
    db,
    domain::admission::SaleAdmission,
    error::AppError,
    openapi, routes, security,
    state::{AppState, MerchantToken},
    static_files,
};

/// The largest request body the API reads, except an image upload (`IMAGE_MAX_BYTES`).
pub const BODY_LIMIT: usize = 16 * 1024;

/// Binds each configured merchant token to the merchant record of its slug: an unknown
/// slug stops start-up, except the demo's own token (dropped when the demo partner is not
/// there, e.g. `SEED_DEMO=false`).
async fn merchant_tokens(config: &Config, pool: &db::Pool) -> Result<Vec<MerchantToken>, String> {
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (slug, token) in &config.merchants {
        match db::merchants::by_slug(&mut conn, slug).await.map_err(|e| e.to_string())? {
            Some(m) => out.push(MerchantToken { slug: slug.clone(), merchant_id: m.id, name: m.name_zh, token: token.clone() }),
            None if config.demo_login && crate::config::is_dev_merchant_token(slug, token) => {}
            None => return Err(format!("MERCHANT_TOKENS names {slug:?}, which is no merchant's slug (create the merchant first)")),
        }
    }
    Ok(out)
}

/// A built, bound server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Connects and migrates the database, seeds demo data if asked, binds the address.
    pub async fn build(config: Config) -> Result<Application, Box<dyn std::error::Error>> {
        Self::build_with_clock(config, Clock::default()).await
    }

    /// As `build`, with a given clock.
    pub async fn build_with_clock(config: Config, clock: Clock) -> Result<Application, Box<dyn std::error::Error>> {
        let db::Pools { reader: pool, writer } = db::connect(&config.database_url, config.database_pool_size).await?;
        let rules = Arc::new(crate::domain::rules::RuleBook::open(pool.clone(), &writer, &config.release_rules, clock.now_secs()).await?);
        let demo_staff = config.demo_login;
        let now = clock.now_secs();
        if config.seed_demo && crate::domain::seed::seed_if_empty(&writer, config.zone, &rules.in_force(now), now, demo_staff).await? {
            tracing::info!("loaded the demo data");
        }
        let l = &config.limits;
        let hashing = Arc::new(crate::domain::passwords::Hashing::new(l.hashing_permits, l.hashing_queue, l.hashing_wait));
        if !config.demo_login {
            crate::domain::staff::refuse_published_passwords(&pool, &hashing).await?;
        }
        let streams = Arc::new(crate::domain::streams::Streams::new(l.streams_per_member));
        let merchant_tokens = Arc::new(merchant_tokens(&config, &pool).await?);
        let listener = TcpListener::bind(config.addr).await?;
        let admission = Arc::new(SaleAdmission::new(config.grab_per_second, config.grab_burst));
        let policy = Arc::new(security::Policy::new(&config.static_dir, config.host_origins.clone()));
        let state = AppState { pool, writer, policy, config: Arc::new(config), rules, clock, admission, merchant_tokens, hashing, streams };
        crate::db::events::spawn_listener(&state.pool).await?;
        crate::domain::streams::spawn_dispatcher(state.streams.clone(), state.pool.clone(), state.clock.clone());
        state.rules.spawn_refresher(state.config.limits.rules_refresh);
        let every = Duration::from_secs(state.config.limits.sweep_seconds);
        crate::domain::sweep::spawn(
            state.pool.clone(),
            state.writer.clone(),
            state.clock.clone(),
            state.config.zone,
            state.rules.clone(),
            every,
        );
        if let Some(url) = &state.config.host_webhook_url {
            let dispatcher = crate::domain::outbox::Dispatcher {
                reader: state.pool.clone(),
                writer: state.writer.clone(),
                clock: state.clock.clone(),
                rules: state.rules.clone(),
                url: url.clone(),
                secret: state.config.hook_secret.clone(),
                timeout: state.config.limits.webhook_timeout,
            };
            crate::domain::outbox::spawn(dispatcher, state.config.limits.webhook_poll)?;
        }
        let router = router(state.clone());
        Ok(Application { listener, router, state })
    }

    /// The bound address (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound socket has an address")
    }

    /// Wraps the whole router in `f` (tests record every answer this way).
    pub fn map_router(mut self, f: impl FnOnce(Router) -> Router) -> Application {
        self.router = f(self.router);
        self
    }

    /// The state, for tests that look inside.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until Ctrl-C / SIGTERM; then ends the live-notice streams (which never end
    /// by themselves) and lets the other requests finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let app = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let streams = self.state.streams.clone();
        let stopping = async move {
            shutdown_signal().await;
            streams.close_all();
        };
        axum::serve(self.listener, app).with_graceful_shutdown(stopping).await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

fn panic_to_json(_: Box<dyn std::any::Any + Send>) -> Response {
    AppError::internal("a handler panicked").into_response()
}

async fn api_not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "no such API path")
}

async fn api_method_not_allowed() -> AppError {
    AppError::new(ErrorCode::MethodNotAllowed, "this path does not take that method")
}

/// The whole HTTP surface: `/healthz`, `/api/…`, uploaded images at `/media/{name}`, and
/// the app for everything else.
pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    // Every request gets an id for its log lines; only API answers carry it back (static
    // files are paid for header by header on a first visit).
    let api = Router::from(routes::api_router())
        .route("/openapi.json", get(openapi::serve))
        .fallback(api_not_found)
        .method_not_allowed_fallback(api_method_not_allowed)
        .layer(middleware::from_fn_with_state(state.policy.clone(), security::check_origin))
        .layer(middleware::from_fn(security::api_no_store))
        .layer(PropagateRequestIdLayer::new(request_id.clone()));
    Router::new()
        .merge(Router::from(routes::health::router()))
        .route("/media/{name}", get(routes::catalog_admin::media))
        .nest(routes::API_PREFIX, api)
        .fallback_service(static_files::service(&state))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.policy.clone(), security::headers))
        .with_state(state)
        .layer(CatchPanicLayer::custom(panic_to_json))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                .on_response(|res: &Response, latency: Duration, _span: &tracing::Span| {
                    let status = res.status();
                    if status == StatusCode::INTERNAL_SERVER_ERROR {
                        tracing::warn!(%status, ?latency, "response");
                    } else {
                        tracing::debug!(%status, ?latency, "response");
                    }
                }),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}
