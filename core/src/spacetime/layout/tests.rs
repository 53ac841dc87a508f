//! The layout as pure functions: lane order, arrow endpoints, windowing, filtering.

use super::*;

const P1: NodeId = NodeId::Producer(1);
const B1: NodeId = NodeId::Broker(1);
const B2: NodeId = NodeId::Broker(2);
const C1: NodeId = NodeId::Consumer(1);

fn wire(
    step: u64,
    time: Millis,
    kind: EventKind,
    id: u64,
    m: MessageKind,
    from: NodeId,
    to: NodeId,
) -> Event {
    Event {
        step,
        time,
        kind,
        node: Some(from),
        peer: Some(to),
        message: Some(id),
        heartbeat: m.is_heartbeat(),
        message_kind: Some(m),
        moment: None,
        text: format!("{m}"),
    }
}

fn at(step: u64, time: Millis, kind: EventKind, node: Option<NodeId>) -> Event {
    Event {
        step,
        time,
        kind,
        node,
        peer: None,
        message: None,
        heartbeat: false,
        message_kind: None,
        moment: None,
        text: format!("{kind:?}"),
    }
}

fn feed(step: u64, time: Millis, events: Vec<Event>) -> Feed {
    Feed {
        step,
        time,
        events,
        in_flight: vec![],
    }
}

fn order() -> Vec<NodeId> {
    lane_order(&[1], &[1, 2], &[1])
}

fn lane_x(d: &Diagram, n: NodeId) -> f64 {
    d.lanes.iter().find(|l| l.node == n).unwrap().x
}

#[test]
fn lanes_are_producers_brokers_controller_consumers() {
    assert_eq!(order(), vec![P1, B1, B2, NodeId::Controller, C1]);
    let ls = lanes(&order(), &[B2], Some(2));
    let xs: Vec<f64> = ls.iter().map(|l| l.x).collect();
    assert!(xs.windows(2).all(|w| w[0] < w[1]), "left to right: {xs:?}");
    assert_eq!(ls[0].x, GUTTER + LANE_W / 2.0);
    // A collapsed lane is narrow and carries the coordinator mark of its broker.
    assert!(ls[2].collapsed && ls[2].coordinator);
    assert_eq!(ls[3].x - ls[1].x, LANE_W / 2.0 + COLLAPSED_W + LANE_W / 2.0);
    assert!(!ls[1].coordinator && !ls[1].collapsed);
}

#[test]
fn an_arrow_goes_from_send_to_delivery() {
    let feed = feed(
        3,
        100,
        vec![
            wire(1, 40, EventKind::Send, 7, MessageKind::Produce, P1, B1),
            wire(2, 60, EventKind::Deliver, 7, MessageKind::Produce, P1, B1),
        ],
    );
    let d = layout(&feed, &order(), None, &Options::default());
    assert_eq!(d.arrows.len(), 1);
    let a = &d.arrows[0];
    let w = Window::around(100, SPANS[1]);
    assert_eq!(
        w,
        Window {
            start: 0,
            end: 1_000
        },
        "a young run starts at 0"
    );
    assert_eq!((a.x0, a.x1), (lane_x(&d, P1), lane_x(&d, B1)));
    assert_eq!((a.y0, a.y1), (w.y(40), w.y(60)));
    assert!(
        a.y0 < a.y1 && a.y1 < d.now_y,
        "time flows down to the current step"
    );
    assert_eq!(a.end, End::Delivered);
    assert_eq!(a.seek, 2, "a click goes to the delivery");
    assert!(a.describe().contains("Produce p1 → b1"), "{}", a.describe());
}

#[test]
fn a_dropped_message_stops_short_and_one_in_flight_reaches_its_due_time() {
    let feed = Feed {
        step: 5,
        time: 100,
        events: vec![
            wire(1, 40, EventKind::Send, 7, MessageKind::Produce, P1, B1),
            wire(2, 60, EventKind::Drop, 7, MessageKind::Produce, P1, B1),
            wire(
                4,
                90,
                EventKind::Send,
                8,
                MessageKind::AlterPartition,
                B1,
                NodeId::Controller,
            ),
        ],
        in_flight: vec![InFlight {
            id: 8,
            kind: MessageKind::AlterPartition,
            from: B1,
            to: NodeId::Controller,
            sent_at: 90,
            deliver_at: 120,
            summary: "AlterPartition".into(),
        }],
    };
    let d = layout(&feed, &order(), None, &Options::default());
    let (drop, fly) = (&d.arrows[0], &d.arrows[1]);
    assert_eq!(drop.end, End::Dropped);
    let (xp, xb) = (lane_x(&d, P1), lane_x(&d, B1));
    assert!(
        drop.x1 > xp && drop.x1 < xb,
        "the cross is between the lanes"
    );
    assert_eq!(fly.end, End::InFlight);
    assert_eq!(fly.y1, d.window.y(120));
    assert!(fly.y1 > d.now_y, "in flight: below the current step");
    assert_eq!(
        fly.seek, 4,
        "a click on a message in flight goes to its send"
    );
}

