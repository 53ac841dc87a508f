//! Basic identifiers and numbers shared by every module, named as Kafka names them.

/// A broker's `node.id`.
pub type BrokerId = u32;
/// A partition leader epoch (`leaderEpoch`); `-1` means undefined, as in Kafka.
pub type Epoch = i32;
/// A log offset. LEO and HW are exclusive ("next offset"), as in Kafka (KAFKA-SEMANTICS §0.2).
pub type Offset = i64;
/// Virtual time in milliseconds since the start of a run.
pub type Millis = u64;

/// Kafka's `UNDEFINED_EPOCH`.
pub const UNDEFINED_EPOCH: Epoch = -1;
/// Kafka's `UNDEFINED_EPOCH_OFFSET`.
pub const UNDEFINED_OFFSET: Offset = -1;

use serde::{Deserialize, Serialize};

/// Any node of the simulated world: the controller, a broker, or a client.
///
/// The variant order is the sort order (controller, brokers, producers, consumers), which every
/// `VecMap` keyed by nodes iterates in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeId {
    /// The KRaft controller quorum, modelled as one always-correct node (it can be cut off, never crash).
    Controller,
    /// Broker `bN`.
    Broker(BrokerId),
    /// Producer `pN` (a client).
    Producer(u32),
    /// Consumer `cN` of the run's group (a client).
    Consumer(u32),
}

/// Client numbers (`pN`, `cN`) must stay below this bound (old links encoded consumer `cN` as
/// the producer number `CONSUMER_BASE + N`; they are rejected rather than misread).
pub const CONSUMER_BASE: u32 = 1_000_000;

impl NodeId {
    /// The node of consumer `cN`.
    pub fn consumer(n: u32) -> NodeId {
        NodeId::Consumer(n)
    }
    /// `Some(N)` for consumer `cN`.
    pub fn as_consumer(self) -> Option<u32> {
        match self {
            NodeId::Consumer(c) => Some(c),
            _ => None,
        }
    }
    /// `Some(N)` for producer `pN`.
    pub fn as_producer(self) -> Option<u32> {
        match self {
            NodeId::Producer(p) => Some(p),
            _ => None,
        }
    }
}

impl std::fmt::Display for NodeId {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            NodeId::Controller => f.write_str("controller"),
            NodeId::Broker(b) => write!(f, "b{b}"),
            NodeId::Producer(p) => write!(f, "p{p}"),
            NodeId::Consumer(c) => write!(f, "c{c}"),
        }
    }
}

impl std::str::FromStr for NodeId {
    type Err = String;
    /// Accepts `controller`, `b2` / `broker2` / `2`, `p1` / `producer1`, `c1` / `consumer1`.
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let num = |rest: &str| rest.parse::<u32>().ok();
        if s.eq_ignore_ascii_case("controller") || s == "c" {
            return Ok(NodeId::Controller);
        }
        for (prefix, make) in [
            ("broker", NodeId::Broker as fn(u32) -> NodeId),
            ("producer", NodeId::Producer as fn(u32) -> NodeId),
            ("consumer", NodeId::Consumer as fn(u32) -> NodeId),
            ("b", NodeId::Broker as fn(u32) -> NodeId),
            ("p", NodeId::Producer as fn(u32) -> NodeId),
            ("c", NodeId::Consumer as fn(u32) -> NodeId),
        ] {
            if let Some(rest) = s.strip_prefix(prefix) {
                if let Some(n) = num(rest.trim_start_matches([' ', '-', '_'])) {
                    if n >= CONSUMER_BASE {
                        return Err(format!(
                            "{s:?}: client numbers must be below {CONSUMER_BASE}"
                        ));
                    }
                    return Ok(make(n));
                }
            }
        }
        if let Some(n) = num(s) {
            return Ok(NodeId::Broker(n));
        }
        Err(format!(
            "{s:?} is not a node (try \"controller\", \"b1\", \"p1\" or \"c1\")"
        ))
    }
}

impl Serialize for NodeId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for NodeId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = NodeId;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a node: \"controller\", \"b1\", \"p1\", \"c1\" or a broker number")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<NodeId, E> {
                u32::try_from(v)
                    .map(NodeId::Broker)
                    .map_err(|_| E::custom("broker id too large"))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<NodeId, E> {
                u32::try_from(v).map(NodeId::Broker).map_err(|_| {
                    E::custom(if v < 0 {
                        "a broker id cannot be negative"
                    } else {
                        "broker id too large"
                    })
                })
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NodeId, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// A partition, by topic index (into the config's topic list) and partition number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TopicPartition {
    /// The topic's index in the config's topic list.
    pub topic: u16,
    /// The partition number.
    pub partition: u16,
}
