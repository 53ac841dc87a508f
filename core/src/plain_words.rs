//! Words for people: error messages in the user's terms — serde's and TOML's type words (`u32`,
//! an untagged enum's Rust name, "sequence") rewritten as the file, the link or the JS API call
//! would say them — and numbers with thousands separators.

/// Serde's and TOML's words for types, said in the file's terms: never an empty message, never
/// a Rust type name (`u32`, `LeaderSpec`, "sequence").
pub fn user_terms(message: &str) -> String {
    if message.is_empty() {
        return "a value is missing here (the file may end too early)".into();
    }
    if let Some(rest) = message.strip_prefix("data did not match any variant of untagged enum ") {
        return match rest.trim() {
            "LeaderSpec" => "expected a broker (2 or \"b2\") or \"none\"".into(),
            _ => "this value has none of the accepted forms (see docs/SCENARIOS.md)".into(),
        };
    }
    let mut m = message.to_string();
    for (rust, plain) in [
        ("expected u64", "expected a whole number ≥ 0"),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u16", "expected a whole number from 0 to 65535"),
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected usize", "expected a whole number ≥ 0"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected a list"),
        ("expected a map", "expected a table"),
        ("expected a borrowed string", "expected a string"),
    ] {
        m = m.replace(rust, plain);
    }
    m
}

/// `n` with thousands separators: `16003` as `16,003`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::user_terms;

    #[test]
    fn no_rust_type_names_and_never_empty() {
        assert!(!user_terms("").is_empty());
        let m = user_terms("invalid type: string \"a\", expected u32");
        assert_eq!(
            m,
            "invalid type: string \"a\", expected a whole number from 0 to 4294967295"
        );
        let m = user_terms("data did not match any variant of untagged enum LeaderSpec");
        assert!(!m.contains("LeaderSpec") && m.contains("\"none\""), "{m}");
        let m = user_terms("data did not match any variant of untagged enum Other");
        assert!(!m.contains("Other") && !m.contains("enum"), "{m}");
        assert_eq!(
            user_terms("invalid type: map, expected a sequence"),
            "invalid type: map, expected a list"
        );
    }
}
