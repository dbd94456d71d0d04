//! Cash as members read it: whole fen (1/100 yuan) in an `i64`, on the wire as the decimal
//! string the API has always sent (`"9.90"`). The server's cash arithmetic stays in
//! `rust_decimal` (`to_decimal`); the app only reads, multiplies and prints amounts, so
//! its first download carries no decimal library.

use std::fmt;

use rust_decimal::Decimal;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// An amount of money in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Cash(i64);

impl Cash {
    /// `fen` fen (`Cash::from_fen(990)` is ¥9.90).
    pub const fn from_fen(fen: i64) -> Cash {
        Cash(fen)
    }

    /// The amount in fen.
    pub const fn fen(self) -> i64 {
        self.0
    }

    /// `n` times the amount; `None` on overflow.
    pub fn checked_mul(self, n: i64) -> Option<Cash> {
        self.0.checked_mul(n).map(Cash)
    }

    /// The amount as a two-decimal `Decimal`, for the server's arithmetic.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// `"9.9"`, `"9.90"`, `"1299"`, `"-0.05"` → the amount; `None` for anything else,
    /// including a third decimal (cash is never split below one fen).
    pub fn parse(text: &str) -> Option<Cash> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !all_digits(whole)
            || fraction.len() > 2
            || !all_digits(fraction)
            || (digits.contains('.') && fraction.is_empty())
        {
            return None;
        }
        let fen = whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(format!("{fraction:0<2}").parse::<i64>().ok()?)?;
        Some(Cash(if negative { -fen } else { fen }))
    }
}

/// The largest amount of money a request may name, in yuan (100 million): far above any
/// order, and far below where decimal arithmetic could overflow.
pub const MAX_YUAN: i64 = 100_000_000;

/// Reads an amount in yuan from a request, refusing one beyond ±[`MAX_YUAN`] at the
/// border (`#[serde(deserialize_with = "crate::cash::bounded_yuan")]`), so no arithmetic
/// on it can overflow.
pub fn bounded_yuan<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let amount = <Decimal as Deserialize>::deserialize(d)?;
    match amount.abs() <= Decimal::from(MAX_YUAN) {
        true => Ok(amount),
        false => Err(de::Error::custom(format_args!("an amount is at most {MAX_YUAN} yuan"))),
    }
}

impl fmt::Display for Cash {
    /// `9.90`, `-0.05`, `1299.00`: yuan with two decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let fen = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", fen / 100, fen % 100)
    }
}

impl Serialize for Cash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Cash, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Cash::parse(&text).ok_or_else(|| de::Error::custom("expected a yuan amount such as \"9.90\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_yuan() {
        for (text, fen, shown) in
            [("9.9", 990, "9.90"), ("9.90", 990, "9.90"), ("1299", 129_900, "1299.00"), ("0.05", 5, "0.05"), ("-0.05", -5, "-0.05")]
        {
            let cash = Cash::parse(text).unwrap();
            assert_eq!(cash.fen(), fen, "{text}");
            assert_eq!(cash.to_string(), shown);
            assert_eq!(cash.to_decimal(), Decimal::new(fen, 2));
        }
        for bad in ["", ".5", "9.", "9.999", "1e3", "9,90", "¥9", " 9", "--1"] {
            assert_eq!(Cash::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn wire_form_is_the_decimal_string() {
        let json = serde_json::to_string(&Cash::from_fen(990)).unwrap();
        assert_eq!(json, "\"9.90\"");
        assert_eq!(serde_json::from_str::<Cash>("\"12.3\"").unwrap(), Cash::from_fen(1230));
        assert!(serde_json::from_str::<Cash>("9.9").is_err());
    }
}
