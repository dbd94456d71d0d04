//! Configuration: defaults for a development machine, each overridable by an
//! environment variable (see the README for the list).

use std::{net::SocketAddr, path::PathBuf};

use chrono_tz::Tz;
use mall_core::Rules;

/// Everything the server reads at start-up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (`HOST`, `PORT`; default 127.0.0.1:8080).
    pub addr: SocketAddr,
    /// `DATABASE_URL`, default `sqlite://data/mall.db`; `sqlite:` or `postgres://` URLs
    /// (`db::Engine::of_url`).
    pub database_url: String,
    /// `DATABASE_POOL_SIZE` (default 10): PostgreSQL connections per process. With N
    /// replicas the server must allow N × this (plus room for maintenance).
    pub database_pool_size: u32,
    /// `STATIC_DIR`: the built app (default `dist`).
    pub static_dir: PathBuf,
    /// `MALL_TIME_ZONE`: the zone of the local day (default Asia/Shanghai).
    pub zone: Tz,
    /// `TICKET_SECRET`: shared with the host app for signed tickets.
    pub ticket_secret: String,
    /// `DEMO_LOGIN` (`true`/`false`, default true): the seeded-member login.
    pub demo_login: bool,
    /// `SEED_DEMO` (default: as `DEMO_LOGIN`): load the demo data into an empty
    /// database. With `DEMO_LOGIN=false` the demo catalogue loads without its staff.
    pub seed_demo: bool,
    /// `COOKIE_SECURE` (default false): mark the session cookie `Secure` (HTTPS).
    pub cookie_secure: bool,
    /// `HOST_ORIGINS`: host apps on other sites that frame the mall (see `security`).
    pub host_origins: Vec<String>,
    /// `TRUSTED_PROXY_HEADER` (e.g. `X-Forwarded-For`): where the client address is read
    /// when a proxy in front sets it (its last value: what the proxy saw); unset, the
    /// socket's peer address is the client (any such header is ignored).
    pub trusted_proxy_header: Option<axum::http::HeaderName>,
    /// `OPERATOR_TOKEN`: the operator credential (`Authorization: Bearer …`); none = operator API off.
    pub operator_token: Option<String>,
    /// `HOOK_SECRET`: HMAC key of the host shop's server-to-server hooks.
    pub hook_secret: String,
    /// `HOOK_SECRET_PREVIOUS`: the key being rotated out, still accepted (rotation
    /// without downtime).
    pub hook_secret_previous: Option<String>,
    /// `HOOK_ACCEPT_V1` (default false): accept bare v1 signatures on calls with a body
    /// (deprecated; one release).
    pub hook_accept_v1: bool,
    /// `MERCHANT_TOKENS`: `slug=token;slug=token` automation credentials, each bound to
    /// the merchant record with that slug (resolved at start-up).
    pub merchants: Vec<(String, String)>,
    /// `HOST_PAY_URL`: the host's payment page for the cash part of a price; none = items
    /// with a cash part are not redeemable.
    pub host_pay_url: Option<String>,
    /// `HOST_WEBHOOK_URL`: where the mall posts its signed notices for members (the
    /// outbox, `domain::outbox`); none = events are still written, nothing is sent.
    pub host_webhook_url: Option<String>,
    /// `PAYMENT_WINDOW` (whole minutes, default 15): how long an order with a cash part
    /// waits for the host's confirmation before it lapses, in seconds.
    pub payment_window_seconds: i64,
    /// `SELF_CLAIMED_TASKS` (default: as `DEMO_LOGIN`): pay tasks the member claims with a
    /// tap (share, review, profile), which the mall cannot see happen.
    pub self_claimed_tasks: bool,
    /// Tests only: limits redemption codes to this many distinct values (forces collisions).
    pub code_space: Option<u32>,
    /// Grab attempts a member may burst, and refill per second (`GRAB_BURST`, `GRAB_PER_SECOND`).
    pub grab_burst: u32,
    /// See `grab_burst`.
    pub grab_per_second: u32,
    /// `DEV_CLOCK` (default false): allow `POST /api/dev/clock` to move the clock. Refused
    /// together with `DEMO_LOGIN=false`, so a production setup cannot enable it.
    pub dev_clock: bool,
    /// The release's rules (`Rules::default()`): version 1 of the rules, written on the
    /// first start of a database that has none. After that the database holds the rules
    /// (operators change them as versions, `domain::rules`); tests change this one.
    pub release_rules: Rules,
    /// Server limits.
    pub limits: Limits,
}

