//! Reading [`Command`] and [`Action`] objects (`{"cmd": "produce", "value": "a"}`,
//! `{"action": "deliver", "message": 12}`): hand-written `Deserialize` impls for every face (the
//! page's `#run=` links and saved session, the JS API, the CLI, the search worker).
//!
//! Why by hand: serde's derived reader of an internally tagged enum buffers the object and then
//! instantiates every variant's reader over that buffer — 83 KB of the page's wasm (24 KB gzip)
//! for these two enums. Here the object is read once into its entries, and one plain function per
//! enum builds the variant from them.
//!
//! The messages are serde's own (`missing field`, `unknown field … expected one of …`,
//! `duplicate field`, `unknown variant`, `invalid type`), built with serde's constructors, so
//! bad links and bad API calls read as before, and the first problem in the order written is
//! the one reported, as serde's. Differences from the derived reader, on inputs no writer
//! produces: an array in place of the object is refused (serde read its elements as the fields in
//! order); of two fields with values of the wrong type, the first declared is reported (serde: the
//! first written); a message read straight from JSON (not inside a run) gives no line and column
//! for a problem found after the object was read.

use std::fmt;

use serde::de::{
    self, Deserialize, DeserializeOwned, Deserializer, Error as _, MapAccess, Visitor,
};
use serde_json::Value;

use crate::command::{Action, Command};

/// The error the builders return; the caller turns it into its deserializer's error.
type Error = de::value::Error;

/// Every command's `cmd`, in declaration order (serde's "expected one of" list).
const COMMANDS: &[&str] = &[
    "produce",
    "auto-produce",
    "crash",
    "shutdown",
    "restart",
    "pause",
    "resume",
    "isolate",
    "cut",
    "heal",
    "slow",
    "drop",
    "flush",
    "add-consumer",
    "remove-consumer",
    "crash-consumer",
    "restart-consumer",
    "delete-records",
    "commit-mode",
    "transaction",
    "unclean-leader-election",
    "isolation-level",
];

/// Every action's `action`.
const ACTIONS: &[&str] = &["deliver", "fire"];

/// An object's entries in the order written, duplicates kept (so that they can be refused).
struct Entries(Vec<(String, Value)>);

struct EntriesVisitor(&'static str);

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Entries;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "internally tagged enum {}", self.0)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Value>()? {
            entries.push(entry);
        }
        Ok(Entries(entries))
    }
}

/// The fields of one object after its tag, read by name.
///
/// serde's derived reader goes through the fields in the order written and stops at the first
/// one it refuses (undeclared or repeated) or cannot read, and reports a missing field only after
/// the last. `refused` keeps the first refused field, so that a field written after it reports
/// it instead of its own problem, as serde would.
struct Fields<'a> {
    entries: &'a [(String, Value)],
    tag: &'static str,
    /// The first field refused (`refuse`): its index, and the declared fields (`None`: a
    /// declared field repeated).
    refused: Option<(usize, Option<&'static [&'static str]>)>,
}

impl<'a> Fields<'a> {
    /// Reads the object's tag: its variant's name.
    fn new(entries: &'a Entries, tag: &'static str) -> Result<(Self, &'a str), Error> {
        let entries = &entries.0;
        let mut tags = entries.iter().filter(|(k, _)| k == tag);
        let name = match (tags.next(), tags.next()) {
            (_, Some(_)) => return Err(duplicate(tag)),
            (None, None) => return Err(Error::missing_field(tag)),
            (Some((_, Value::String(s))), None) => s.as_str(),
            // serde_json's own words for the value ("invalid type: null, expected …").
            (Some((_, v)), None) => {
                let e = v.deserialize_any(Tag).expect_err("Tag accepts no value");
                return Err(Error::custom(e));
            }
        };
        Ok((
            Fields {
                entries,
                tag,
                refused: None,
            },
            name,
        ))
    }

