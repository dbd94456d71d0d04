//! Staff sign-in and its limit, which a guesser cannot turn against the operator.
//!
//! - **Per client address** (an IPv4 address, or an IPv6 /64: one host's whole prefix):
//!   at most `per_address` attempts in a window of `window` seconds (a right password
//!   gives its attempt back), then 429 until the window ends.
//! - **Per username**, a delay that grows: once the username has failed more than
//!   `free_failures` times in the last `window` seconds (from every address together),
//!   each failing address must wait 1, 2, 4… seconds (at most `delay_cap`) before its
//!   next attempt for that username; 429 with `Retry-After` meanwhile. An address that has
//!   not failed for the username is never delayed, so the right password from another
//!   address always gets through, whatever a guesser does.
//! - **A refused attempt writes nothing.** The checks are made first on the read pool;
//!   then the attempt takes a permit to hash (or is refused as busy); then one
//!   transaction counts it against its address, its username and its address for that
//!   username, by conditional upserts (any refusal rolls the whole of it back). Only then
//!   is the password checked; a right one takes its counts back in the transaction that
//!   opens the session. So concurrent attempts cannot pass a delay together, and
//!   nothing a refused attempt did is there for a sign-in from elsewhere to trip over.
//!
//! The rows live in the database (`db::staff_login`, `counters`), so the limit holds
//! across replicas. The argon2 work is bounded by [`passwords::Hashing`].

use std::net::{IpAddr, SocketAddr};

use futures_util::FutureExt;
use mall_core::staff::check_username;

use super::{
    passwords::{HashError, Hashing, DECOY_HASH},
    staff::StaffError,
};
use crate::{
    db::{self, staff::StaffRow, Pool},
    token,
};

/// The sign-in limits (see the module's doc).
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    /// Attempts per client address in one window.
    pub per_address: i64,
    /// The window, in seconds: of the per-address count, and how long a username's
    /// failures are remembered.
    pub window: i64,
    /// Failures of a username (from every address, in the window) before the delay starts.
    pub free_failures: i64,
    /// The longest delay, in seconds.
    pub delay_cap: i64,
}

/// One sign-in attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The username as typed.
    pub username: String,
    /// The password as typed.
    pub password: String,
    /// The client's address as the request gave it (see `TRUSTED_PROXY_HEADER`); the
    /// limit counts it by [`address_key`].
    pub address: String,
    /// Unix seconds.
    pub now: i64,
}

/// The seconds a failing address waits for its next attempt of a username that has failed
/// `failures` times: none up to `free_failures`, then 1, 2, 4… up to `delay_cap`.
pub fn delay(failures: i64, limits: &LoginLimits) -> i64 {
    let over = failures - limits.free_failures;
    if over <= 0 {
        return 0;
    }
    let doubled = u32::try_from(over - 1).ok().and_then(|n| 1_i64.checked_shl(n)).filter(|d| *d > 0);
    doubled.map_or(limits.delay_cap, |d| d.min(limits.delay_cap))
}

/// What the limit counts a client address as: an IPv4 address (also when written as an
/// IPv4-mapped IPv6 address), an IPv6 address's /64 (`2001:db8:1:2::/64`: one host or
/// one home network holds a whole /64, so counting /128s counts nothing), or, for a value
/// that is no address, `raw:` and its first 64 characters. Accepts an address with a port
/// (`[2001:db8::1]:443`, `192.0.2.1:5000`) and a `Forwarded` element (`for="[…]"`).
pub fn address_key(raw: &str) -> String {
    let value = raw.trim();
    let value = value
        .split(';')
        .find_map(|part| part.trim().strip_prefix("for=").or_else(|| part.trim().strip_prefix("FOR=")))
        .unwrap_or(value)
        .trim_matches('"');
    let ip = value
        .parse::<IpAddr>()
        .ok()
        .or_else(|| value.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| value.strip_prefix('[').and_then(|v| v.split_once(']')).and_then(|(ip, _)| ip.parse().ok()));
    match ip {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => format!("raw:{}", raw.trim().chars().take(64).collect::<String>()),
    }
}

impl From<HashError> for StaffError {
    fn from(e: HashError) -> StaffError {
        match e {
            HashError::Busy => StaffError::Busy,
            HashError::Failed(cause) => StaffError::Hash(cause),
        }
    }
}

