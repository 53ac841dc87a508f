//! Numbers as the page writes them: SVG coordinates, CSS percentages, seconds. Plain functions
//! at the bottom of the UI's layers (the picture, the controls and the plot all use them).

/// Coordinates with one decimal at most (short attributes, stable diffs). Integer arithmetic:
/// it keeps float formatting out of the bundle.
pub fn fmt(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

/// Appends `v` as [`fmt`] writes it (for path data built in one string).
pub fn push_num(out: &mut String, v: f64) {
    use std::fmt::Write;
    let tenths = (v * 10.0).round() as i64;
    let (sign, t) = if tenths < 0 {
        ("-", -tenths)
    } else {
        ("", tenths)
    };
    let _ = if t % 10 == 0 {
        write!(out, "{sign}{}", t / 10)
    } else {
        write!(out, "{sign}{}.{}", t / 10, t % 10)
    };
}

/// A percentage with three decimals, for CSS.
pub fn pct(part: u64, whole: u64) -> String {
    let milli = part.saturating_mul(100_000) / whole.max(1);
    format!("{}.{:03}%", milli / 1000, milli % 1000)
}

/// Milliseconds as seconds with one decimal: `1234` → `1.2 s`.
pub fn seconds(ms: u64) -> String {
    format!("{}.{} s", ms / 1000, ms % 1000 / 100)
}
