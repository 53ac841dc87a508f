//! The scenario and tutorial files shipped with the page, compiled to JSON by `build.rs` (the
//! page's wasm carries no TOML parser). Each file was checked with `Scenario::parse` at build time.

use highwater_core::scenario::Scenario;

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// One built-in file: its file stem (the id used in links and the JS API), its name and its JSON.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub id: &'static str,
    pub name: &'static str,
    pub json: &'static str,
}

fn entries(
    list: &'static [(&'static str, &'static str, &'static str)],
) -> impl Iterator<Item = Entry> {
    list.iter()
        .map(|&(id, name, json)| Entry { id, name, json })
}

/// The files of `scenarios/`, sorted by id.
pub fn scenarios() -> impl Iterator<Item = Entry> {
    entries(SCENARIOS)
}

/// The files of `tutorials/`, sorted by id.
pub fn tutorials() -> impl Iterator<Item = Entry> {
    entries(TUTORIALS)
}

/// The built-in scenario or tutorial called `id`.
pub fn find(id: &str) -> Option<Entry> {
    scenarios().chain(tutorials()).find(|e| e.id == id)
}

impl Entry {
    /// The scenario itself. Built-in files were validated at build time, so an error here means
    /// the JSON and the parser disagree (a bug), reported rather than panicking.
    pub fn scenario(&self) -> Result<Scenario, String> {
        Scenario::from_json(self.json).map_err(|e| format!("built-in scenario {}: {e}", self.id))
    }
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
}