/// Server-side limits that are not product rules.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How long a session cookie lasts, in seconds.
    pub session_seconds: i64,
    /// How long a staff session lasts, in seconds (12 h).
    pub staff_session_seconds: i64,
    /// Staff sign-in attempts allowed per client address (IPv4, or IPv6 /64) in one window.
    pub staff_login_per_address: i64,
    /// The length of a sign-in limit window, in seconds (also how long a username's
    /// failures are remembered).
    pub staff_login_window_seconds: i64,
    /// Failures of a username in the window before its failing addresses are delayed.
    pub staff_login_free_failures: i64,
    /// The longest delay between two attempts of a failing address for one username, in
    /// seconds (the delay doubles from 1 s up to this).
    pub staff_login_delay_cap_seconds: i64,
    /// Password hashes (argon2id, 19 MiB each) running at once in this process.
    pub hashing_permits: usize,
    /// Requests waiting for a hashing permit before more are refused as busy (429).
    pub hashing_queue: usize,
    /// How long a request waits for a hashing permit before it is refused as busy.
    pub hashing_wait: std::time::Duration,
    /// Between two heartbeats of a live-notice stream (each one re-checks its session).
    pub events_heartbeat: std::time::Duration,
    /// Live-notice streams one member may hold on one replica; a new one closes the oldest.
    pub streams_per_member: usize,
    /// The longest lifetime a host ticket may claim, in seconds.
    pub ticket_max_seconds: i64,
    /// How far a signed hook's timestamp may be from the server clock, in seconds.
    pub hook_max_skew_seconds: i64,
    /// Seconds between expiry sweeps.
    pub sweep_seconds: u64,
    /// How often a replica asks the database for new rules versions: the longest another
    /// replica's change takes to be seen here.
    pub rules_refresh: std::time::Duration,
    /// How often a replica's webhook dispatcher looks for deliveries due.
    pub webhook_poll: std::time::Duration,
    /// How long one webhook delivery may take before it counts as failed.
    pub webhook_timeout: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            session_seconds: 30 * 24 * 3600,
            staff_session_seconds: 12 * 3600,
            staff_login_per_address: 30,
            staff_login_window_seconds: 15 * 60,
            staff_login_free_failures: 5,
            staff_login_delay_cap_seconds: 60,
            hashing_permits: 2,
            hashing_queue: 16,
            hashing_wait: std::time::Duration::from_secs(10),
            events_heartbeat: std::time::Duration::from_secs(20),
            streams_per_member: 3,
            ticket_max_seconds: 10 * 60,
            hook_max_skew_seconds: 5 * 60,
            sweep_seconds: 300,
            rules_refresh: std::time::Duration::from_secs(2),
            webhook_poll: std::time::Duration::from_secs(1),
            webhook_timeout: std::time::Duration::from_secs(10),
        }
    }
}

/// Development secrets; refused when `DEMO_LOGIN=false` (a production setup).
const DEV_TICKET_SECRET: &str = "dev-only-ticket-secret-change-me";
const DEV_HOOK_SECRET: &str = "dev-only-hook-secret-change-me";
/// The demo operator credential, only with the demo login on (documented in the README).
pub const DEV_OPERATOR_TOKEN: &str = "dev-operator-token";
/// The demo merchant token's merchant (a demo partner) and its credential, only with the
/// demo login on.
pub const DEV_MERCHANT: &str = "starbucks";
const DEV_MERCHANT_TOKEN: &str = "dev-merchant-token";

/// Whether `slug=token` is the demo's own merchant token (the default with the demo login).
pub fn is_dev_merchant_token(slug: &str, token: &str) -> bool {
    slug == DEV_MERCHANT && token == DEV_MERCHANT_TOKEN
}

/// Every secret and token written anywhere in this repository (development defaults,
/// tests, examples). A production start (`DEMO_LOGIN=false`) refuses any of them: they
/// are published. `api/tests/api/production.rs` scans the repository so none is missed.
pub const PUBLISHED_SECRETS: &[&str] = &[
    DEV_TICKET_SECRET,
    DEV_HOOK_SECRET,
    DEV_OPERATOR_TOKEN,
    DEV_MERCHANT_TOKEN,
    "test-ticket-secret-0123456789",
    "test-hook-secret-0123456789",
    "test-hook-secret-previous-0123",
    "test-operator-token-0123456789",
    "test-merchant-token-0123456789",
    "a-real-ticket-secret-0123",
    "a-real-hook-secret-0123",
    "some-other-secret-0123456789",
    "e2e-cash-payment-hook-secret",
    "e2e-host-notices-hook-secret",
];

