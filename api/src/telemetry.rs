//! Structured logs: `RUST_LOG` filters, `LOG_FORMAT=json` switches to JSON lines
//! (`text`, the default, keeps plain lines). A value it cannot use is a start-up error.

use tracing_subscriber::{fmt, EnvFilter};

/// Installs the global subscriber (once; later calls are ignored). Refuses an unknown
/// `LOG_FORMAT` or a `RUST_LOG` that is not a valid filter, naming the variable.
pub fn init() -> Result<(), String> {
    let filter = match crate::config::var("RUST_LOG")? {
        None => EnvFilter::new("info,sqlx=warn,tower_http=info"),
        Some(v) => EnvFilter::try_new(&v).map_err(|e| format!("RUST_LOG is not a valid log filter ({e}): {v:?}"))?,
    };
    let json = match crate::config::var("LOG_FORMAT")?.as_deref() {
        None | Some("text") => false,
        Some("json") => true,
        Some(other) => return Err(format!("LOG_FORMAT must be json or text, not {other:?}")),
    };
    let builder = fmt().with_env_filter(filter).with_target(false);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
    Ok(())
}
