//! Numbers as the page writes them: SVG coordinates, CSS percentages, seconds. Plain functions
//! at the bottom of the UI's layers (the picture, the controls and the plot all use them).

/// Coordinates with one decimal at most (short attributes, stable diffs). Integer arithmetic:
/// it keeps float formatting out of the bundle.
pub fn fmt(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

/// Appends `v` as [`fmt`] writes it (for path data built in one string); shared with the
/// space-time diagram's SVG writer in the core.
pub use highwater_core::spacetime::svg::push_num;

/// A percentage with three decimals, for CSS.
pub fn pct(part: u64, whole: u64) -> String {
    let milli = part.saturating_mul(100_000) / whole.max(1);
    format!("{}.{:03}%", milli / 1000, milli % 1000)
}

/// Milliseconds as seconds with one decimal: `1234` → `1.2 s`.
pub fn seconds(ms: u64) -> String {
    format!("{}.{} s", ms / 1000, ms % 1000 / 100)
}

/// A Kafka error name on lines of at most `max` characters, broken after an underscore
/// (`NOT_ENOUGH_REPLICAS_AFTER_APPEND` → `NOT_ENOUGH_REPLICAS_`, `AFTER_APPEND`); a word longer
/// than a line is cut at `max`.
pub fn wrap_name(name: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in name.split_inclusive('_') {
        if !line.is_empty() && line.chars().count() + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        line.push_str(word);
        while line.chars().count() > max {
            let rest: String = line.chars().skip(max).collect();
            lines.push(line.chars().take(max).collect());
            line = rest;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap_name;

    #[test]
    fn error_names_wrap_after_underscores() {
        assert_eq!(
            wrap_name("NOT_ENOUGH_REPLICAS", 19),
            ["NOT_ENOUGH_REPLICAS"]
        );
        assert_eq!(
            wrap_name("NOT_ENOUGH_REPLICAS", 13),
            ["NOT_ENOUGH_", "REPLICAS"]
        );
        assert_eq!(
            wrap_name("NOT_ENOUGH_REPLICAS_AFTER_APPEND", 20),
            ["NOT_ENOUGH_REPLICAS_", "AFTER_APPEND"]
        );
        assert_eq!(wrap_name("ABCDEFGH", 3), ["ABC", "DEF", "GH"]);
        for (name, max) in [
            ("OUT_OF_ORDER_SEQUENCE_NUMBER", 13),
            ("REQUEST_TIMED_OUT", 19),
        ] {
            let lines = wrap_name(name, max);
            assert_eq!(lines.concat(), name);
            assert!(lines.iter().all(|l| l.chars().count() <= max), "{lines:?}");
        }
    }
}
