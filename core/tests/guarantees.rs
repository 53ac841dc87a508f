//! The summary table (`core/src/guarantees.rs`, the page's `#summary`, `docs/GUARANTEES.md`):
//! every cell's chapter or scenario exists, has the step it names, and — replayed to that step —
//! its ledger shows the outcome when the cell says yes or when, and does not when it says no.

use std::path::PathBuf;

use highwater_core::cluster::Cluster;
use highwater_core::guarantees::{markdown, Outcome, Shown, ROWS};
use highwater_core::scenario::{start_after, Scenario};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Whether the run's ledger shows the outcome.
fn shows(c: &Cluster, o: Outcome) -> bool {
    let counts = c.ledger_counts();
    let v = c.consumer_verdicts();
    match o {
        Outcome::Lost => counts.lost > 0 || !v.lost.is_empty() || !v.deleted_unread.is_empty(),
        Outcome::Duplicated => {
            counts.duplicated > 0 || c.ledger_rows().any(|r| r.visible_outputs > Some(1))
        }
        Outcome::Reordered => !v.out_of_order.is_empty(),
        Outcome::ProcessedTwice => !v.twice.is_empty(),
    }
}

fn state_at(s: Shown) -> Result<Cluster, String> {
    let text =
        std::fs::read_to_string(repo().join(s.path())).map_err(|e| format!("{}: {e}", s.path()))?;
    let sc = Scenario::parse(&text).map_err(|e| format!("{}: {e}", s.path()))?;
    if s.step() == 0 || s.step() > sc.steps.len() {
        return Err(format!(
            "{}: no step {} (it has {})",
            s.path(),
            s.step(),
            sc.steps.len()
        ));
    }
    start_after(&sc, s.step()).map_err(|e| format!("{}: {e}", s.path()))
}

#[test]
fn every_linked_step_shows_what_its_cell_says() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for row in ROWS {
        for o in Outcome::ALL {
            let cell = row.cell(o);
            let Some(shown) = cell.shown else { continue };
            match state_at(shown) {
                Err(e) => problems.push(e),
                Ok(c) => {
                    checked += 1;
                    if shows(&c, o) != cell.verdict.happens() {
                        problems.push(format!(
                            "{} / {}: the cell says {} ({}), but {} {} it",
                            row.setting.name(),
                            o.title(),
                            cell.verdict.as_str(),
                            cell.words,
                            shown.label(),
                            if shows(&c, o) {
                                "shows"
                            } else {
                                "does not show"
                            }
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    assert!(checked >= 30, "only {checked} linked cells");
}

#[test]
fn every_column_has_a_yes_shown_by_a_run() {
    for o in Outcome::ALL {
        assert!(
            ROWS.iter()
                .any(|r| r.cell(o).verdict.happens() && r.cell(o).shown.is_some()),
            "{}: no run shows it happen",
            o.title()
        );
    }
}

#[test]
fn docs_guarantees_md_is_the_generated_table() {
    let path = repo().join("docs/GUARANTEES.md");
    let want = markdown();
    if std::env::var_os("HIGHWATER_WRITE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/GUARANTEES.md is not the generated table: run \
         HIGHWATER_WRITE_DOCS=1 cargo test -p highwater-core --test guarantees"
    );
}