    /// Refuses the fields the variant does not declare (serde's `deny_unknown_fields`), and a
    /// declared field written twice.
    fn only(self, declared: &'static [&'static str]) -> Self {
        self.refuse(declared, true)
    }

    /// Ignores the fields the variant does not declare, even repeated; refuses a declared field
    /// written twice.
    fn ignoring(self, declared: &'static [&'static str]) -> Self {
        self.refuse(declared, false)
    }

    /// Finds the first field serde would refuse: an undeclared one (`deny_unknown`), or the
    /// second of a declared one. Linear in the fields, however many a hostile object has.
    fn refuse(mut self, declared: &'static [&'static str], deny_unknown: bool) -> Self {
        let unknown = deny_unknown
            .then(|| {
                self.entries
                    .iter()
                    .position(|(k, _)| k != self.tag && !declared.contains(&k.as_str()))
            })
            .flatten()
            .map(|i| (i, Some(declared)));
        let repeated = declared
            .iter()
            .filter_map(|name| {
                let mut at = self
                    .entries
                    .iter()
                    .enumerate()
                    .filter(|(_, (k, _))| k == name);
                at.nth(1).map(|(i, _)| (i, None))
            })
            .min_by_key(|(i, _)| *i);
        self.refused = unknown.into_iter().chain(repeated).min_by_key(|(i, _)| *i);
        self
    }

    /// The error for the refused field, if there is one before entry `before`.
    fn refusal(&self, before: usize) -> Option<Error> {
        let (i, declared) = self.refused.filter(|(i, _)| *i < before)?;
        let key = &self.entries[i].0;
        Some(match declared {
            Some(declared) => Error::unknown_field(key, declared),
            None => duplicate(key),
        })
    }

    /// What is left to report once every field was read.
    fn done<T>(&self, value: T) -> Result<T, Error> {
        self.refusal(usize::MAX).map_or(Ok(value), Err)
    }

    /// The field's value; `Ok(None)` when absent.
    fn read<T: DeserializeOwned>(&self, name: &'static str) -> Result<Option<T>, Error> {
        let Some(i) = self.entries.iter().position(|(k, _)| k == name) else {
            return Ok(None);
        };
        match T::deserialize(&self.entries[i].1) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(self.refusal(i).unwrap_or_else(|| Error::custom(e))),
        }
    }

    /// A field that must be present.
    fn req<T: DeserializeOwned>(&self, name: &'static str) -> Result<T, Error> {
        self.read(name)?.ok_or_else(|| {
            self.refusal(usize::MAX)
                .unwrap_or_else(|| Error::missing_field(name))
        })
    }

    /// A field that may be absent (then `default`); `null` is refused unless `T` is an `Option`.
    fn or<T: DeserializeOwned>(&self, name: &'static str, default: T) -> Result<T, Error> {
        Ok(self.read(name)?.unwrap_or(default))
    }

    /// An optional field: absent or `null` is `None`.
    fn opt<T: DeserializeOwned>(&self, name: &'static str) -> Result<Option<T>, Error> {
        Ok(self.read::<Option<T>>(name)?.flatten())
    }
}

fn duplicate(key: &str) -> Error {
    Error::custom(format_args!("duplicate field `{key}`"))
}

/// A tag's expected type in messages; it accepts no value (a string tag never reaches it).
struct Tag;

impl Visitor<'_> for Tag {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("variant identifier")
    }
}

/// The producer fields default to producer 1 (`p1`).
const FIRST: u32 = 1;

