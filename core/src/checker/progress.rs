//! A running search's progress in words: the line the search worker posts between slices and
//! `highwater check` shows on a terminal.

use super::search::Stats;
use crate::plain_words::thousands;

/// Distinct states per second after `elapsed_ms` (0 before any time has passed).
pub fn states_per_s(stats: &Stats, elapsed_ms: u64) -> f64 {
    if elapsed_ms > 0 {
        stats.states as f64 * 1000.0 / elapsed_ms as f64
    } else {
        0.0
    }
}

/// The progress line: states, depth, queue, speed, memory, time.
pub fn progress_line(stats: &Stats, elapsed_ms: u64) -> String {
    format!(
        "{} states · depth {} · {} queued · {} states/s · {} MiB · {:.1} s",
        thousands(stats.states),
        stats.depth,
        thousands(stats.queued),
        thousands(states_per_s(stats, elapsed_ms) as u64),
        thousands(stats.bytes >> 20),
        elapsed_ms as f64 / 1000.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_says_states_depth_queue_speed_memory_and_time() {
        let stats = Stats {
            states: 1_234_567,
            depth: 12,
            queued: 45_000,
            bytes: 300 << 20,
            ..Stats::default()
        };
        assert_eq!(
            progress_line(&stats, 2_500),
            "1,234,567 states · depth 12 · 45,000 queued · 493,826 states/s · 300 MiB · 2.5 s"
        );
        assert!(progress_line(&Stats::default(), 0).contains("0 states/s"));
    }
}
