//! The scenario and tutorial files shipped with the page, compiled to JSON by `build.rs` (the
//! page's wasm carries no TOML parser). Each file was checked with `Scenario::parse` at build time.
//!
//! The page's wasm carries only the index (id, name, summary); it fetches a file's JSON from
//! `catalog/<id>.json` when the file is opened (`ui/catalog_fetch.rs`) and keeps it here. The JS
//! API's module and native builds (tests, the CLI's checks) embed every file instead.

use std::rc::Rc;

use highwater_core::scenario::Scenario;

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// Whether this build embeds the files' JSON (else the page fetches them).
const EMBEDDED: bool = cfg!(any(feature = "api", not(target_arch = "wasm32")));

/// Which folder a file comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folder {
    Scenarios,
    Tutorials,
}

/// One built-in file: its file stem (the id used in links and the JS API), its name and the
/// first sentence of its description. In the page's build a scenario's name and summary are
/// empty (the page shows only the chapters'; an open scenario's panel reads its file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub folder: Folder,
    index: usize,
}

fn entries(folder: Folder) -> impl Iterator<Item = Entry> {
    let list = match folder {
        Folder::Scenarios => SCENARIOS,
        Folder::Tutorials => TUTORIALS,
    };
    list.iter()
        .enumerate()
        .map(move |(index, &(id, name, summary))| Entry {
            id,
            name,
            summary,
            folder,
            index,
        })
}

/// The files of `scenarios/`, sorted by id.
pub fn scenarios() -> impl Iterator<Item = Entry> {
    entries(Folder::Scenarios)
}

/// The files of `tutorials/`, sorted by id.
pub fn tutorials() -> impl Iterator<Item = Entry> {
    entries(Folder::Tutorials)
}

/// The built-in scenario or tutorial called `id`.
pub fn find(id: &str) -> Option<Entry> {
    scenarios().chain(tutorials()).find(|e| e.id == id)
}

/// Where the page fetches one of the other files `build.rs` writes next to the chapters (the
/// summary's table, the legend), relative to the page.
pub fn file_url(file: &str) -> String {
    format!("catalog/{file}?v={VERSION}")
}

thread_local! {
    /// Files fetched so far, by id (only where they are not embedded).
    static FETCHED: std::cell::RefCell<Vec<(&'static str, Rc<str>)>> = const {
        std::cell::RefCell::new(Vec::new())
    };
}

impl Entry {
    /// Its JSON, when this build embeds it or it was fetched already.
    pub fn json(&self) -> Option<Rc<str>> {
        if EMBEDDED {
            return Some(self.embedded().into());
        }
        FETCHED.with(|f| {
            f.borrow()
                .iter()
                .find(|(id, _)| *id == self.id)
                .map(|(_, j)| j.clone())
        })
    }

    /// Keeps a fetched copy of its JSON for [`Entry::json`].
    pub fn store(&self, json: Rc<str>) {
        let id = self.id;
        FETCHED.with(|f| {
            let mut f = f.borrow_mut();
            f.retain(|(i, _)| *i != id);
            f.push((id, json));
        });
    }

    /// Where the page fetches it from, relative to the page (a new version of the files gets a
    /// new address, so no browser reuses a stale copy).
    pub fn url(&self) -> String {
        format!("catalog/{}.json?v={VERSION}", self.id)
    }

    /// Its embedded JSON; empty in the page's build, which leaves the files out.
    fn embedded(&self) -> &'static str {
        #[cfg(any(feature = "api", not(target_arch = "wasm32")))]
        let json = match self.folder {
            Folder::Scenarios => SCENARIOS_JSON[self.index],
            Folder::Tutorials => TUTORIALS_JSON[self.index],
        };
        #[cfg(not(any(feature = "api", not(target_arch = "wasm32"))))]
        let json = {
            let _ = self.index;
            ""
        };
        json
    }

    /// The scenario itself. Built-in files were validated at build time, so an error here means
    /// the JSON and the parser disagree (a bug), or the file was not fetched yet.
    pub fn scenario(&self) -> Result<Scenario, String> {
        let json = self
            .json()
            .ok_or_else(|| format!("the file of {} is not loaded", self.id))?;
        Scenario::from_json(&json).map_err(|e| format!("built-in scenario {}: {e}", self.id))
    }
}

/// `target/catalog/`, where `build.rs` writes the files the page fetches (for tests).
#[cfg(test)]
pub(crate) fn built_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("catalog")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_file_reads_back_from_json() {
        let mut n = 0;
        for e in scenarios().chain(tutorials()) {
            let s = e.scenario().unwrap_or_else(|err| panic!("{err}"));
            assert_eq!(s.name, e.name);
            assert_eq!(s.summary(), e.summary);
            n += 1;
        }
        let on_disk = |dir: &str| {
            std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
                .map(|d| {
                    d.filter(|e| {
                        e.as_ref()
                            .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "toml"))
                    })
                    .count()
                })
                .unwrap_or(0)
        };
        assert_eq!(
            n,
            on_disk("scenarios") + on_disk("tutorials"),
            "every file is built in"
        );
        assert!(find("s04-acks1-loss").is_some());
        assert!(find("no-such-scenario").is_none());
    }

    /// The files the page fetches are the embedded ones, byte for byte, under the ids it asks.
    #[test]
    fn the_fetched_files_are_the_embedded_ones() {
        let dir = built_dir();
        for e in scenarios().chain(tutorials()) {
            let path = dir.join(format!("{}.json", e.id));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            assert_eq!(text, e.embedded(), "{}", e.id);
            assert!(e.url().starts_with(&format!("catalog/{}.json?v=", e.id)));
        }
    }

    /// The summary's table, the legend, the help and the article's note the page fetches are the
    /// ones of this build.
    #[test]
    fn the_fetched_html_files_are_these() {
        for (file, html) in [
            (
                crate::summary_table::FILE,
                crate::summary_table::table_html(),
            ),
            (crate::legend_html::FILE, crate::legend_html::legend_html()),
            (crate::help_html::FILE, crate::help_html::help_html()),
            (
                crate::article_html::FILE,
                crate::article_html::article_html(),
            ),
        ] {
            let path = built_dir().join(file);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(text, html, "{file}");
            assert!(file_url(file).starts_with(&format!("catalog/{file}?v=")));
        }
    }

    #[test]
    fn a_stored_copy_is_found_by_its_id() {
        let e = tutorials().next().expect("a chapter");
        e.store(e.embedded().into());
        assert_eq!(e.json().as_deref(), Some(e.embedded()));
    }
}