fn command(entries: &Entries) -> Result<Command, Error> {
    let (f, cmd) = Fields::new(entries, "cmd")?;
    match cmd {
        "produce" => {
            let f = f.only(&["producer", "topic", "partition", "key", "value", "acks"]);
            f.done(Command::Produce {
                producer: f.or("producer", FIRST)?,
                topic: f.opt("topic")?,
                partition: f.opt("partition")?,
                key: f.opt("key")?,
                value: f.req("value")?,
                acks: f.opt("acks")?,
            })
        }
        "auto-produce" => {
            let f = f.only(&["producer", "interval_ms", "topic", "acks"]);
            f.done(Command::AutoProduce {
                producer: f.or("producer", FIRST)?,
                interval_ms: f.req("interval_ms")?,
                topic: f.opt("topic")?,
                acks: f.opt("acks")?,
            })
        }
        "crash" => {
            let f = f.only(&["broker", "lose_unflushed"]);
            f.done(Command::Crash {
                broker: f.req("broker")?,
                lose_unflushed: f.or("lose_unflushed", false)?,
            })
        }
        "shutdown" | "restart" | "flush" => {
            let f = f.only(&["broker"]);
            let broker = f.req("broker")?;
            f.done(match cmd {
                "shutdown" => Command::Shutdown { broker },
                "restart" => Command::Restart { broker },
                _ => Command::Flush { broker },
            })
        }
        "pause" | "resume" | "isolate" => {
            let f = f.only(&["node"]);
            let node = f.req("node")?;
            f.done(match cmd {
                "pause" => Command::Pause { node },
                "resume" => Command::Resume { node },
                _ => Command::Isolate { node },
            })
        }
        "cut" => {
            let f = f.only(&["from", "to", "both"]);
            f.done(Command::Cut {
                from: f.req("from")?,
                to: f.req("to")?,
                both: f.or("both", false)?,
            })
        }
        "heal" => {
            let f = f.only(&["node"]);
            f.done(Command::Heal {
                node: f.opt("node")?,
            })
        }
        "slow" => {
            let f = f.only(&["from", "to", "extra_ms", "both"]);
            f.done(Command::Slow {
                from: f.req("from")?,
                to: f.req("to")?,
                extra_ms: f.req("extra_ms")?,
                both: f.or("both", false)?,
            })
        }
        "drop" => {
            let f = f.only(&["message"]);
            f.done(Command::Drop {
                message: f.req("message")?,
            })
        }
        // A variant without fields ignores any (as serde's derived reader did).
        "add-consumer" => Ok(Command::AddConsumer),
        "remove-consumer" | "crash-consumer" | "restart-consumer" => {
            let f = f.only(&["consumer"]);
            let consumer = f.req("consumer")?;
            f.done(match cmd {
                "remove-consumer" => Command::RemoveConsumer { consumer },
                "crash-consumer" => Command::CrashConsumer { consumer },
                _ => Command::RestartConsumer { consumer },
            })
        }
        "delete-records" => {
            let f = f.only(&["topic", "partition", "offset"]);
            f.done(Command::DeleteRecords {
                topic: f.opt("topic")?,
                partition: f.or("partition", 0)?,
                offset: f.req("offset")?,
            })
        }
        "commit-mode" => {
            let f = f.only(&["consumer", "mode"]);
            f.done(Command::CommitMode {
                consumer: f.req("consumer")?,
                mode: f.req("mode")?,
            })
        }
        "transaction" => {
            let f = f.only(&["producer", "call"]);
            f.done(Command::Transaction {
                producer: f.or("producer", FIRST)?,
                call: f.req("call")?,
            })
        }
        "unclean-leader-election" => {
            let f = f.only(&["enable"]);
            f.done(Command::UncleanLeaderElection {
                enable: f.req("enable")?,
            })
        }
        "isolation-level" => {
            let f = f.only(&["consumer", "level"]);
            f.done(Command::IsolationLevel {
                consumer: f.req("consumer")?,
                level: f.req("level")?,
            })
        }
        other => Err(Error::unknown_variant(other, COMMANDS)),
    }
}

/// Actions ignore fields they do not declare (as serde's derived reader did).
fn action(entries: &Entries) -> Result<Action, Error> {
    let (f, action) = Fields::new(entries, "action")?;
    match action {
        "deliver" => {
            let f = f.ignoring(&["message"]);
            f.done(Action::Deliver {
                message: f.req("message")?,
            })
        }
        "fire" => {
            let f = f.ignoring(&["node", "timer"]);
            f.done(Action::Fire {
                node: f.req("node")?,
                timer: f.req("timer")?,
            })
        }
        other => Err(Error::unknown_variant(other, ACTIONS)),
    }
}

