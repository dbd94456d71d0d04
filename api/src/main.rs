//! Starts the points mall: the JSON API and the built app from one process.
//!
//! `mall-api staff add --username NAME --role operator|merchant [--merchant SLUG]
//! [--name "Display name"]` creates a staff account on the configured database, reading
//! the password from standard input (the first operator comes from here).
//! `mall-api staff hash` prints the argon2id hash of the password on standard input.

use std::io::BufRead;

use mall_api::{
    config::Config,
    domain::staff::{self, NewAccount},
    startup::Application,
};
use mall_core::staff::StaffRole;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("staff") {
        std::process::exit(staff_command(&args[1..]).await);
    }
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

const STAFF_USAGE: &str = "usage: mall-api staff add --username NAME --role operator|merchant [--merchant SLUG] [--name \"Display name\"] \
     (password on standard input)\n       mall-api staff hash (password on standard input)";

/// Runs `staff …`; returns the exit code (2 for bad usage or configuration).
async fn staff_command(args: &[String]) -> i32 {
    let password = || -> Result<String, String> {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| format!("cannot read the password: {e}"))?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    };
    match args.first().map(String::as_str) {
        Some("hash") => match password().map(|p| async move { staff::hash_password(p).await.map_err(|e| e.to_string()) }) {
            Ok(hashing) => match hashing.await {
                Ok(hash) => {
                    println!("{hash}");
                    0
                }
                Err(e) => fail(1, &e),
            },
            Err(e) => fail(1, &e),
        },
        Some("add") => {
            let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
            let role = match flag("--role").as_deref() {
                Some("operator") => StaffRole::Operator,
                Some("merchant") => StaffRole::Merchant,
                _ => return fail(2, STAFF_USAGE),
            };
            let Some(username) = flag("--username") else { return fail(2, STAFF_USAGE) };
            let config = match Config::from_env() {
                Ok(c) => c,
                Err(e) => return fail(2, &format!("configuration error: {e}")),
            };
            let password = match password() {
                Ok(p) => p,
                Err(e) => return fail(1, &e),
            };
            let account =
                NewAccount { username, password, role, merchant: flag("--merchant"), display_name: flag("--name").unwrap_or_default() };
            let pools = match mall_api::db::connect(&config.database_url, 2).await {
                Ok(p) => p,
                Err(e) => return fail(1, &format!("cannot open the database: {e}")),
            };
            let now = mall_api::clock::Clock::default().now_secs();
            match staff::add_account(&pools.writer, account, now).await {
                Ok(id) => {
                    println!("staff account {id} created");
                    0
                }
                Err(e @ (staff::StaffError::Invalid(_) | staff::StaffError::Taken(_) | staff::StaffError::NoMerchant)) => {
                    fail(2, &e.to_string())
                }
                Err(e) => fail(1, &e.to_string()),
            }
        }
        _ => fail(2, STAFF_USAGE),
    }
}

fn fail(code: i32, message: &str) -> i32 {
    eprintln!("{message}");
    code
}
