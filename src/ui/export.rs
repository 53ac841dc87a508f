//! What the Share / Export dialog downloads, as plain data: the run up to the current step as a
//! scenario file, as JSON (the run: config, seed, inputs), and the space-time diagram as SVG —
//! all written by the core (`scenario::export`, `timeline::Run`, `spacetime`).

use highwater_core::scenario::export::export_run;
use highwater_core::timeline::Timeline;

/// A download the dialog offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// `highwater-step-N.toml`: the scenario file.
    Scenario,
    /// `highwater-step-N.json`: the run (config, seed, inputs).
    RunJson,
    /// `highwater-step-N-diagram.svg`: the space-time diagram.
    DiagramSvg,
    /// `highwater-step-N-diagram.png`: the same drawing as an image.
    DiagramPng,
}

/// A file to save: its name, MIME type and text (for a PNG, the SVG it is drawn from).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    pub name: String,
    pub mime: &'static str,
    pub text: String,
}

/// The file of `kind` for the timeline's current step, or why there is none.
pub fn export_file(kind: ExportKind, tl: &Timeline) -> Result<ExportFile, String> {
    let base = format!("highwater-step-{}", tl.step());
    let (suffix, mime, text) = match kind {
        ExportKind::Scenario => {
            let name = format!("Highwater run at step {}", tl.step());
            let file = export_run(&tl.run(), &name)?;
            (".toml", "application/toml", file.to_toml())
        }
        ExportKind::RunJson => {
            // The run only: the snapshot's serialiser would add ~30 KB gzip to the page (the
            // JS API's `toJSON()` and `highwater export --json` add it).
            // Written compactly (as links are), then indented as plain data: one serialiser of
            // the run in the bundle.
            let text = serde_json::to_string(&tl.run())
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t))
                .and_then(|v| serde_json::to_string_pretty(&v))
                .map_err(|e| e.to_string())?;
            (".json", "application/json", text)
        }
        ExportKind::DiagramSvg | ExportKind::DiagramPng => {
            let svg = highwater_core::spacetime::standalone_svg(tl.events(), tl.current());
            let suffix = if kind == ExportKind::DiagramPng {
                "-diagram.png"
            } else {
                "-diagram.svg"
            };
            (suffix, "image/svg+xml", svg)
        }
    };
    Ok(ExportFile {
        name: format!("{base}{suffix}"),
        mime,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use highwater_core::command::Command;
    use highwater_core::config::ClusterConfig;

    #[test]
    fn each_kind_names_its_file_and_holds_the_run() {
        let mut tl = Timeline::new(ClusterConfig::default(), 5).unwrap();
        tl.apply(Command::Produce {
            producer: 1,
            topic: None,
            partition: None,
            key: None,
            value: "a".into(),
            acks: None,
        })
        .unwrap();
        tl.run_until(500);
        let step = tl.step();
        let toml = export_file(ExportKind::Scenario, &tl).unwrap();
        assert_eq!(toml.name, format!("highwater-step-{step}.toml"));
        assert!(toml.text.contains("produce = \"a\""), "{}", toml.text);
        let json = export_file(ExportKind::RunJson, &tl).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json.text).unwrap();
        assert_eq!(v["seed"], 5);
        assert_eq!(v["inputs"][0]["command"]["value"], "a");
        let svg = export_file(ExportKind::DiagramSvg, &tl).unwrap();
        assert!(svg.text.starts_with("<svg xmlns="), "{}", svg.text);
        let png = export_file(ExportKind::DiagramPng, &tl).unwrap();
        assert!(png.name.ends_with("-diagram.png"));
    }
}
