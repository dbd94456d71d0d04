//! Number formats shown to members: points with thousands separators, cash in yuan.

use crate::cash::Cash;

/// `12345` → `"12,345"`; negative numbers keep their sign.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A signed amount for the history: `+120`, `-1,990`, `0`.
pub fn signed_points(n: i64) -> String {
    if n > 0 {
        format!("+{}", group_thousands(n))
    } else {
        group_thousands(n)
    }
}

/// Cash in yuan with two decimals and a thousands separator: `¥1,299.00`, `¥-0.05`.
pub fn yuan(amount: Cash) -> String {
    let fen = amount.fen();
    let sign = if fen < 0 { "-" } else { "" };
    let whole = i64::try_from(fen.unsigned_abs() / 100).unwrap_or(i64::MAX);
    format!("¥{sign}{}.{:02}", group_thousands(whole), fen.unsigned_abs() % 100)
}

/// Odds in basis points as a percent with two decimals: `1250` → `12.50%`.
pub fn percent_of_bp(bp: i64) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(-1_990), "-1,990");
        assert_eq!(group_thousands(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn signed() {
        assert_eq!(signed_points(120), "+120");
        assert_eq!(signed_points(-1_990), "-1,990");
        assert_eq!(signed_points(0), "0");
    }

    #[test]
    fn cash() {
        assert_eq!(yuan(Cash::from_fen(990)), "¥9.90");
        assert_eq!(yuan(Cash::from_fen(129_900)), "¥1,299.00");
        assert_eq!(yuan(Cash::from_fen(5)), "¥0.05");
        assert_eq!(yuan(Cash::from_fen(-5)), "¥-0.05");
    }

    #[test]
    fn odds_read_as_percents() {
        assert_eq!(percent_of_bp(1_250), "12.50%");
        assert_eq!(percent_of_bp(10), "0.10%");
        assert_eq!(percent_of_bp(10_000), "100.00%");
    }
}
