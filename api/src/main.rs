//! Starts the points mall: the JSON API and the built app from one process.
//!
//! `mall-api staff add --username NAME --role operator|merchant [--merchant SLUG]
//! [--name "Display name"]` creates a staff account on the database of `DATABASE_URL`,
//! reading the password from standard input (the first operator comes from here);
//! `staff list` lists the accounts; `staff disable --username NAME` disables one and ends
//! its sessions; `staff password --username NAME` sets a new password (standard input)
//! and enables it. Each is audited as `console`. `mall-api staff hash` prints the
//! argon2id hash of the password on standard input.

use std::io::BufRead;

use mall_api::{
    config::Config,
    domain::{
        passwords::Hashing,
        staff::{self, NewAccount},
    },
    startup::Application,
};
use mall_core::staff::{StaffChange, StaffRole};

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
     (password on standard input)
       mall-api staff list
       mall-api staff disable --username NAME
       mall-api staff password --username NAME (new password on standard input; also enables the account)
       mall-api staff hash (password on standard input)";

/// Reads one line (the password) from standard input.
fn read_password() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| format!("cannot read the password: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Runs `staff …`; returns the exit code (2 for bad usage or configuration).
async fn staff_command(args: &[String]) -> i32 {
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let command = args.first().map(String::as_str);
    if command == Some("hash") {
        let hashed = match read_password() {
            Ok(p) => staff::hash_password(&Hashing::default(), p).await.map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        return match hashed {
            Ok(hash) => {
                println!("{hash}");
                0
            }
            Err(e) => fail(1, &e),
        };
    }
    if !matches!(command, Some("add" | "list" | "disable" | "password")) {
        return fail(2, STAFF_USAGE);
    }
    let role = match (command, flag("--role").as_deref()) {
        (Some("add"), Some("operator")) => Some(StaffRole::Operator),
        (Some("add"), Some("merchant")) => Some(StaffRole::Merchant),
        (Some("add"), _) => return fail(2, STAFF_USAGE),
        _ => None,
    };
    let username = flag("--username");
    if command != Some("list") && username.is_none() {
        return fail(2, STAFF_USAGE);
    }
    // The staff command reads only the database's address: it works with a production
    // configuration as with none.
    let url = match mall_api::config::var("DATABASE_URL") {
        Ok(url) => url.unwrap_or_else(|| "sqlite://data/mall.db".into()),
        Err(e) => return fail(2, &format!("configuration error: {e}")),
    };
    if let Err(e) = mall_api::db::check_url(&url) {
        return fail(2, &format!("configuration error: {e}"));
    }
    let pools = match mall_api::db::connect(&url, 2).await {
        Ok(p) => p,
        Err(e) => return fail(1, &format!("cannot open the database: {e}")),
    };
    let now = mall_api::clock::Clock::default().now_secs();
    let actor = staff::Actor::Console;
    let hashing = Hashing::default();
    let outcome = match command {
        Some("list") => staff::list_lines(&pools.reader).await,
        Some("add") => {
            let merchant_id = match flag("--merchant") {
                Some(slug) => match staff::merchant_id_of(&pools.reader, &slug).await {
                    Ok(id) => Some(id),
                    Err(e) => return fail(2, &e.to_string()),
                },
                None => None,
            };
            let account = match read_password() {
                Ok(password) => NewAccount {
                    username: username.unwrap_or_default(),
                    password,
                    role: role.unwrap_or(StaffRole::Operator),
                    merchant_id,
                    display_name: flag("--name").unwrap_or_default(),
                },
                Err(e) => return fail(1, &e),
            };
            staff::add_account(&pools.writer, &hashing, &actor, account, now).await.map(|row| format!("staff account {} created", row.id))
        }
        Some("disable") => {
            let change = StaffChange { disabled: Some(true), ..StaffChange::default() };
            staff::change_by_username(&pools.writer, &hashing, &actor, username.as_deref().unwrap_or_default(), change, now)
                .await
                .map(|row| format!("staff account {} disabled; its sessions ended", row.username))
        }
        _ => {
            let password = match read_password() {
                Ok(p) => p,
                Err(e) => return fail(1, &e),
            };
            let change = StaffChange { password: Some(password), disabled: Some(false), ..StaffChange::default() };
            staff::change_by_username(&pools.writer, &hashing, &actor, username.as_deref().unwrap_or_default(), change, now)
                .await
                .map(|row| format!("staff account {} has a new password; its sessions ended", row.username))
        }
    };
    match outcome {
        Ok(text) => {
            println!("{text}");
            0
        }
        Err(
            e @ (staff::StaffError::Invalid(_) | staff::StaffError::Taken(_) | staff::StaffError::NoMerchant | staff::StaffError::NotFound),
        ) => fail(2, &e.to_string()),
        Err(e) => fail(1, &e.to_string()),
    }
}

fn fail(code: i32, message: &str) -> i32 {
    eprintln!("{message}");
    code
}
