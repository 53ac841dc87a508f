//! Deep links into tutorial mode: `#tutorial=<id>&step=<n>` opens a chapter of `tutorials/`,
//! `#scenario=<id>&step=<n>` a file of `scenarios/` and `#scenario-json=<JSON>&step=<n>` a
//! scenario written in the link itself (percent-encoded, as `encodeURIComponent` writes it; the
//! `<highwater-playground>` element's inline scenarios), at step `n` (1-based; 0 or no `step` =
//! the introduction). Parsing never panics: anything malformed is a sentence for a notice.

use std::rc::Rc;

use highwater_core::scenario::Scenario;

use crate::catalog;

/// The fragment (without `#`) that opens the summary, "What loses, duplicates or reorders what"
/// (`ui/summary.rs`).
pub const SUMMARY: &str = "summary";

/// The longest inline scenario a link may carry, in characters of its encoded form.
pub const MAX_INLINE: usize = 100_000;

/// Which folder a link's id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    Tutorial,
    Scenario,
    /// A scenario carried in the link (`#scenario-json=`).
    Inline,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Tutorial => "tutorial",
            LinkKind::Scenario => "scenario",
            LinkKind::Inline => "scenario-json",
        }
    }
}

/// A parsed deep link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub kind: LinkKind,
    pub id: String,
    /// 1-based step; 0 = the introduction.
    pub step: usize,
    /// The scenario's JSON, decoded, for [`LinkKind::Inline`] (whose `id` is `"inline"`).
    pub json: Option<Rc<str>>,
}

impl Link {
    pub fn tutorial(id: &str, step: usize) -> Link {
        Link {
            kind: LinkKind::Tutorial,
            id: id.to_string(),
            step,
            json: None,
        }
    }

    /// The fragment (without `#`) that opens this link.
    pub fn to_hash(&self) -> String {
        let id = match &self.json {
            Some(json) => percent_encode(json),
            None => self.id.clone(),
        };
        format!("{}={id}&step={}", self.kind.as_str(), self.step)
    }

    /// The scenario the link opens: a built-in file, or the one it carries.
    pub fn scenario(&self) -> Result<Scenario, String> {
        match &self.json {
            Some(json) => Scenario::from_json(json)
                .map_err(|e| format!("its inline scenario is not a valid scenario: {e}")),
            None => self.entry()?.scenario(),
        }
    }

    /// The built-in file the link names, or why there is none.
    pub fn entry(&self) -> Result<catalog::Entry, String> {
        let named = |e: &catalog::Entry| e.id == self.id;
        let found = match self.kind {
            LinkKind::Tutorial => catalog::tutorials().find(named),
            LinkKind::Scenario => catalog::scenarios().find(named),
            LinkKind::Inline => None,
        };
        found.ok_or_else(|| {
            format!(
                "there is no {} called \"{}\"",
                self.kind.as_str(),
                shorten(&self.id)
            )
        })
    }

    /// The built-in file the page must fetch before it can open this link, if any (`Err`: the
    /// link names no built-in file).
    pub fn to_fetch(&self) -> Result<Option<catalog::Entry>, String> {
        if self.json.is_some() {
            return Ok(None);
        }
        let entry = self.entry()?;
        Ok(entry.json().is_none().then_some(entry))
    }
}

/// Reads a fragment (without `#`). `None`: not a tutorial or scenario link (a `#run=` link, or
/// nothing); `Some(Err)`: a tutorial link that is malformed, with the reason.
pub fn parse(hash: &str) -> Option<Result<Link, String>> {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let mut parts = hash.split('&');
    let first = parts.next()?;
    if let Some(encoded) = first.strip_prefix("scenario-json=") {
        return Some(parse_inline(encoded).and_then(|json| {
            let link = parse_rest(LinkKind::Inline, "inline", parts)?;
            Ok(Link {
                json: Some(json.into()),
                ..link
            })
        }));
    }
    let (kind, id) = if let Some(id) = first.strip_prefix("tutorial=") {
        (LinkKind::Tutorial, id)
    } else if let Some(id) = first.strip_prefix("scenario=") {
        (LinkKind::Scenario, id)
    } else {
        return None;
    };
    Some(parse_rest(kind, id, parts))
}