/// `slug=token;slug=token` → pairs; tokens of at least 16 characters.
fn parse_merchants(list: &str) -> Result<Vec<(String, String)>, String> {
    list.split(';')
        .filter(|p| !p.trim().is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((slug, token)) if !slug.trim().is_empty() && token.trim().len() >= 16 => {
                Ok((slug.trim().to_string(), token.trim().to_string()))
            }
            _ => Err("MERCHANT_TOKENS must be slug=token pairs separated by ';' (the slug of a merchant record), tokens of 16+ characters"
                .to_string()),
        })
        .collect()
}

/// The payment window when `PAYMENT_WINDOW` is unset, in minutes.
pub const DEFAULT_PAYMENT_WINDOW_MINUTES: i64 = 15;
/// The longest payment window, in minutes (a day).
pub const MAX_PAYMENT_WINDOW_MINUTES: i64 = 24 * 60;

/// `PAYMENT_WINDOW`: whole minutes from 1 to a day → seconds.
pub fn payment_window(value: Option<&str>) -> Result<i64, String> {
    let Some(v) = value else { return Ok(DEFAULT_PAYMENT_WINDOW_MINUTES * 60) };
    match v.trim().parse::<i64>() {
        Ok(m) if (1..=MAX_PAYMENT_WINDOW_MINUTES).contains(&m) => Ok(m * 60),
        _ => Err(format!("PAYMENT_WINDOW must be a whole number of minutes from 1 to {MAX_PAYMENT_WINDOW_MINUTES}, not {v:?}")),
    }
}

/// `HOST_PAY_URL`: an `https://` address; with the demo login also `http://` on a loopback
/// host (a host simulator on the same machine, `scripts/host-sim.sh pay-page`).
pub fn check_pay_url(u: &str, demo_login: bool) -> Result<String, String> {
    check_host_url("HOST_PAY_URL", u, demo_login)
}

/// A host address named `name` (`HOST_PAY_URL`, `HOST_WEBHOOK_URL`): `https://`; with the
/// demo login also `http://` on a loopback host (`scripts/host-sim.sh`).
pub fn check_host_url(name: &str, u: &str, demo_login: bool) -> Result<String, String> {
    let well_formed = |rest: &str| !rest.is_empty() && !rest.starts_with('/') && !u.contains(char::is_whitespace) && !u.contains('#');
    if u.strip_prefix("https://").is_some_and(well_formed) {
        return Ok(u.to_string());
    }
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| u.strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/'])));
    match loopback && demo_login && well_formed(&u["http://".len()..]) {
        true => Ok(u.to_string()),
        false => Err(format!("{name} must be an https:// address (http:// only on a loopback host with DEMO_LOGIN=true), not {u:?}")),
    }
}

/// Refuses, in production, a secret that this repository publishes.
fn unpublished(name: &str, value: &str) -> Result<(), String> {
    match PUBLISHED_SECRETS.contains(&value) {
        true => Err(format!("{name} is a value published in the mall's repository; with DEMO_LOGIN=false set your own")),
        false => Ok(()),
    }
}

/// An environment variable: `None` when unset; an error (naming it) when it is set but
/// not valid UTF-8, so a value is never silently replaced by the default.
pub fn var(name: &str) -> Result<Option<String>, String> {
    match std::env::var(name) {
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("{name} is not valid UTF-8")),
    }
}

fn env_bool(name: &str, default: bool) -> Result<bool, String> {
    match var(name)? {
        None => Ok(default),
        Some(v) => match v.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(format!("{name} must be true or false (also 1/0, yes/no, on/off), not {v:?}")),
        },
    }
}

