//! Room for partition names in the picture: an estimate of a name's drawn width (the layout
//! cannot measure text), and the name shortened with an ellipsis when even the widest label
//! column cannot hold it (the row's and the entry's tooltips keep the full name).
//!
//! The estimates err wide: they are calibrated on DejaVu Sans Bold, the widest of the page's
//! sans-serif fonts on the machines we test on (`receipts-0` measured 68.1 units at 12 px,
//! estimated 69.6), so a name never runs into the marks after it, and a narrower font leaves a
//! little more space.

use std::borrow::Cow;

/// Font size of a replica row's partition name (`.part-label`, CSS units).
const PART_LABEL_PX: f64 = 12.0;

/// Advance of one character of the controller's monospace line (`.ctrl-part`, 0.6 em of
/// 11.5 units; the compact picture's 10.5 is narrower).
pub const CTRL_ADVANCE: f64 = 0.6 * 11.5;

/// Estimated width, in em, of a character of the bold sans-serif partition name.
fn em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 0.36,
        'f' | 'r' | 't' | '-' => 0.48,
        'm' | 'w' | 'M' | 'W' => 1.0,
        'A'..='Z' => 0.78,
        '0'..='9' => 0.70,
        ' '..='~' => 0.66,
        // Letters of other scripts: as wide as an em, so a wide glyph never overlaps.
        _ => 1.0,
    }
}

/// Estimated width of a partition name as a replica row draws it.
pub fn part_label_width(name: &str) -> f64 {
    name.chars().map(em).sum::<f64>() * PART_LABEL_PX
}

/// Estimated width of a name on the controller's monospace line.
pub fn ctrl_label_width(name: &str) -> f64 {
    name.chars().count() as f64 * CTRL_ADVANCE
}

/// A partition's name (`topic-N`) as it fits in `room` units by `width`: whole, or the topic's
/// head, an ellipsis and the partition number (`customer-or…-1`), so that the partitions of one
/// long-named topic stay told apart.
pub fn fit(name: &str, room: f64, width: impl Fn(&str) -> f64) -> Cow<'_, str> {
    if width(name) <= room {
        return Cow::Borrowed(name);
    }
    let (topic, tail) = name
        .rsplit_once('-')
        .map_or((name, ""), |(t, _)| (t, &name[t.len()..]));
    let mut head = String::new();
    for c in topic.chars() {
        head.push(c);
        if width(&format!("{head}…{tail}")) > room {
            head.pop();
            break;
        }
    }
    Cow::Owned(format!("{head}…{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_err_wide_of_the_measured_widths() {
        // Measured in headless Chromium (DejaVu Sans Bold, 12 px): t-0 19.1, orders-0 57.2,
        // receipts-0 68.1 units.
        for (name, measured) in [("t-0", 19.1), ("orders-0", 57.2), ("receipts-0", 68.1)] {
            let e = part_label_width(name);
            assert!(e >= measured && e < measured * 1.1, "{name}: {e}");
        }
        assert_eq!(ctrl_label_width("orders-0"), 8.0 * CTRL_ADVANCE);
    }

    #[test]
    fn a_name_too_long_keeps_its_head_an_ellipsis_and_its_partition() {
        assert_eq!(fit("t-0", 40.0, part_label_width), "t-0");
        let long = "customer-orders-from-the-web-shop-12";
        let fitted = fit(long, 80.0, part_label_width);
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
            fit(long, 80.0, part_label_width),
            fit(
                "customer-orders-from-the-web-shop-13",
                80.0,
                part_label_width
            )
        );
        // No room for any of the topic: the ellipsis and the number.
        assert_eq!(fit(long, 1.0, part_label_width), "…-12");
    }
}
