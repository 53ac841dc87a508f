//! Helpers shared by the integration tests (each test file includes this module).

use highwater_core::{Cluster, Command};

#[allow(dead_code)] // not every test file refuses commands
/// Applies a command that must be refused: the message must contain `words`, and neither the
/// state nor the history may change.
pub fn assert_refused(c: &mut Cluster, cmd: Command, words: &[&str]) {
    let hash = c.state_hash();
    let history = c.history().len();
    let e = c
        .apply(cmd.clone())
        .expect_err(&format!("{cmd:?} should be refused"));
    for w in words {
        assert!(
            e.0.contains(w),
            "{cmd:?}: message {:?} should mention {w:?}",
            e.0
        );
    }
    assert_eq!(e.to_string(), e.0);
    assert_eq!(
        c.state_hash(),
        hash,
        "{cmd:?} was refused but changed the state"
    );
    assert_eq!(
        c.history().len(),
        history,
        "{cmd:?} was refused but recorded"
    );
}

/// Producer 1 sends `value` (default topic, partitioner's choice, configured acks).
#[allow(dead_code)] // not every test file produces
pub fn produce(value: &str) -> Command {
    Command::Produce {
        producer: 1,
        topic: None,
        partition: None,
        key: None,
        value: value.into(),
        acks: None,
    }
}
