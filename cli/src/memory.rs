//! The process's own memory, for the search's memory bound (`highwater check`): its resident set,
//! read from `/proc/self/status` on Linux. Elsewhere there is no reading, and the search keeps
//! the core's estimate (docs/CHECKER.md, "Bounds and refusals").

/// The resident set in bytes (`VmRSS`), or `None` where it cannot be read.
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    vm_rss(&status)
}

/// The `VmRSS:` line of a `/proc/<pid>/status` text, in bytes (the kernel writes it in kB).
fn vm_rss(status: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?;
    let kb: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    kb.checked_mul(1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resident_set_is_read_from_the_status_text() {
        let status = "Name:\thighwater\nVmPeak:\t  20000 kB\nVmRSS:\t   12345 kB\nThreads:\t1\n";
        assert_eq!(vm_rss(status), Some(12_345 * 1024));
        assert_eq!(vm_rss("Name:\thighwater\n"), None);
        assert_eq!(vm_rss("VmRSS:\t lots kB\n"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_has_a_resident_set() {
        let bytes = resident_bytes().expect("Linux has /proc/self/status");
        // At least the test binary's own pages, and less than this machine's memory.
        assert!(bytes > 1 << 20 && bytes < 1 << 40, "{bytes}");
    }
}
