//! Room for names and short texts in the picture: an estimate of a text's drawn width (the
//! layout cannot measure text) for partition names, the coordinators' badges and the cards'
//! lines, and a partition name shortened with an ellipsis when even the widest room cannot hold
//! it (the tooltips keep the full name).
//!
//! The estimates err wide: they are calibrated on DejaVu Sans Bold, the widest of the page's
//! sans-serif fonts on the machines we test on (`receipts-0` measured 68.1 units at 12 px,
//! estimated 72.0), so a name never runs into the marks after it, and a narrower font leaves a
//! little more space.

use std::borrow::Cow;

/// Font size of a replica row's partition name (`.part-label`, CSS units).
const PART_LABEL_PX: f64 = 12.0;

/// Advance of one character of the controller's monospace line (`.ctrl-part`, 0.6 em of
/// 11.5 units; the compact picture's 10.5 is narrower).
pub const CTRL_ADVANCE: f64 = 0.6 * 11.5;

/// Estimated width, in em, of a character of the picture's bold sans-serif (DejaVu Sans Bold's
/// advances, rounded up by class).
fn em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | ' ' => 0.36,
        'f' | 'r' | 't' | '-' | '·' => 0.48,
        'm' | 'w' => 1.05,
        'M' | 'W' => 1.1,
        'A'..='Z' => 0.84,
        '0'..='9' | ' '..='~' => 0.70,
        // Letters of other scripts: as wide as an em, so a wide glyph never overlaps.
        _ => 1.0,
    }
}

/// The regular (and italic) face is about a tenth narrower than the bold.
const REGULAR: f64 = 0.9;

/// Estimated advance of a character of a replica row's partition name.
pub fn part_label_advance(c: char) -> f64 {
    em(c) * PART_LABEL_PX
}

/// Estimated width of `text` in the picture's bold sans-serif at `px` units.
pub fn bold_sans_width(text: &str, px: f64) -> f64 {
    text.chars().map(em).sum::<f64>() * px
}

/// Estimated advance of a character of a card's regular line (`.node-line`, 11.5 units).
pub fn node_line_advance(c: char) -> f64 {
    REGULAR * em(c) * 11.5
}

/// The same on the compact picture (10.5 units).
pub fn node_line_advance_compact(c: char) -> f64 {
    REGULAR * em(c) * 10.5
}

/// Whether an internal partition is `__transaction_state`'s (else `__consumer_offsets`').
pub fn is_transaction_state(name: &str) -> bool {
    name.starts_with("__transaction")
}

/// An internal partition's own label (`txn state` or `offsets`, then `internal`), drawn in
/// place of its name on two italic lines (`consumers.rs`).
pub fn internal_label(name: &str) -> (&'static str, &'static str) {
    if is_transaction_state(name) {
        ("txn state", "internal")
    } else {
        ("offsets", "internal")
    }
}

/// Estimated width of an internal partition's label (the italic) at `px` units.
pub fn internal_label_width(name: &str, px: f64) -> f64 {
    let (a, z) = internal_label(name);
    REGULAR * bold_sans_width(a, px).max(bold_sans_width(z, px))
}

/// Advance of a character on the controller's monospace line.
pub fn ctrl_advance(_: char) -> f64 {
    CTRL_ADVANCE
}

/// Estimated width of `text` drawn with `advance`.
pub fn width(text: &str, advance: fn(char) -> f64) -> f64 {
    text.chars().map(advance).sum()
}

/// A partition's name (`topic-N`) as it fits in `room` units drawn with `advance`: whole, or
/// the topic's head, an ellipsis and the partition number (`customer-or…-1`), so that the
/// partitions of one long-named topic stay told apart.
pub fn fit(name: &str, room: f64, advance: fn(char) -> f64) -> Cow<'_, str> {
    if width(name, advance) <= room {
        return Cow::Borrowed(name);
    }
    let cut = name.rfind('-').unwrap_or(name.len());
    let (topic, tail) = name.split_at(cut);
    let mut left = room - advance('…') - width(tail, advance);
    let mut end = 0;
    for (i, c) in topic.char_indices() {
        left -= advance(c);
        if left < 0.0 {
            break;
        }
        end = i + c.len_utf8();
    }
    Cow::Owned([&topic[..end], "…", tail].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part_label_width(s: &str) -> f64 {
        width(s, part_label_advance)
    }

    #[test]
    fn estimates_err_wide_of_the_measured_widths() {
        // Measured in headless Chromium (DejaVu Sans Bold): partition names at 12 units, the
        // coordinators' badges at 11.5.
        for (name, measured) in [("t-0", 19.1), ("orders-0", 57.2), ("receipts-0", 68.1)] {
            let e = part_label_width(name);
            assert!(e >= measured && e < measured * 1.1, "{name}: {e}");
        }
        for (text, measured) in [
            ("coord. g gen 1 · Stable", 147.1),
            ("coordinator · g gen 1 · Stable", 190.0),
            ("txn · CompleteCommit", 144.7),
        ] {
            let e = bold_sans_width(text, 11.5);
            assert!(e >= measured && e < measured * 1.1, "{text}: {e}");
        }
        // The italic internal labels at 11.5: "txn state" 51.4, "internal" 44.3.
        let e = internal_label_width("__transaction_state-0", 11.5);
        assert!((51.4..51.4 * 1.15).contains(&e), "{e}");
        assert_eq!(width("orders-0", ctrl_advance), 8.0 * CTRL_ADVANCE);
    }

    #[test]
    fn a_name_too_long_keeps_its_head_an_ellipsis_and_its_partition() {
        assert_eq!(fit("t-0", 40.0, part_label_advance), "t-0");
        let long = "customer-orders-from-the-web-shop-12";
        let fitted = fit(long, 80.0, part_label_advance);
        let head = fitted
            .strip_suffix("…-12")
            .expect("the partition number kept");
        assert!(!head.is_empty() && long.starts_with(head), "{fitted}");
        assert!(part_label_width(&fitted) <= 80.0);
        // One more character of the topic would not have fitted.
        let next = long[head.len()..].chars().next().unwrap();
        assert!(part_label_width(&format!("{head}{next}…-12")) > 80.0);
        // Two partitions of the topic stay apart.
        assert_ne!(
            fit(long, 80.0, part_label_advance),
            fit(
                "customer-orders-from-the-web-shop-13",
                80.0,
                part_label_advance
            )
        );
        // No room for any of the topic: the ellipsis and the number.
        assert_eq!(fit(long, 1.0, part_label_advance), "…-12");
    }
}
