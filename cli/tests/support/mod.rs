//! Helpers shared by the CLI's test files: the binary, temp files, output accessors.
#![allow(dead_code)] // each test file uses a different subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// The CLI binary. The web app's binary (package `highwater`) has the same file name, so after a
/// workspace-wide build `target/debug/highwater` may be the web app; fall back to the newest CLI
/// build in `deps/` then (recognised by its usage text).
pub fn bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let declared = PathBuf::from(env!("CARGO_BIN_EXE_highwater"));
        if is_cli(&declared) {
            return declared;
        }
        let deps = declared.parent().expect("target dir").join("deps");
        let mut found: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&deps)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                name.starts_with("highwater-") && !name.contains('.') && is_cli(p)
            })
            .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
            .collect();
        found.sort();
        let (_, p) = found.pop().unwrap_or_else(|| {
            panic!(
                "{} is not the highwater CLI (the web app's binary has the same name) and no CLI \
                 build was found in {}",
                declared.display(),
                deps.display()
            )
        });
        eprintln!(
            "note: {} is the web app's binary (output filename collision); using {}",
            declared.display(),
            p.display()
        );
        p
    })
}

pub fn is_cli(p: &Path) -> bool {
    Command::new(p).arg("--help").output().is_ok_and(|o| {
        o.status.success() && String::from_utf8_lossy(&o.stdout).contains("highwater run FILE")
    })
}

/// A file in a fresh directory under the system temp dir, removed when dropped.
pub struct TempFile {
    path: PathBuf,
}

impl TempFile {
    pub fn new(name: &str, text: &str) -> TempFile {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "highwater-cli-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        TempFile { path }
    }
    pub fn arg(&self) -> &str {
        self.path.to_str().expect("utf-8 temp path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally, not by a signal")
}