impl<'de> Deserialize<'de> for Command {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let entries = d.deserialize_map(EntriesVisitor("Command"))?;
        command(&entries).map_err(D::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let entries = d.deserialize_map(EntriesVisitor("Action"))?;
        action(&entries).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::TxnCallName;
    use crate::config::{Acks, CommitMode};
    use crate::node::TimerKind;
    use crate::txn::isolation::IsolationLevel;
    use crate::types::{NodeId, TopicPartition};

    /// Its index in `COMMANDS`. No wildcard: a new command does not compile until it is here.
    fn index(c: &Command) -> usize {
        use Command as C;
        match c {
            C::Produce { .. } => 0,
            C::AutoProduce { .. } => 1,
            C::Crash { .. } => 2,
            C::Shutdown { .. } => 3,
            C::Restart { .. } => 4,
            C::Pause { .. } => 5,
            C::Resume { .. } => 6,
            C::Isolate { .. } => 7,
            C::Cut { .. } => 8,
            C::Heal { .. } => 9,
            C::Slow { .. } => 10,
            C::Drop { .. } => 11,
            C::Flush { .. } => 12,
            C::AddConsumer => 13,
            C::RemoveConsumer { .. } => 14,
            C::CrashConsumer { .. } => 15,
            C::RestartConsumer { .. } => 16,
            C::DeleteRecords { .. } => 17,
            C::CommitMode { .. } => 18,
            C::Transaction { .. } => 19,
            C::UncleanLeaderElection { .. } => 20,
            C::IsolationLevel { .. } => 21,
        }
    }

    /// Every command, each field away from its default.
    fn samples() -> Vec<Command> {
        use Command as C;
        let (b2, p1) = (NodeId::Broker(2), NodeId::Producer(1));
        vec![
            C::Produce {
                producer: 2,
                topic: Some("t".into()),
                partition: Some(3),
                key: Some("k".into()),
                value: "v".into(),
                acks: Some(Acks::Leader),
            },
            C::AutoProduce {
                producer: 3,
                interval_ms: 7,
                topic: Some("u".into()),
                acks: Some(Acks::None),
            },
            C::Crash {
                broker: 2,
                lose_unflushed: true,
            },
            C::Shutdown { broker: 3 },
            C::Restart { broker: 1 },
            C::Pause { node: b2 },
            C::Resume { node: p1 },
            C::Isolate {
                node: NodeId::Controller,
            },
            C::Cut {
                from: b2,
                to: p1,
                both: true,
            },
            C::Heal { node: Some(b2) },
            C::Slow {
                from: p1,
                to: b2,
                extra_ms: 40,
                both: true,
            },
            C::Drop { message: 12 },
            C::Flush { broker: 2 },
            C::AddConsumer,
            C::RemoveConsumer { consumer: 2 },
            C::CrashConsumer { consumer: 1 },
            C::RestartConsumer { consumer: 3 },
            C::DeleteRecords {
                topic: Some("t".into()),
                partition: 2,
                offset: -1,
            },
            C::CommitMode {
                consumer: 1,
                mode: CommitMode::BeforeProcessing,
            },
            C::Transaction {
                producer: 2,
                call: TxnCallName::Abort,
            },
            C::UncleanLeaderElection { enable: true },
            C::IsolationLevel {
                consumer: 2,
                level: IsolationLevel::ReadCommitted,
            },
        ]
    }

    fn read<T: DeserializeOwned>(json: &str) -> Result<T, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn every_command_and_action_reads_back_as_serde_writes_it() {
        let samples = samples();
        let mut seen = [false; COMMANDS.len()];
        for c in &samples {
            let json = serde_json::to_string(c).unwrap();
            // The tag list is serde's own names, in declaration order.
            let v: Value = serde_json::from_str(&json).unwrap();
            assert_eq!(v["cmd"], COMMANDS[index(c)], "{json}");
            seen[index(c)] = true;
            assert_eq!(read::<Command>(&json).as_ref(), Ok(c), "{json}");
        }
        assert!(seen.iter().all(|s| *s), "a command without a sample");
        // Left-out fields take their defaults.
        assert_eq!(
            read::<Command>(r#"{"cmd":"produce","value":"a"}"#),
            Ok(Command::Produce {
                producer: 1,
                topic: None,
                partition: None,
                key: None,
                value: "a".into(),
                acks: None,
            })
        );
        assert_eq!(
            read::<Command>(r#"{"offset":5,"cmd":"delete-records","topic":null}"#),
            Ok(Command::DeleteRecords {
                topic: None,
                partition: 0,
                offset: 5,
            })
        );
        let timers = [
            TimerKind::Heartbeat,
            TimerKind::FetchBackoff(2),
            TimerKind::AlterPartitionRetry(TopicPartition {
                topic: 0,
                partition: 1,
            }),
        ];
        for timer in timers {
            let a = Action::Fire {
                node: NodeId::Broker(1),
                timer,
            };
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(read::<Action>(&json), Ok(a), "{json}");
        }
        let a = Action::Deliver { message: 9 };
        assert_eq!(read::<Action>(&serde_json::to_string(&a).unwrap()), Ok(a));
    }

    #[test]
    fn bad_commands_and_actions_get_serdes_messages() {
        let produce_fields =
            "expected one of `producer`, `topic`, `partition`, `key`, `value`, `acks`";
        let cases: &[(&str, &str)] = &[
            (r#"{"cmd":"produce"}"#, "missing field `value`"),
            (
                r#"{"cmd":"produce","value":"a","colour":"red"}"#,
                &format!("unknown field `colour`, {produce_fields}"),
            ),
            // The first problem in the order written, as serde reads them.
            (
                r#"{"cmd":"produce","colour":1,"value":5}"#,
                &format!("unknown field `colour`, {produce_fields}"),
            ),
            (
                r#"{"cmd":"produce","value":5,"colour":1}"#,
                "invalid type: integer `5`, expected a string",
            ),
            (
                r#"{"cmd":"produce","colour":1}"#,
                &format!("unknown field `colour`, {produce_fields}"),
            ),
            (
                r#"{"cmd":"produce","value":"a","value":"b"}"#,
                "duplicate field `value`",
            ),
            (
                r#"{"cmd":"produce","cmd":"produce","value":"a"}"#,
                "duplicate field `cmd`",
            ),
            (
                r#"{"cmd":"produce","value":"a","producer":null}"#,
                "invalid type: null, expected u32",
            ),
            (
                r#"{"cmd":"produce","value":"a","producer":-1}"#,
                "invalid value: integer `-1`, expected u32",
            ),
            (
                r#"{"cmd":"produce","value":"a","acks":"2"}"#,
                "acks must be 0, 1, all or -1, not \"2\"",
            ),
            (
                r#"{"cmd":"pause","node":"x9"}"#,
                "\"x9\" is not a node (try \"controller\", \"b1\", \"p1\" or \"c1\")",
            ),
            (
                r#"{"cmd":"transaction","call":"explode"}"#,
                "unknown variant `explode`, expected one of `init`, `begin`, `commit`, `abort`",
            ),
            (
                r#"{"cmd":"commit-mode","consumer":1,"mode":3}"#,
                "invalid type: integer `3`, expected string or map",
            ),
            (r#"{"value":"a"}"#, "missing field `cmd`"),
            (
                r#"{"cmd":null}"#,
                "invalid type: null, expected variant identifier",
            ),
            (
                r#""produce""#,
                "invalid type: string \"produce\", expected internally tagged enum Command",
            ),
        ];
        for (json, message) in cases {
            let got = read::<Command>(json).unwrap_err();
            assert!(got.starts_with(message), "{json}: {got}");
        }
        let e = read::<Command>(r#"{"cmd":"explode"}"#).unwrap_err();
        assert!(
            e.starts_with("unknown variant `explode`, expected one of `produce`, `auto-produce`"),
            "{e}"
        );
        // A command without fields ignores any; an action ignores those it does not declare.
        assert_eq!(
            read::<Command>(r#"{"cmd":"add-consumer","x":1}"#),
            Ok(Command::AddConsumer)
        );
        assert_eq!(
            read::<Action>(r#"{"message":3,"action":"deliver","extra":1,"extra":2}"#),
            Ok(Action::Deliver { message: 3 })
        );
        for (json, message) in [
            (r#"{"action":"deliver"}"#, "missing field `message`"),
            (
                r#"{"action":"nope"}"#,
                "unknown variant `nope`, expected `deliver` or `fire`",
            ),
            (
                r#"{"action":"fire","node":"b1","timer":"Nope"}"#,
                "unknown variant `Nope`, expected one of `Heartbeat`",
            ),
            (
                r#"{"action":"deliver","message":3,"message":4}"#,
                "duplicate field `message`",
            ),
        ] {
            let got = read::<Action>(json).unwrap_err();
            assert!(got.starts_with(message), "{json}: {got}");
        }
    }

    /// An object with a hundred thousand fields (which `Fields` goes through once per declared
    /// field, not once per pair): refused at its first undeclared field by a command, its
    /// repeated undeclared fields ignored by an action.
    #[test]
    fn a_huge_object_is_refused_or_read_past_its_ignored_fields() {
        let many: String = (0..100_000).map(|i| format!(r#","f{i}":{i}"#)).collect();
        let e = read::<Command>(&format!(r#"{{"cmd":"drop","message":1{many}}}"#)).unwrap_err();
        assert!(
            e.starts_with("unknown field `f0`, expected `message`"),
            "{e}"
        );
        let twice: String = (0..50_000).map(|_| r#","x":1"#).collect();
        assert_eq!(
            read::<Action>(&format!(r#"{{"action":"deliver","message":4{twice}}}"#)),
            Ok(Action::Deliver { message: 4 })
        );
    }
}