/// Signs a staff member in (see the module's doc for the limit): returns the account and
/// the new session's token. `TooManyAttempts` (with the seconds to wait) and `Busy` wrote
/// nothing; `LoginFailed` counted the attempt as a failure.
pub async fn sign_in(
    writer: &Pool,
    reader: &Pool,
    hashing: &Hashing,
    limits: LoginLimits,
    attempt: Attempt,
    session_seconds: i64,
) -> Result<(StaffRow, String), StaffError> {
    let Attempt { username, password, address, now } = attempt;
    let username = username.trim().to_lowercase();
    let valid = check_username(&username).is_ok();
    // Names that cannot be accounts share one key, so inventing them gains nothing.
    let key = if valid { username.clone() } else { "?".to_string() };
    let address = address_key(&address);
    let window = now.div_euclid(limits.window);
    let window_ends = (window + 1) * limits.window;
    let address_scope = format!("staff-login:address:{address}:{window}");

    // 1. The refusals, read without writing anything.
    {
        let mut conn = reader.acquire().await?;
        let next = db::staff_login::next_at(&mut conn, &key, &address).await?;
        if next > now {
            return Err(StaffError::TooManyAttempts(next - now));
        }
        if db::counters::read(&mut conn, &address_scope, 0).await? >= limits.per_address {
            return Err(StaffError::TooManyAttempts(window_ends - now));
        }
    }
    // 2. A permit to hash, before anything is written (a busy refusal writes nothing).
    let turn = hashing.turn().await?;
    // 3. The attempt counted as a failure until the password proves otherwise: against
    //    the address, the username, and the address for that username; any refusal
    //    (a concurrent attempt got there first) rolls all of it back.
    let (k, a, scope) = (key.clone(), address.clone(), address_scope.clone());
    db::transaction(writer, move |tx| {
        async move {
            if db::counters::bump_until(tx, &scope, 0, 1, Some(limits.per_address), Some(window_ends)).await?.is_none() {
                return Err(StaffError::TooManyAttempts(window_ends - now));
            }
            let failures = db::staff_login::count_failure(tx, &k, now, now - limits.window).await?;
            let next = now + delay(failures, &limits);
            if !db::staff_login::reserve(tx, &k, &a, now, next, now - limits.window).await? {
                let next = db::staff_login::next_at(tx, &k, &a).await?;
                return Err(StaffError::TooManyAttempts((next - now).max(1)));
            }
            Ok(())
        }
        .boxed()
    })
    .await?;
    // 4. The password, against the account's hash or a decoy (an unknown name takes as
    //    long as a wrong password).
    let account = if valid { db::staff::by_username(&mut reader.acquire().await?, &username).await? } else { None };
    let hash = account.as_ref().map_or(DECOY_HASH.to_string(), |a| a.password_hash.clone());
    let matches = turn.verify(password, hash).await?;
    // A disabled account is refused like a wrong password (after the same work).
    let Some(account) = account.filter(|a| matches && a.disabled_at.is_none()) else {
        return Err(StaffError::LoginFailed);
    };
    // 5. The right password: its counts taken back, the session opened, together.
    let token = token::new_token();
    let (token_hash, id) = (token::hash_token(&token), account.id);
    db::transaction(writer, move |tx| {
        async move {
            // The rows in step 3's order: counter, username, username from the address.
            db::counters::bump_until(tx, &address_scope, 0, -1, None, Some(window_ends)).await?;
            db::staff_login::succeeded(tx, &key, &address).await?;
            db::staff::insert_session(tx, &token_hash, id, now + session_seconds).await
        }
        .boxed()
    })
    .await?;
    Ok((account, token))
}

#[cfg(test)]
mod tests {
    use super::{address_key, delay, LoginLimits};

    #[test]
    fn the_delay_doubles_after_the_free_failures_up_to_its_cap() {
        let limits = LoginLimits { per_address: 30, window: 900, free_failures: 5, delay_cap: 60 };
        let delays: Vec<i64> = (1..=14).map(|f| delay(f, &limits)).collect();
        assert_eq!(delays, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(delay(i64::MAX, &limits), 60);
        assert_eq!(delay(70, &limits), 60, "no overflow past 2^62");
    }

    #[test]
    fn ipv6_counts_per_64_and_ipv4_per_address() {
        assert_eq!(address_key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(address_key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_eq!(address_key("[2001:db8:1:2::99]:443"), "2001:db8:1:2::/64");
        assert_eq!(address_key("for=\"[2001:db8:1:2::7]:80\";proto=https"), "2001:db8:1:2::/64");
        assert_ne!(address_key("2001:db8:1:3::1"), address_key("2001:db8:1:2::1"));
        assert_eq!(address_key(" 198.51.100.7 "), "198.51.100.7");
        assert_eq!(address_key("198.51.100.7:5000"), "198.51.100.7");
        assert_eq!(address_key("::ffff:198.51.100.7"), "198.51.100.7");
        assert_eq!(address_key("unknown"), "raw:unknown");
        assert_eq!(address_key(&"x".repeat(500)).len(), 4 + 64);
    }
}
