//! The hostile values the sweep sends, and the seeded generator that picks among them.
//! Values are raw JSON text, so numbers no `serde_json::Value` can hold (`1e400`,
//! `18446744073709551616`) go out exactly as written.

/// A deterministic generator (SplitMix64): the same seed sends the same cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Characters that change how text reads without being seen: every field people read
/// refuses them (`mall_core::text`). A line feed is left out: descriptions may break lines.
pub const HIDDEN: [char; 15] = [
    '\u{202e}', '\u{2066}', '\u{0}', '\u{7}', '\u{1b}', '\t', '\r', '\u{7f}', '\u{85}', '\u{200f}', '\u{061c}', '\u{202a}', '\u{2069}',
    '\u{2028}', '\u{9b}',
];

/// `text` with `c` in its middle (so trimming cannot take it away).
pub fn with_hidden(text: &str, c: char) -> String {
    let text = if text.chars().count() < 2 { "Sweep text" } else { text };
    let mid = text.char_indices().nth(text.chars().count() / 2).map_or(text.len(), |(i, _)| i);
    format!("{}{c}{}", &text[..mid], &text[mid..])
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Values for any JSON field: integer bounds, huge and odd decimals (as numbers and as
/// strings), extreme and impossible dates, empty and 10 kB strings, control and
/// bidirectional characters, and every wrong type.
pub fn json_values() -> Vec<String> {
    let mut v: Vec<String> = [
        "-9223372036854775808",
        "9223372036854775807",
        "0",
        "-1",
        "1",
        "9223372036854775808",
        "18446744073709551616",
        "-9223372036854775809",
        "1e400",
        "1e30",
        "99999999999999999999.99",
        "-0.001",
        "-0",
        "1.5",
        "2147483648",
        "null",
        "true",
        "false",
        "[]",
        "{}",
        "[1,2]",
        r#"{"zh":"x","en":"y"}"#,
        r#"[{"label":{"zh":"a","en":"a"},"value":{"zh":"b","en":"b"}}]"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for s in [
        "",
        " ",
        "1e30",
        "99999999999999999999.99",
        "-0.001",
        "NaN",
        "Infinity",
        "-0",
        "0.001",
        "79228162514264337593543950336",
        "1,000.00",
        "+262142-12-31",
        "9999-12-31",
        "0000-01-01",
        "-0001-01-01",
        "2026-02-30",
        "2026-13-01",
        "1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59+14:00",
        "+262142-12-31T23:59:59Z",
        "-262143-01-01T00:00:00Z",
        "2026-06-01T10:00:00",
        "24:00",
        "23:59",
        "null",
        "中文名字",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "/media/../../etc/passwd",
        "%00",
        "\u{0}",
        "a\u{202e}b",
        "\u{2066}x\u{2069}",
        "\u{1b}[31mred",
        "line\nbreak",
        "\u{feff}bom",
        "\u{fffd}",
        "𝟘𝟙𝟚",
    ] {
        v.push(quoted(s));
    }
    v.push(quoted(&"x".repeat(10_240)));
    v.push(quoted(&incompressible(10_240)));
    v.push(quoted(&"中".repeat(10_240 / 3)));
    v
}

/// Values for a path parameter, already percent-encoded where needed.
pub fn path_values() -> Vec<String> {
    [
        "0",
        "-1",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "99999999999999999999999999",
        "abc",
        "1.5",
        "1e3",
        "0x10",
        "+1",
        "%E4%B8%AD%E6%96%87",
        "%F0%9F%92%A9",
        "%E2%80%AE",
        "%00",
        "%20",
        "%FF",
        "%",
        "-",
        "1%2F2",
        "..%2F..%2Fetc%2Fpasswd",
        "ABCD-EFGH-JKMN",
        "share",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(std::iter::once("9".repeat(1_000)))
    .chain(std::iter::once(incompressible(9_000)))
    .collect()
}

/// `len` letters that do not compress (PostgreSQL compresses a long index entry first).
pub fn incompressible(len: usize) -> String {
    let mut rng = Rng::new(len as u64);
    (0..len).map(|_| char::from(b'a' + (rng.next() % 26) as u8)).collect()
}

/// Values for a query parameter, percent-encoded.
pub fn query_values() -> Vec<String> {
    [
        "",
        "x",
        "0",
        "-1",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "1e30",
        "NaN",
        "true",
        "yes",
        "%2B262142-12-31",
        "9999-12-31",
        "-0001-01-01",
        "2026-02-30",
        "2026-13",
        "0000-00",
        "%00",
        "%07",
        "%1B%5B31m",
        "%E2%80%AE",
        "%E4%B8%AD",
        "%FF",
        "%27%20OR%201%3D1%20--",
        "a%26b%3Dc",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(std::iter::once("x".repeat(10_240)))
    .chain(std::iter::once(incompressible(10_240)))
    .collect()
}
