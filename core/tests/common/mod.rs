//! Helpers shared by the integration tests (each test file includes this module).

use highwater_core::{Cluster, Command};

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