impl Config {
    /// Reads the environment. A value it cannot use is an error naming the variable and
    /// what it accepts, never a silent default.
    pub fn from_env() -> Result<Config, String> {
        let host = var("HOST")?.unwrap_or_else(|| "127.0.0.1".into());
        let port = var("PORT")?.unwrap_or_else(|| "8080".into());
        let port: u16 = port.parse().map_err(|_| format!("PORT must be a port number from 0 to 65535, not {port:?}"))?;
        let ip: std::net::IpAddr = host.parse().map_err(|_| format!("HOST must be an IP address such as 127.0.0.1, not {host:?}"))?;
        let addr = SocketAddr::new(ip, port);
        let zone = var("MALL_TIME_ZONE")?.unwrap_or_else(|| "Asia/Shanghai".into());
        let zone: Tz = zone.parse().map_err(|_| format!("MALL_TIME_ZONE must be an IANA zone such as Asia/Shanghai, not {zone:?}"))?;
        let database_url = var("DATABASE_URL")?.unwrap_or_else(|| "sqlite://data/mall.db".into());
        crate::db::check_url(&database_url)?;
        let static_dir = var("STATIC_DIR")?.unwrap_or_else(|| "dist".into());
        if static_dir.trim().is_empty() {
            return Err("STATIC_DIR must be a directory path, not empty".into());
        }
        let demo_login = env_bool("DEMO_LOGIN", true)?;
        if demo_login && !ip.is_loopback() && !env_bool("DEMO_ON_NETWORK", false)? {
            return Err(format!(
                "DEMO_LOGIN=true publishes demo logins and secrets: it listens only on a loopback HOST, not {host}. \
                 Set DEMO_LOGIN=false for production, or DEMO_ON_NETWORK=true to show the demo on a network on purpose"
            ));
        }
        let host_pay_url = var("HOST_PAY_URL")?.filter(|u| !u.is_empty()).map(|u| check_pay_url(&u, demo_login)).transpose()?;
        let host_webhook_url =
            var("HOST_WEBHOOK_URL")?.filter(|u| !u.is_empty()).map(|u| check_host_url("HOST_WEBHOOK_URL", &u, demo_login)).transpose()?;
        let payment_window_seconds = payment_window(var("PAYMENT_WINDOW")?.as_deref())?;
        let ticket_secret = var("TICKET_SECRET")?.unwrap_or_else(|| DEV_TICKET_SECRET.into());
        if !demo_login && ticket_secret == DEV_TICKET_SECRET {
            return Err("TICKET_SECRET must be set when DEMO_LOGIN=false".into());
        }
        if ticket_secret.len() < 16 {
            return Err("TICKET_SECRET must be at least 16 characters".into());
        }
        let hook_secret = var("HOOK_SECRET")?.unwrap_or_else(|| DEV_HOOK_SECRET.into());
        if hook_secret.len() < 16 {
            return Err("HOOK_SECRET must be at least 16 characters".into());
        }
        if !demo_login && hook_secret == DEV_HOOK_SECRET {
            return Err("HOOK_SECRET must be set when DEMO_LOGIN=false".into());
        }
        let dev_clock = env_bool("DEV_CLOCK", false)?;
        if dev_clock && !demo_login {
            return Err("DEV_CLOCK cannot be enabled with DEMO_LOGIN=false (a production setup)".into());
        }
        let operator_token = var("OPERATOR_TOKEN")?.filter(|t| !t.is_empty());
        let hook_secret_previous = var("HOOK_SECRET_PREVIOUS")?.filter(|t| !t.is_empty());
        if hook_secret_previous.as_ref().is_some_and(|t| t.len() < 16) {
            return Err("HOOK_SECRET_PREVIOUS must be at least 16 characters (empty = none)".into());
        }
        let merchants = match var("MERCHANT_TOKENS")? {
            Some(list) => parse_merchants(&list)?,
            None if demo_login => vec![(DEV_MERCHANT.to_string(), DEV_MERCHANT_TOKEN.to_string())],
            None => Vec::new(),
        };
        let number = |name: &str, default: u32| -> Result<u32, String> {
            var(name)?.map_or(Ok(default), |v| {
                v.parse().ok().filter(|n| *n > 0).ok_or(format!("{name} must be a whole number from 1 to {}, not {v:?}", u32::MAX))
            })
        };
        if operator_token.as_ref().is_some_and(|t| t.len() < 16) {
            return Err("OPERATOR_TOKEN must be at least 16 characters".into());
        }
        if !demo_login {
            unpublished("TICKET_SECRET", &ticket_secret)?;
            unpublished("HOOK_SECRET", &hook_secret)?;
            hook_secret_previous.as_deref().map_or(Ok(()), |s| unpublished("HOOK_SECRET_PREVIOUS", s))?;
            operator_token.as_deref().map_or(Ok(()), |s| unpublished("OPERATOR_TOKEN", s))?;
            merchants.iter().try_for_each(|(_, token)| unpublished("MERCHANT_TOKENS", token))?;
        }
        let cookie_secure = env_bool("COOKIE_SECURE", false)?;
        let trusted_proxy_header = match var("TRUSTED_PROXY_HEADER")?.filter(|h| !h.is_empty()) {
            None => None,
            Some(h) => Some(
                axum::http::HeaderName::from_bytes(h.trim().as_bytes())
                    .map_err(|_| format!("TRUSTED_PROXY_HEADER must be a header name such as X-Forwarded-For, not {h:?}"))?,
            ),
        };
        let host_origins = crate::security::parse_host_origins(&var("HOST_ORIGINS")?.unwrap_or_default())?;
        if !host_origins.is_empty() && !cookie_secure {
            return Err(
                "HOST_ORIGINS needs HTTPS: a framed mall's cookie is SameSite=None; Secure, so set COOKIE_SECURE=true behind HTTPS".into(),
            );
        }
        Ok(Config {
            addr,
            database_url,
            database_pool_size: number("DATABASE_POOL_SIZE", 10)?,
            static_dir: static_dir.into(),
            zone,
            ticket_secret,
            demo_login,
            seed_demo: env_bool("SEED_DEMO", demo_login)?,
            cookie_secure,
            host_origins,
            trusted_proxy_header,
            operator_token: operator_token.or_else(|| demo_login.then(|| DEV_OPERATOR_TOKEN.to_string())),
            hook_secret,
            hook_secret_previous,
            hook_accept_v1: env_bool("HOOK_ACCEPT_V1", false)?,
            merchants,
            host_pay_url,
            host_webhook_url,
            payment_window_seconds,
            self_claimed_tasks: env_bool("SELF_CLAIMED_TASKS", demo_login)?,
            code_space: None,
            grab_burst: number("GRAB_BURST", 10)?,
            grab_per_second: number("GRAB_PER_SECOND", 5)?,
            dev_clock,
            release_rules: Rules::default(),
            limits: Limits::default(),
        })
    }

