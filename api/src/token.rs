//! Session tokens (members' and staff): 256 random bits handed to the browser, only their
//! SHA-256 stored.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The SHA-256 of a session token, as stored.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random session token (256 bits, URL-safe base64).
pub fn new_token() -> String {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}