#[test]
fn the_window_follows_the_current_step() {
    let w = Window::around(10_000, 1_000);
    assert_eq!(
        w,
        Window {
            start: 9_200,
            end: 10_200
        }
    );
    assert_eq!(w.y(9_200), HEAD);
    assert_eq!(w.y(10_200), HEAD + BODY);
    assert_eq!(w.y(0), HEAD, "earlier times are clamped to the top");
    // Events before the window draw nothing; an arrow sent before it starts at the top.
    let feed = feed(
        9,
        10_000,
        vec![
            at(1, 100, EventKind::Crash, Some(B1)),
            wire(2, 9_190, EventKind::Send, 7, MessageKind::Produce, P1, B1),
            wire(
                3,
                9_210,
                EventKind::Deliver,
                7,
                MessageKind::Produce,
                P1,
                B1,
            ),
            at(4, 9_500, EventKind::Election, Some(NodeId::Controller)),
        ],
    );
    let d = layout(
        &feed,
        &order(),
        None,
        &Options {
            span: 1_000,
            ..Options::default()
        },
    );
    assert_eq!(d.marks.len(), 1, "the crash is before the window");
    assert_eq!(d.marks[0].kind, MarkKind::Election);
    assert_eq!(d.marks[0].x, lane_x(&d, NodeId::Controller));
    assert_eq!(d.arrows[0].y0, HEAD);
    assert_eq!(d.arrows[0].sent, None);
    assert_eq!(d.now_y, w.y(10_000));
}

#[test]
fn filters_hide_fetches_and_heartbeats_by_default() {
    let feed = feed(
        9,
        100,
        vec![
            wire(1, 10, EventKind::Send, 1, MessageKind::Fetch, B2, B1),
            wire(2, 30, EventKind::Deliver, 1, MessageKind::Fetch, B2, B1),
            wire(
                3,
                31,
                EventKind::Deliver,
                2,
                MessageKind::BrokerHeartbeat,
                B1,
                NodeId::Controller,
            ),
            wire(4, 32, EventKind::Deliver, 3, MessageKind::Produce, P1, B1),
            wire(
                5,
                33,
                EventKind::Deliver,
                4,
                MessageKind::ConsumerFetch,
                C1,
                B1,
            ),
        ],
    );
    let kinds = |o: &Options| -> Vec<MessageKind> {
        layout(&feed, &order(), None, o)
            .arrows
            .iter()
            .map(|a| a.kind)
            .collect()
    };
    assert_eq!(kinds(&Options::default()), vec![MessageKind::Produce]);
    let mut all = Options::default();
    for g in WireGroup::ALL {
        all.shown = all.shown.with(g);
    }
    assert_eq!(kinds(&all).len(), 4);
    let fetches = Options {
        shown: Shown::default().toggled(WireGroup::Fetch),
        ..Options::default()
    };
    assert_eq!(
        kinds(&fetches),
        vec![MessageKind::Fetch, MessageKind::Produce]
    );
    assert_eq!(
        WireGroup::of(MessageKind::HeartbeatResponse),
        WireGroup::Heartbeat
    );
    assert_eq!(
        WireGroup::of(MessageKind::GroupHeartbeat),
        WireGroup::Heartbeat
    );
}

