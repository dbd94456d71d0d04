//! Configuration that refuses: the server binary, started with one bad variable, stops at
//! start-up with exit code 2 and a message naming the variable and what it accepts, and
//! creates nothing (no database file, no folder).

use std::process::Command;

/// Runs the server with only `vars` set, in an empty directory; returns (exit code,
/// stderr followed by stdout (the log), entries left in the directory).
fn start(vars: &[(&str, &str)]) -> (Option<i32>, String, usize) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mall-api"))
        .env_clear()
        .envs(vars.iter().copied())
        .current_dir(dir.path())
        .output()
        .expect("the server binary runs");
    let left = std::fs::read_dir(dir.path()).unwrap().count();
    let output = format!("{}{}", String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&out.stdout));
    (out.status.code(), output, left)
}

#[test]
fn unsupported_database_urls_stop_the_server_and_create_nothing() {
    for url in [
        "postgres://mall:hunter22@db.example/mall?sslmode=sometimes",
        "postgresql://mall:hunter22@db.example:port/mall",
        "mysql://localhost/mall",
        "data/mall.db",
        "garbage",
        "sqlite://",
        "",
    ] {
        let (code, stderr, left) = start(&[("DATABASE_URL", url)]);
        assert_eq!(code, Some(2), "{url:?}: {stderr}");
        assert!(stderr.contains("DATABASE_URL") && stderr.contains("sqlite://") && stderr.contains("postgres://"), "{url:?}: {stderr}");
        assert!(!stderr.contains("hunter22"), "the password is not repeated: {stderr}");
        assert_eq!(left, 0, "{url:?} created something");
    }
}

#[test]
fn an_unreachable_postgresql_server_stops_the_server_without_the_password() {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    let (code, stderr, left) = start(&[("DATABASE_URL", "postgres://mall:hunter22@127.0.0.1:1/mall")]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("start-up failed"), "{stderr}");
    assert!(!stderr.contains("hunter22"), "the password is not repeated: {stderr}");
    assert_eq!(left, 0, "nothing created");
}

#[test]
fn every_constrained_variable_refuses_a_bad_value_by_name() {
    let cases = [
        ("PORT", "http"),
        ("PORT", "70000"),
        ("HOST", "localhost:80"),
        ("MALL_TIME_ZONE", "Mars/Olympus_Mons"),
        ("DEMO_LOGIN", "maybe"),
        ("SEED_DEMO", "2"),
        ("COOKIE_SECURE", "secure"),
        ("DEV_CLOCK", "sometimes"),
        ("GRAB_BURST", "0"),
        ("GRAB_PER_SECOND", "-5"),
        ("GRAB_PER_SECOND", "fast"),
        ("DATABASE_POOL_SIZE", "0"),
        ("DATABASE_POOL_SIZE", "many"),
        ("LOG_FORMAT", "xml"),
        ("RUST_LOG", "info,mall=loudest"),
        ("OPERATOR_TOKEN", "short"),
        ("MERCHANT_TOKENS", "no-token-here"),
        ("TICKET_SECRET", "short"),
        ("HOOK_SECRET", "short"),
        ("STATIC_DIR", " "),
        ("HOST_ORIGINS", "http://shop.example"),
        ("PAYMENT_WINDOW", "0"),
        ("PAYMENT_WINDOW", "15m"),
        ("PAYMENT_WINDOW", "1441"),
        ("HOST_PAY_URL", "http://shop.example/pay"),
        ("HOST_PAY_URL", "https:///pay"),
        ("HOST_ORIGINS", "https://shop.example/mall"),
        // A framed mall's cookie must be Secure: refused on plain HTTP.
        ("HOST_ORIGINS", "https://shop.example"),
    ];
    for (name, value) in cases {
        let (code, stderr, left) = start(&[(name, value)]);
        assert_eq!(code, Some(2), "{name}={value:?}: {stderr}");
        assert!(stderr.contains(name), "{name}={value:?} is not named: {stderr}");
        assert_eq!(left, 0, "{name}={value:?} created something");
    }
}

#[test]
fn production_settings_without_their_secrets_are_refused() {
    let (code, stderr, _) = start(&[("DEMO_LOGIN", "false")]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("TICKET_SECRET"), "{stderr}");
    let (code, stderr, _) = start(&[
        ("DEMO_LOGIN", "false"),
        ("TICKET_SECRET", "a-real-ticket-secret-0123"),
        ("HOOK_SECRET", "a-real-hook-secret-0123"),
        ("DEV_CLOCK", "true"),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("DEV_CLOCK"), "{stderr}");
    // A host simulator on plain HTTP is for the demo only.
    let (code, stderr, _) = start(&[("DEMO_LOGIN", "false"), ("HOST_PAY_URL", "http://127.0.0.1:9100/pay")]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("HOST_PAY_URL"), "{stderr}");
}
