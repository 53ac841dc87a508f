//! Hostile inputs (issue: a shared link must never hang a tab): a run that asks for more work
//! than the replay budget is refused before any work, with a message naming the limit; a run
//! whose cost only shows while running stops at the budget; names Kafka refuses are refused.

use highwater_core::budget::Budget;
use highwater_core::command::{Command, Input};
use highwater_core::config::{ClusterConfig, TopicConfig};
use highwater_core::scenario::Scenario;
use highwater_core::timeline::{Run, Timeline};
use highwater_core::Cluster;

fn run_with(inputs: Vec<Input>) -> Run {
    Run {
        config: ClusterConfig::default(),
        seed: 1,
        inputs,
    }
}

/// An auto-producing run: events keep coming for as long as virtual time goes on.
fn busy() -> Vec<Input> {
    vec![Input::Command(Command::AutoProduce {
        producer: 1,
        interval_ms: 1,
        topic: None,
        acks: None,
    })]
}

#[test]
fn a_link_asking_for_a_trillion_steps_is_refused_before_any_work() {
    let frag = run_with(vec![Input::Steps(1_000_000_000_000)]).to_fragment();
    let e = Run::from_fragment(&frag).unwrap_err();
    assert!(e.contains("replay budget of 1000000"), "{e}");
    let e = Timeline::from_run(&run_with(vec![Input::Steps(u64::MAX)])).unwrap_err();
    assert!(e.message.contains("replay budget"), "{}", e.message);
    let e = Run::from_fragment(&run_with(vec![Input::RunUntil(1_000_000_000_000)]).to_fragment())
        .unwrap_err();
    assert!(e.contains("virtual time"), "{e}");
}

#[test]
fn a_run_whose_cost_shows_only_while_running_stops_at_the_budget() {
    // One day of auto-producing every millisecond: far more events than the budget allows.
    let mut inputs = busy();
    inputs.push(Input::RunUntil(86_400_000));
    let small = Budget {
        max_events: 20_000,
        ..Budget::DEFAULT
    };
    let e = Timeline::from_run_within(&run_with(inputs), &small).unwrap_err();
    assert!(
        e.message.contains("replay budget of 20000"),
        "{}",
        e.message
    );

    // The same on a live timeline: it stops, stays usable, and a second call goes on.
    let mut tl = Timeline::new(ClusterConfig::default(), 1).unwrap();
    tl.apply(Command::AutoProduce {
        producer: 1,
        interval_ms: 1,
        topic: None,
        acks: None,
    })
    .unwrap();
    let e = tl.run_until_within(86_400_000, &small).unwrap_err();
    assert!(e.0.contains("20000"), "{e}");
    let reached = tl.current().now();
    assert!(reached > 0 && reached < 86_400_000, "{reached}");
    let step = tl.step();
    assert!(tl.run_until_within(reached + 100, &small).is_ok());
    assert!(tl.step() > step && tl.current().now() == reached + 100);
    // Within budget, the bounded run equals the plain one.
    let mut a = Timeline::new(ClusterConfig::default(), 1).unwrap();
    let mut b = a.clone();
    for t in [&mut a, &mut b] {
        t.apply(busy_cmd()).unwrap();
    }
    a.run_until(2_000);
    b.run_until_within(2_000, &Budget::DEFAULT).unwrap();
    assert_eq!(a.current().state_hash(), b.current().state_hash());
    assert_eq!(a.step(), b.step());
}

fn busy_cmd() -> Command {
    Command::AutoProduce {
        producer: 1,
        interval_ms: 1,
        topic: None,
        acks: None,
    }
}

#[test]
fn the_cluster_and_scenarios_run_under_the_budget() {
    let mut c = Cluster::new(ClusterConfig::default(), 3).unwrap();
    c.apply(busy_cmd()).unwrap();
    let small = Budget {
        max_events: 5_000,
        ..Budget::DEFAULT
    };
    assert!(c.run_until_within(86_400_000, &small).is_err());
    assert!(c.now() < 86_400_000);

    let steps = "[[step]]\nsteps = 900000\n".repeat(2);
    let e = Scenario::parse(&format!("name = \"x\"\n{steps}")).unwrap_err();
    assert!(e.message.contains("replay budget"), "{}", e.message);
    let e = Scenario::parse("name = \"x\"\n[[step]]\nsteps = 10000000\n").unwrap_err();
    assert!(e.message.contains("at most 1000000"), "{}", e.message);
}

#[test]
fn topic_names_follow_kafka_and_the_total_partition_count_is_bounded() {
    let mut cfg = ClusterConfig::default();
    cfg.topics[0].name = "<img src=x onerror=alert(1)>".into();
    let e = cfg.validate().unwrap_err().0;
    assert!(e.contains("ASCII alphanumerics, '.', '_' and '-'"), "{e}");
    let mut cfg = ClusterConfig::default();
    cfg.topics = (0..2000)
        .map(|i| TopicConfig {
            name: format!("t{i}"),
            partitions: 64,
            ..cfg.topics[0].clone()
        })
        .collect();
    let e = cfg.validate().unwrap_err().0;
    assert!(
        e.contains("at most 256 partitions over all topics, not 128000"),
        "{e}"
    );
}

/// A paused node's pending events are parked (so it costs the scheduler nothing per step), yet
/// its messages stay on the wire in delivery order, can be dropped, and fire in order on resume.
#[test]
fn a_paused_nodes_messages_stay_visible_droppable_and_ordered() {
    use highwater_core::types::NodeId;
    let mut c = Cluster::new(ClusterConfig::default(), 4).unwrap();
    c.apply(busy_cmd()).unwrap();
    c.run_until(2_000);
    c.apply(Command::Pause {
        node: NodeId::Controller,
    })
    .unwrap();
    c.run_until(6_000);
    let to_controller: Vec<u64> = c
        .in_flight()
        .filter(|e| e.to == NodeId::Controller)
        .map(|e| e.id)
        .collect();
    assert!(
        to_controller.len() >= 3,
        "heartbeats wait for the paused controller"
    );
    let order: Vec<(u64, u64)> = c.in_flight().map(|e| (e.deliver_at, e.id)).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "in delivery order, parked or not");
    c.apply(Command::Drop {
        message: to_controller[0],
    })
    .unwrap();
    assert!(c.in_flight().all(|e| e.id != to_controller[0]));
    c.apply(Command::Resume {
        node: NodeId::Controller,
    })
    .unwrap();
    // The overdue messages fire first, oldest first.
    let next = c.in_flight().next().map(|e| e.id);
    assert_eq!(next, Some(to_controller[1]));
    c.step();
    assert!(c.in_flight().all(|e| e.id != to_controller[1]));
}