fn parse_rest<'a>(
    kind: LinkKind,
    id: &str,
    parts: impl Iterator<Item = &'a str>,
) -> Result<Link, String> {
    let id = id.trim();
    let valid_id = !id.is_empty()
        && id.len() <= 80
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid_id {
        return Err(format!(
            "\"{}\" is not a {} name (letters, digits and dashes)",
            shorten(id),
            kind.as_str()
        ));
    }
    let mut step = 0;
    for part in parts.filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some(("step", n)) => {
                step = n.trim().parse::<usize>().map_err(|_| {
                    format!(
                        "step=\"{}\" is not a step number (1, 2, …)",
                        shorten(n.trim())
                    )
                })?;
            }
            _ => {
                return Err(format!(
                    "the link has an unknown part \"{}\" (expected step=N)",
                    shorten(part)
                ))
            }
        }
    }
    Ok(Link {
        kind,
        id: id.to_string(),
        step,
        json: None,
    })
}

/// The JSON text of a `#scenario-json=` link, percent-decoded.
fn parse_inline(encoded: &str) -> Result<String, String> {
    if encoded.is_empty() {
        return Err("its inline scenario is empty".to_string());
    }
    if encoded.len() > MAX_INLINE {
        return Err(format!(
            "its inline scenario is longer than {MAX_INLINE} characters"
        ));
    }
    percent_decode(encoded).ok_or_else(|| {
        "its inline scenario is not percent-encoded UTF-8 (encodeURIComponent)".to_string()
    })
}

/// `%XX` escapes to bytes, read as UTF-8; `None` on a broken escape or invalid UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Encodes as `encodeURIComponent` does (every byte but `A-Z a-z 0-9 - _ . ! ~ * ' ( )`).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub use crate::article_html::RULES_PAGE;

/// A piece of a chapter's `source` line: plain text, or a rule number (`R1.5`, `S16`, `§0.3`)
/// with its anchor in the rules reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourcePart {
    Text(String),
    Rule(String),
}

impl SourcePart {
    /// Where a rule number opens: its heading in the rules reference.
    pub fn href(number: &str) -> String {
        format!("{RULES_PAGE}#{number}")
    }
}

/// Splits a `source` line into text and the rule numbers it cites (`R<n>.<n>`, `S<n>`,
/// `§<n>[.<n>]`, each a word of its own: no ASCII letter or digit touches it; the ASCII test
/// keeps Unicode's letter tables out of the page), so that each number can link to its entry.
pub fn source_parts(source: &str) -> Vec<SourcePart> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let chars: Vec<char> = source.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        let len = if starts_word {
            rule_len(&chars[i..])
        } else {
            0
        };
        if len == 0 {
            text.push(chars[i]);
            i += 1;
            continue;
        }
        if !text.is_empty() {
            parts.push(SourcePart::Text(std::mem::take(&mut text)));
        }
        parts.push(SourcePart::Rule(chars[i..i + len].iter().collect()));
        i += len;
    }
    if !text.is_empty() {
        parts.push(SourcePart::Text(text));
    }
    parts
}

/// The length of the rule number at the start of `c`, or 0.
fn rule_len(c: &[char]) -> usize {
    let digits = |from: usize| c[from..].iter().take_while(|d| d.is_ascii_digit()).count();
    let (prefix, needs_minor) = match c.first() {
        Some('R') => (1, true),
        Some('S') => (1, false),
        Some('§') => (1, false),
        _ => return 0,
    };
    let major = digits(prefix);
    if major == 0 {
        return 0;
    }
    let mut len = prefix + major;
    if c.get(len) == Some(&'.') {
        let minor = digits(len + 1);
        if minor > 0 && c.first() != Some(&'S') {
            len += 1 + minor;
        }
    }
    let ends_word = c.get(len).is_none_or(|n| !n.is_ascii_alphanumeric());
    let complete = !needs_minor || len > prefix + major;
    if ends_word && complete {
        len
    } else {
        0
    }
}

