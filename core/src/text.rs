//! The one rule of text that people read: names, descriptions, specifications, reasons,
//! addresses, offers, carriers, display names. Such text never holds a character that
//! changes how the text around it reads without being seen — a control character (a
//! terminal escape, a NUL that PostgreSQL refuses, a line break inside a one-line name) or
//! a bidirectional override, embedding, isolate or mark (U+202E turns `txt.exe` into what
//! looks like `exe.txt`). Every check of such a field, in `core` and in the API, goes
//! through [`readable`] (one line) or [`readable_lines`] (a description typed in a
//! textarea, where a line break is the one control character allowed); the app checks its
//! forms with the same functions.

/// Whether `c` changes how text around it reads without being seen: a control character
/// (C0, DEL, C1), a line or paragraph separator, or a bidirectional formatting character
/// (marks, embeddings, overrides, isolates).
pub fn is_hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Text for one line (a name, a reason, an address line): no hidden character at all.
pub fn readable(text: &str) -> bool {
    !text.chars().any(is_hidden_char)
}

/// Text of several lines (a description): line feeds allowed, nothing else hidden.
pub fn readable_lines(text: &str) -> bool {
    !text.chars().any(|c| c != '\n' && is_hidden_char(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters every field refuses (the API's hostile-input sweep sends the same).
    const HIDDEN: [char; 16] = [
        '\u{0}', '\u{7}', '\u{1b}', '\t', '\r', '\u{7f}', '\u{85}', '\u{9f}', '\u{200e}', '\u{200f}', '\u{061c}', '\u{202a}', '\u{202e}',
        '\u{2066}', '\u{2069}', '\u{2028}',
    ];

    #[test]
    fn hidden_characters_are_refused_where_people_read() {
        for c in HIDDEN {
            let text = format!("a{c}b");
            assert!(!readable(&text), "{:?}", c);
            assert!(!readable_lines(&text), "{:?}", c);
        }
        assert!(!readable("two\nlines"), "a one-line field refuses a line break");
        assert!(readable_lines("two\nlines"), "a description keeps its paragraphs");
        for ok in ["瑞幸咖啡", "Café au lait", "مرحبا", "שלום", "👩‍👩‍👧 emoji with joiners", "A-1001 / 3 号楼", ""]
        {
            assert!(readable(ok), "{ok}");
            assert!(readable_lines(ok), "{ok}");
        }
    }
}
