//! `highwater export`: a scenario re-exported with its observed state, as JSON, as SVG; bad
//! input exits 2 with a message.

mod support;
use support::*;

fn shipped(name: &str) -> String {
    format!("{}/../scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_exported_scenario_runs_and_its_expectations_hold() {
    let o = run(&["export", &shipped("s04-acks1-loss.toml")]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("[step.expect]"), "{text}");
    assert!(
        text.contains("broken = [\"no acknowledged record lost\"]"),
        "{text}"
    );
    let f = TempFile::new("exported.toml", &text);
    let r = run(&["run", f.arg()]);
    assert_eq!(code(&r), 0, "{}\n{}\n{text}", stdout(&r), stderr(&r));
    assert!(stdout(&r).contains(" passed, 0 failed"), "{}", stdout(&r));
}

#[test]
fn step_cuts_the_run_and_observes_there() {
    let all = stdout(&run(&["export", &shipped("s04-acks1-loss.toml")]));
    let o = run(&["export", &shipped("s04-acks1-loss.toml"), "--step", "1"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let first = stdout(&o);
    let steps = |t: &str| t.matches("[[step]]").count();
    assert_eq!(steps(&first), 1, "{first}");
    assert!(steps(&all) > 1);
    assert!(first.contains("produce = \"a\""), "{first}");
    assert!(!first.contains("broken ="), "nothing is lost yet:\n{first}");
    let f = TempFile::new("first.toml", &first);
    assert_eq!(code(&run(&["run", f.arg()])), 0);
}

#[test]
fn json_holds_the_run_and_the_snapshot() {
    let o = run(&["export", &shipped("s04-acks1-loss.toml"), "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["run"]["seed"], 4);
    assert!(v["run"]["inputs"].as_array().is_some_and(|a| !a.is_empty()));
    assert!(v["snapshot"]["brokers"].is_array(), "{v}");
}

#[test]
fn svg_is_the_space_time_diagram() {
    let o = run(&[
        "export",
        &shipped("s26-lost-ack-retry-duplicate.toml"),
        "--svg",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let svg = stdout(&o);
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(svg.trim_end().ends_with("</svg>"));
    for lane in ["p1", "b1", "b2", "b3", "controller", "c1"] {
        assert!(
            svg.contains(&format!("lane {lane}\"")),
            "lane {lane}: {svg}"
        );
    }
    assert!(svg.contains("st-arrow"), "arrows drawn");
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let s04 = shipped("s04-acks1-loss.toml");
    for (args, words) in [
        (vec!["export"], "needs a scenario file"),
        (vec!["export", "missing.toml"], "cannot read"),
        (vec!["export", &s04, "--step", "0"], "--step takes"),
        (vec!["export", &s04, "--step", "999"], "the file has"),
        (vec!["export", &s04, "--json", "--svg"], "choose one"),
        (vec!["export", &s04, "--pdf"], "unknown option --pdf"),
    ] {
        let o = run(&args);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(stderr(&o).contains(words), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}");
    }
    let bad = TempFile::new("bad.toml", "name = 1\n");
    let o = run(&["export", bad.arg()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("bad.toml"), "{}", stderr(&o));
}
