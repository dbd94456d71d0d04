//! Configuration: defaults for a development machine, each overridable by an
//! environment variable (see the README for the list).

use std::{net::SocketAddr, path::PathBuf};

use chrono_tz::Tz;
use mall_core::TierTable;

/// Everything the server reads at start-up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (`HOST`, `PORT`; default 127.0.0.1:8080).
    pub addr: SocketAddr,
    /// `DATABASE_URL`, default `sqlite://data/mall.db`.
    pub database_url: String,
    /// `STATIC_DIR`: the built app (default `dist`).
    pub static_dir: PathBuf,
    /// `MALL_TIME_ZONE`: the zone of the local day (default Asia/Shanghai).
    pub zone: Tz,
    /// `TICKET_SECRET`: shared with the host app for signed tickets.
    pub ticket_secret: String,
    /// `DEMO_LOGIN` (`true`/`false`, default true): the seeded-member login.
    pub demo_login: bool,
    /// `SEED_DEMO` (default true): load the demo data into an empty database.
    pub seed_demo: bool,
    /// `COOKIE_SECURE` (default false): mark the session cookie `Secure` (HTTPS).
    pub cookie_secure: bool,
    /// The mall's rules (tiers; more in later issues).
    pub rules: Rules,
}

/// The mall's numbers, in one place. The app reads them from the API.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Growth thresholds of the tiers.
    pub tiers: TierTable,
    /// Lots expire at the end of the local day this many months after earning.
    pub lot_lifetime_months: u32,
    /// "Expiring soon" looks this many days ahead.
    pub expiring_soon_days: i64,
    /// How long a session cookie lasts, in seconds.
    pub session_seconds: i64,
    /// The longest lifetime a host ticket may claim, in seconds.
    pub ticket_max_seconds: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            tiers: TierTable::default(),
            lot_lifetime_months: 12,
            expiring_soon_days: 30,
            session_seconds: 30 * 24 * 3600,
            ticket_max_seconds: 10 * 60,
        }
    }
}

/// The development secret; refused when `DEMO_LOGIN=false` (a production setup).
const DEV_TICKET_SECRET: &str = "dev-only-ticket-secret-change-me";

fn env_bool(name: &str, default: bool) -> Result<bool, String> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(v) => match v.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(format!("{name} must be true or false, not {v:?}")),
        },
    }
}

impl Config {
    /// Reads the environment. Errors name the variable at fault.
    pub fn from_env() -> Result<Config, String> {
        let host = std::env::var("HOST").unwrap_or_else(|_| "127.0.0.1".into());
        let port: u16 = std::env::var("PORT")
            .unwrap_or_else(|_| "8080".into())
            .parse()
            .map_err(|_| "PORT must be a number".to_string())?;
        let addr = format!("{host}:{port}")
            .parse()
            .map_err(|_| format!("HOST {host:?} is not an IP address"))?;
        let zone: Tz = std::env::var("MALL_TIME_ZONE")
            .unwrap_or_else(|_| "Asia/Shanghai".into())
            .parse()
            .map_err(|_| "MALL_TIME_ZONE must be an IANA zone such as Asia/Shanghai".to_string())?;
        let demo_login = env_bool("DEMO_LOGIN", true)?;
        let ticket_secret = std::env::var("TICKET_SECRET").unwrap_or_else(|_| DEV_TICKET_SECRET.into());
        if !demo_login && ticket_secret == DEV_TICKET_SECRET {
            return Err("TICKET_SECRET must be set when DEMO_LOGIN=false".into());
        }
        if ticket_secret.len() < 16 {
            return Err("TICKET_SECRET must be at least 16 characters".into());
        }
        Ok(Config {
            addr,
            database_url: std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://data/mall.db".into()),
            static_dir: std::env::var("STATIC_DIR").unwrap_or_else(|_| "dist".into()).into(),
            zone,
            ticket_secret,
            demo_login,
            seed_demo: env_bool("SEED_DEMO", true)?,
            cookie_secure: env_bool("COOKIE_SECURE", false)?,
            rules: Rules::default(),
        })
    }

    /// A configuration for tests: port 0, the given database, demo data loaded.
    pub fn for_tests(database_url: String) -> Config {
        Config {
            addr: "127.0.0.1:0".parse().expect("loopback address"),
            database_url,
            static_dir: "dist".into(),
            zone: chrono_tz::Asia::Shanghai,
            ticket_secret: "test-ticket-secret-0123456789".into(),
            demo_login: true,
            seed_demo: true,
            cookie_secure: false,
            rules: Rules::default(),
        }
    }
}