    /// A configuration for tests: port 0, the given database, demo data loaded.
    pub fn for_tests(database_url: String) -> Config {
        Config {
            addr: "127.0.0.1:0".parse().expect("loopback address"),
            database_url,
            database_pool_size: 10,
            static_dir: "dist".into(),
            zone: chrono_tz::Asia::Shanghai,
            ticket_secret: "test-ticket-secret-0123456789".into(),
            demo_login: true,
            seed_demo: true,
            cookie_secure: false,
            host_origins: Vec::new(),
            trusted_proxy_header: None,
            operator_token: Some("test-operator-token-0123456789".into()),
            hook_secret: "test-hook-secret-0123456789".into(),
            hook_secret_previous: None,
            hook_accept_v1: false,
            merchants: vec![(DEV_MERCHANT.into(), "test-merchant-token-0123456789".into())],
            host_pay_url: Some("https://host.example/pay".into()),
            host_webhook_url: None,
            payment_window_seconds: DEFAULT_PAYMENT_WINDOW_MINUTES * 60,
            self_claimed_tasks: true,
            code_space: None,
            grab_burst: 10,
            grab_per_second: 5,
            dev_clock: true,
            release_rules: Rules::default(),
            limits: Limits::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payment_window_is_whole_minutes_up_to_a_day() {
        assert_eq!(payment_window(None), Ok(15 * 60));
        assert_eq!(payment_window(Some("30")), Ok(30 * 60));
        for bad in ["0", "-1", "15m", "1441", "", "1.5"] {
            assert!(payment_window(Some(bad)).unwrap_err().contains("PAYMENT_WINDOW"), "{bad:?}");
        }
    }

    #[test]
    fn pay_url_is_https_or_a_loopback_simulator_in_the_demo() {
        assert!(check_pay_url("https://shop.example/pay?from=mall", false).is_ok());
        assert!(check_pay_url("http://127.0.0.1:9100/pay", true).is_ok());
        assert!(check_pay_url("http://localhost:9100/pay", true).is_ok());
        for (bad, demo) in [
            ("http://127.0.0.1:9100/pay", false),
            ("http://shop.example/pay", true),
            ("http://127.0.0.1.evil.example/pay", true),
            ("https://", false),
            ("https:///pay", false),
            ("https://shop.example/pay#x", false),
            ("https://shop.example/p ay", false),
            ("ftp://shop.example", true),
        ] {
            assert!(check_pay_url(bad, demo).is_err(), "{bad:?}");
            assert!(check_host_url("HOST_WEBHOOK_URL", bad, demo).unwrap_err().starts_with("HOST_WEBHOOK_URL"), "{bad:?}");
        }
    }
}