/// At most 40 characters of user text in a message.
fn shorten(s: &str) -> String {
    if s.chars().count() <= 40 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(40).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_lines_link_their_rule_numbers() {
        let rule = |n: &str| SourcePart::Rule(n.to_string());
        let text = |t: &str| SourcePart::Text(t.to_string());
        assert_eq!(
            source_parts("KAFKA-SEMANTICS.md S1, R1.3–R1.6; Partition.scala#x, §0.3"),
            vec![
                text("KAFKA-SEMANTICS.md "),
                rule("S1"),
                text(", "),
                rule("R1.3"),
                text("–"),
                rule("R1.6"),
                text("; Partition.scala#x, "),
                rule("§0.3"),
            ]
        );
        // Not rule numbers: inside a word, an R without its minor number, "Scenario 1".
        for plain in ["KIPS1", "R7 only", "Scenario 1", "AS12"] {
            assert_eq!(source_parts(plain), vec![text(plain)], "{plain}");
        }
        assert_eq!(SourcePart::href("R1.5"), "rules.html#R1.5");
    }

    #[test]
    fn reads_good_links_and_explains_bad_ones() {
        assert_eq!(
            parse("tutorial=01-a-records-journey&step=3"),
            Some(Ok(Link::tutorial("01-a-records-journey", 3)))
        );
        assert_eq!(parse("#tutorial=x").unwrap().unwrap().step, 0);
        assert_eq!(
            parse("scenario=s04-acks1-loss").unwrap().unwrap().kind,
            LinkKind::Scenario
        );
        assert_eq!(parse("run=abc"), None);
        assert_eq!(parse(""), None);
        for bad in [
            "tutorial=",
            "tutorial=a b",
            "tutorial=x&step=-1",
            "tutorial=x&step=two",
            "tutorial=x&step=99999999999999999999999",
            "tutorial=x&color=red",
            "tutorial=<script>",
        ] {
            let e = parse(bad).unwrap().unwrap_err();
            assert!(!e.is_empty(), "{bad}");
        }
    }

    #[test]
    fn inline_scenarios_round_trip_and_bad_ones_are_explained() {
        let json = r#"{"name":"Mine & yours","step":[{"produce":"a b"}]}"#;
        let encoded = percent_encode(json);
        assert!(!encoded.contains(['&', '"', ' ', '{']), "{encoded}");
        let hash = format!("scenario-json={encoded}&step=1");
        let link = parse(&hash).unwrap().unwrap();
        assert_eq!(link.kind, LinkKind::Inline);
        assert_eq!(link.json.as_deref(), Some(json));
        assert_eq!(link.step, 1);
        assert_eq!(link.to_hash(), hash);
        assert_eq!(percent_decode("%C3%A9t%C3%A9").as_deref(), Some("été"));
        for bad in [
            "scenario-json=",
            "scenario-json=%7",
            "scenario-json=%ZZ",
            "scenario-json=%FF",
        ] {
            assert!(parse(bad).unwrap().is_err(), "{bad}");
        }
        let long = format!("scenario-json={}", "a".repeat(MAX_INLINE + 1));
        assert!(parse(&long).unwrap().unwrap_err().contains("longer"));
        // Valid JSON, not a scenario: refused with the parser's words.
        let not_scenario = parse("scenario-json=%7B%22nme%22%3A1%7D").unwrap().unwrap();
        assert!(not_scenario
            .scenario()
            .unwrap_err()
            .contains("not a valid scenario"));
    }
}
