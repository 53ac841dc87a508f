//! The controller's wait for a silent broker (read model `ControllerSummary::silent`, issue 16
//! item 5): after a crash the controller hears no heartbeat; once one and a half intervals have
//! passed the broker is "silent" with the time its session times out (R3.2,
//! `broker.session.timeout.ms`), and at that time it is fenced and no longer silent.

use highwater_core::config::ClusterConfig;
use highwater_core::{Cluster, Command};

#[test]
fn a_crashed_broker_is_silent_until_its_session_times_out() {
    let cfg = ClusterConfig::default();
    let (interval, timeout) = (
        cfg.broker.broker_heartbeat_interval_ms,
        cfg.broker.broker_session_timeout_ms,
    );
    let mut c = Cluster::new(cfg, 1).unwrap();
    c.run_until(5_000);
    assert!(c.controller_summary().silent.is_empty(), "all heartbeating");
    c.apply(Command::Crash {
        broker: 2,
        lose_unflushed: false,
    })
    .unwrap();
    let crashed_at = c.now();
    c.run_until(crashed_at + interval);
    // Within one and a half intervals of its last heartbeat it is not silent yet.
    let s = c.controller_summary();
    assert!(
        s.silent
            .iter()
            .all(|s| c.now() <= s.last_heartbeat + interval * 3 / 2),
        "{s:?}"
    );
    c.run_until(crashed_at + 2 * interval);
    let s = c.controller_summary();
    let silent = s
        .silent
        .iter()
        .find(|s| s.broker == 2)
        .expect("b2 is silent");
    assert_eq!(s.silent.len(), 1, "only b2: {s:?}");
    assert!(silent.last_heartbeat <= crashed_at);
    assert_eq!(silent.fenced_at, silent.last_heartbeat + timeout + 1);
    assert!(!s.fenced.contains(&2));
    // At the deadline the controller fences it: no longer silent.
    c.run_until(silent.fenced_at + 50);
    let s = c.controller_summary();
    assert!(s.fenced.contains(&2), "{s:?}");
    assert!(s.silent.is_empty(), "{s:?}");
    // A restarted broker heartbeats again and is neither silent nor fenced.
    c.apply(Command::Restart { broker: 2 }).unwrap();
    c.run_until(c.now() + 3 * interval);
    let s = c.controller_summary();
    assert!(s.silent.is_empty() && !s.fenced.contains(&2), "{s:?}");
}
