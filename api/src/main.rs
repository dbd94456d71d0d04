//! Starts the points mall: the JSON API and the built app from one process.

use mall_api::{config::Config, startup::Application};

#[tokio::main]
async fn main() {
    let config = match mall_api::telemetry::init().and_then(|()| Config::from_env()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            std::process::exit(2);
        }
    };
    let app = match Application::build(config).await {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(error = %e, "start-up failed");
            std::process::exit(1);
        }
    };
    tracing::info!(addr = %app.local_addr(), "points mall listening");
    if let Err(e) = app.run_until_stopped().await {
        tracing::error!(error = %e, "server stopped with an error");
        std::process::exit(1);
    }
}
