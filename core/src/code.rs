//! Redemption codes: 12 characters from an alphabet without look-alikes, the last one
//! a weighted mod 31 check character, shown as `XXXX-XXXX-XXXX`. Input is forgiving:
//! case, dashes and spaces do not matter.

/// The 31 characters a code may contain (no 0/O, 1/I/L).
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a code, check character included.
pub const CODE_LEN: usize = 12;
/// Random characters in a code (the rest is the check character).
pub const RANDOM_LEN: usize = CODE_LEN - 1;

/// Why a typed code is not a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    /// Not 12 characters after removing dashes and spaces.
    WrongLength,
    /// A character outside the alphabet.
    BadCharacter,
    /// The check character does not match: a typo.
    BadCheck,
}

fn index_of(c: u8) -> Option<usize> {
    ALPHABET.iter().position(|&a| a == c)
}

/// The weighted mod 31 check character of the given alphabet indices.
fn check_index(indices: &[usize]) -> usize {
    let n = ALPHABET.len();
    let mut sum = 0;
    for (i, &v) in indices.iter().rev().enumerate() {
        // Weights 2, 1, 2, 1… from the right. 31 is prime, so any single
        // substitution or adjacent swap changes the sum modulo 31.
        sum += if i % 2 == 0 { v * 2 } else { v };
    }
    (n - sum % n) % n
}

/// Builds a code from 11 random values (each reduced modulo the alphabet size); the
/// caller supplies them from a CSPRNG. Returns the canonical form without dashes.
pub fn from_random(random: [u8; RANDOM_LEN]) -> String {
    let indices: Vec<usize> = random.iter().map(|&b| b as usize % ALPHABET.len()).collect();
    let mut out: String = indices.iter().map(|&i| ALPHABET[i] as char).collect();
    out.push(ALPHABET[check_index(&indices)] as char);
    out
}

/// Typed input as the code's characters: upper case, dashes and spaces (ASCII and
/// full-width) dropped.
pub fn normalize(input: &str) -> String {
    input.chars().filter(|c| !matches!(c, '-' | ' ' | '\u{3000}')).map(|c| c.to_ascii_uppercase()).collect()
}

/// Normalises typed input and validates it, check character included. A character outside
/// the alphabet is reported before the length, so a typo shows while typing. Returns the
/// canonical 12-character form.
pub fn parse(input: &str) -> Result<String, CodeError> {
    let canon = normalize(input);
    let indices: Option<Vec<usize>> = canon.bytes().map(index_of).collect();
    let indices = indices.ok_or(CodeError::BadCharacter)?;
    if indices.len() != CODE_LEN {
        return Err(CodeError::WrongLength);
    }
    if check_index(&indices[..RANDOM_LEN]) != indices[RANDOM_LEN] {
        return Err(CodeError::BadCheck);
    }
    Ok(canon)
}

/// `ABCD2345WXYZ` → `ABCD-2345-WXYZ`.
pub fn display(canon: &str) -> String {
    let chars: Vec<char> = canon.chars().collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A code (canonical or displayed) as a merchant sees it before verifying it: only the
/// last group (`••••-••••-WXYZ`). An unused code is a bearer secret: whoever reads it in
/// full can use it.
pub fn mask(code: &str) -> String {
    let chars: Vec<char> = code.chars().filter(char::is_ascii_alphanumeric).collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("••••-••••-{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_code_shows_only_its_last_group() {
        assert_eq!(mask("ABCD2345WXYZ"), "••••-••••-WXYZ");
        assert_eq!(mask("ABCD-2345-WXYZ"), "••••-••••-WXYZ");
        assert_eq!(mask("AB"), "••••-••••-AB");
    }

    fn sample(seed: u8) -> String {
        let mut r = [0u8; RANDOM_LEN];
        for (i, b) in r.iter_mut().enumerate() {
            *b = seed.wrapping_mul(31).wrapping_add(i as u8 * 17);
        }
        from_random(r)
    }

    #[test]
    fn generated_codes_parse_in_any_case_with_dashes() {
        for seed in 0..=255u8 {
            let code = sample(seed);
            assert_eq!(code.len(), CODE_LEN);
            assert_eq!(parse(&code), Ok(code.clone()));
            assert_eq!(parse(&display(&code).to_lowercase()), Ok(code.clone()));
            assert_eq!(parse(&format!(" {} ", display(&code).replace('-', " "))), Ok(code.clone()));
        }
    }

    #[test]
    fn every_single_substitution_is_caught() {
        let code = sample(7);
        for pos in 0..CODE_LEN {
            for &c in ALPHABET.iter() {
                let mut typo: Vec<u8> = code.clone().into_bytes();
                if typo[pos] == c {
                    continue;
                }
                typo[pos] = c;
                assert_eq!(parse(std::str::from_utf8(&typo).unwrap()), Err(CodeError::BadCheck));
            }
        }
    }

    #[test]
    fn adjacent_swaps_are_caught() {
        let code = sample(42).into_bytes();
        for pos in 0..CODE_LEN - 1 {
            let mut swapped = code.clone();
            if swapped[pos] == swapped[pos + 1] {
                continue;
            }
            swapped.swap(pos, pos + 1);
            assert!(parse(std::str::from_utf8(&swapped).unwrap()).is_err(), "swap at {pos}");
        }
    }

    #[test]
    fn wrong_length_and_characters() {
        assert_eq!(parse("ABCD-2345"), Err(CodeError::WrongLength));
        assert_eq!(parse("ABCD-2345-WXY0"), Err(CodeError::BadCharacter));
        assert_eq!(parse("ABCD-2345-WXYÖ"), Err(CodeError::BadCharacter));
        // A wrong character shows while typing, before the code is complete.
        assert_eq!(parse("AB0"), Err(CodeError::BadCharacter));
        assert_eq!(parse("ABCD-2345-WXYZ-2"), Err(CodeError::WrongLength));
        assert_eq!(normalize("ab cd-2345\u{3000}wxyz"), "ABCD2345WXYZ");
        assert_eq!(display("ABCD2345WXYZ"), "ABCD-2345-WXYZ");
    }
}