#[test]
fn a_collapsed_lane_hides_its_arrows_and_marks() {
    let feed = feed(
        9,
        100,
        vec![
            wire(1, 10, EventKind::Deliver, 1, MessageKind::Produce, P1, B1),
            wire(2, 20, EventKind::Deliver, 2, MessageKind::Produce, P1, B2),
            at(3, 30, EventKind::Crash, Some(B1)),
            at(4, 40, EventKind::Invariant, None),
        ],
    );
    let opts = Options {
        collapsed: vec![B1],
        ..Options::default()
    };
    let d = layout(&feed, &order(), None, &opts);
    assert_eq!(d.arrows.len(), 1);
    assert_eq!(d.arrows[0].to, B2);
    assert_eq!(d.marks.len(), 1, "the crash on b1 is hidden");
    assert_eq!(
        d.marks[0].x,
        GUTTER / 2.0,
        "a mark of no node sits in the gutter"
    );
    let no_hw = Options {
        hw_marks: false,
        ..Options::default()
    };
    let hw = Feed {
        events: vec![at(1, 10, EventKind::HighWatermark, Some(B1))],
        ..feed
    };
    assert_eq!(
        layout(&hw, &order(), None, &Options::default()).marks.len(),
        1
    );
    assert!(layout(&hw, &order(), None, &no_hw).marks.is_empty());
}

#[test]
fn only_wire_and_mark_events_are_kept() {
    assert!(is_drawn(&wire(
        1,
        1,
        EventKind::Send,
        1,
        MessageKind::Fetch,
        B1,
        B2
    )));
    assert!(is_drawn(&at(1, 1, EventKind::Truncate, Some(B1))));
    assert!(!is_drawn(&at(1, 1, EventKind::Timer, Some(B1))));
    assert!(!is_drawn(&at(1, 1, EventKind::Append, Some(B1))));
    // A producer's retry note is a send without a message on the wire.
    assert!(!is_drawn(&at(1, 1, EventKind::Send, Some(P1))));
}

#[test]
fn many_arrows_keep_the_newest() {
    let events: Vec<Event> = (0..MAX_ARROWS as u64 + 5)
        .map(|i| wire(i, i, EventKind::Deliver, i, MessageKind::Produce, P1, B1))
        .collect();
    let feed = Feed {
        step: 1_000,
        time: 400,
        events,
        in_flight: vec![],
    };
    let d = layout(&feed, &order(), None, &Options::default());
    assert_eq!(d.arrows.len(), MAX_ARROWS);
    assert_eq!(d.omitted, 5);
    assert_eq!(d.arrows[0].id, 5);
}

#[test]
fn a_real_run_gives_typed_arrows() {
    use crate::config::ClusterConfig;
    use crate::timeline::Timeline;
    let mut tl = Timeline::new(ClusterConfig::default(), 7).unwrap();
    tl.run_until(3_000);
    let c = tl.current();
    let wire: Vec<&Event> = tl.events().iter().filter(|e| e.message.is_some()).collect();
    assert!(!wire.is_empty());
    assert!(
        wire.iter().all(|e| e.message_kind.is_some()),
        "every send, delivery and drop of a message names its kind"
    );
    let feed = Feed {
        step: tl.step(),
        time: c.now(),
        events: tl
            .events()
            .iter()
            .filter(|e| is_drawn(e))
            .cloned()
            .collect(),
        in_flight: vec![],
    };
    let t = lane_order(
        &(1..=c.config().producers).collect::<Vec<_>>(),
        &c.broker_ids().collect::<Vec<_>>(),
        &[],
    );
    let mut all = Options {
        span: 5_000,
        ..Options::default()
    };
    for g in WireGroup::ALL {
        all.shown = all.shown.with(g);
    }
    let d = layout(&feed, &t, None, &all);
    assert!(d.arrows.iter().any(|a| a.kind == MessageKind::Fetch));
    assert!(d
        .arrows
        .iter()
        .any(|a| a.kind == MessageKind::BrokerHeartbeat));
    for a in &d.arrows {
        assert!(a.y0 <= a.y1, "no arrow goes back in time: {a:?}");
        assert!(a.y1 <= d.now_y + MIN_SLANT, "delivered before now");
    }
    let readable = layout(&feed, &t, None, &Options::default());
    assert!(readable.arrows.iter().all(|a| !matches!(
        WireGroup::of(a.kind),
        WireGroup::Fetch | WireGroup::Heartbeat
    )));
}

#[test]
fn a_quick_message_in_a_long_window_still_slants() {
    let feed = feed(
        3,
        1_000,
        vec![
            wire(1, 500, EventKind::Send, 7, MessageKind::Produce, P1, B1),
            wire(2, 501, EventKind::Deliver, 7, MessageKind::Produce, P1, B1),
        ],
    );
    let long = Options {
        span: 5_000,
        ..Options::default()
    };
    let a = &layout(&feed, &order(), None, &long).arrows[0];
    assert_eq!(a.y0, Window::around(1_000, 5_000).y(500));
    assert_eq!(a.y1, a.y0 + MIN_SLANT);
}
