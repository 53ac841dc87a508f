//! Runs a scenario: applies each step to a [`Cluster`] and checks its expectations.

use super::{
    AutoProduceSpec, Check, HealSpec, MessageSelector, ProduceSpec, Scenario, ScenarioError,
    SearchHere, SearchReport, Searcher, Step,
};
use crate::budget::Budget;
use crate::cluster::Cluster;
use crate::command::{Action, Command};
use crate::types::NodeId;

/// Default bound of a `run_until` step, in virtual milliseconds.
pub const DEFAULT_WITHIN_MS: u64 = 60_000;
/// How the check of a `run_until` step begins.
const RUN_UNTIL_FAILED: &str = "within";
/// Hard bound on events fired by one `run_until`, against runaway files.
const MAX_EVENTS_PER_WAIT: u64 = 5_000_000;

/// What one step did and what its expectations found.
#[derive(Clone, Debug)]
pub struct StepOutcome {
    /// The step's 0-based index.
    pub index: usize,
    /// The step's 1-based line, if known.
    pub line: Option<usize>,
    /// The checks its expectations made.
    pub checks: Vec<Check>,
    /// What a `search` step found.
    pub search: Option<SearchReport>,
}

/// What a run left out because a `run_until` never came true.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotRun {
    /// The step whose `run_until` never came true (0-based) and its line.
    pub index: usize,
    /// The 1-based line of that step, if known.
    pub line: Option<usize>,
    /// Later steps that were not run.
    pub steps: usize,
    /// The checks their `expect` and `run_until` tables would have made (counted on the cluster
    /// as the run left it).
    pub expectations: usize,
}

impl std::fmt::Display for NotRun {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let at = self
            .line
            .map_or_else(|| format!("step {}", self.index), |l| format!("line {l}"));
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "the run_until at {at} never came true: {} and {} not run",
            plural(self.steps, "later step", "later steps"),
            plural(self.expectations, "expectation was", "expectations were"),
        )
    }
}

/// The result of running a whole scenario.
#[derive(Clone, Debug)]
pub struct Report {
    /// The scenario's name.
    pub name: String,
    /// Each step's outcome, in order.
    pub steps: Vec<StepOutcome>,
    /// Set when the run stopped early at a `run_until` that never came true.
    pub not_run: Option<NotRun>,
    /// The cluster as the run left it.
    pub cluster: Cluster,
}

impl StepOutcome {
    /// Whether this step's `run_until` never came true (the run stops after it).
    pub fn run_until_failed(&self) -> bool {
        self.checks
            .iter()
            .any(|c| !c.passed && c.what.starts_with(RUN_UNTIL_FAILED))
    }
}

impl Report {
    /// True if every check passed.
    pub fn passed(&self) -> bool {
        self.steps.iter().all(|s| s.checks.iter().all(|c| c.passed))
    }
    /// The numbers of checks that passed and failed.
    pub fn counts(&self) -> (usize, usize) {
        let all = self.steps.iter().flat_map(|s| &s.checks);
        let passed = all.clone().filter(|c| c.passed).count();
        (passed, all.count() - passed)
    }
}

impl Scenario {
    /// A fresh cluster for this scenario.
    pub fn cluster(&self) -> Result<Cluster, ScenarioError> {
        Cluster::new(self.config.clone(), self.seed).map_err(|e| ScenarioError {
            line: None,
            message: e.0,
        })
    }

    /// Runs every step; stops at the first step whose `run_until` never came true, and says
    /// what it left out ([`Report::not_run`]).
    pub fn run(&self) -> Result<Report, ScenarioError> {
        self.run_within(&Budget::DEFAULT)
    }

    /// [`Scenario::run`] with every step under `budget` (each step's events, `run_ms` and the
    /// events a `run_until` may wait for): a step that would pass it is an error, not a hang.
    pub fn run_within(&self, budget: &Budget) -> Result<Report, ScenarioError> {
        let mut cluster = self.cluster()?;
        let mut steps = Vec::new();
        let mut not_run = None;
        for i in 0..self.steps.len() {
            let outcome = self.apply_step_within(&mut cluster, i, budget)?;
            let stop = outcome.run_until_failed();
            steps.push(outcome);
            if stop {
                not_run = Some(self.not_run_after(i, &cluster));
                break;
            }
        }
        Ok(Report {
            name: self.name.clone(),
            steps,
            not_run,
            cluster,
        })
    }

    /// What is left out when the run stops after step `i` (whose `run_until` never came true),
    /// with `cluster` as the run left it.
    pub fn not_run_after(&self, i: usize, cluster: &Cluster) -> NotRun {
        let rest = self.steps.get(i + 1..).unwrap_or_default();
        let expectations = rest
            .iter()
            .flat_map(|s| s.expect.iter().chain(&s.run_until))
            .map(|e| e.check(cluster).len())
            .sum();
        NotRun {
            index: i,
            line: self.line(i),
            steps: rest.len(),
            expectations,
        }
    }

    /// Applies step `i` to `cluster` and checks its expectations, under the default budget.
    pub fn apply_step(
        &self,
        cluster: &mut Cluster,
        i: usize,
    ) -> Result<StepOutcome, ScenarioError> {
        self.apply_step_within(cluster, i, &Budget::DEFAULT)
    }

    /// [`Scenario::apply_step`] under `budget`.
    pub fn apply_step_within(
        &self,
        cluster: &mut Cluster,
        i: usize,
        budget: &Budget,
    ) -> Result<StepOutcome, ScenarioError> {
        self.apply_step_by(cluster, i, budget, &SearchHere)
    }

    /// [`Scenario::apply_step_within`], a `search` step's search run by `searcher`.
    pub fn apply_step_by(
        &self,
        cluster: &mut Cluster,
        i: usize,
        budget: &Budget,
        searcher: &dyn Searcher,
    ) -> Result<StepOutcome, ScenarioError> {
        let err = |message: String| self.step_error(i, message);
        let step: &Step = &self.steps[i];
        if let Some(e) = &step.expect {
            e.validate(cluster).map_err(err)?;
        }
        if let Some(e) = &step.run_until {
            e.validate(cluster).map_err(err)?;
        }
        let mut checks = Vec::new();
        let mut search = None;
        let cmd = |c: Command, cluster: &mut Cluster| cluster.apply(c).map_err(|e| err(e.0));
        let broker = |n: &NodeId| match n {
            NodeId::Broker(b) => Ok(*b),
            other => Err(err(format!("{other} is not a broker"))),
        };
        if let Some(p) = &step.produce {
            let c = match p.clone() {
                ProduceSpec::Value(value) => Command::Produce {
                    producer: 1,
                    topic: None,
                    partition: None,
                    key: None,
                    value,
                    acks: None,
                },
                ProduceSpec::Record {
                    value,
                    key,
                    producer,
                    topic,
                    partition,
                    acks,
                } => Command::Produce {
                    producer: producer.unwrap_or(1),
                    topic,
                    partition,
                    key,
                    value,
                    acks,
                },
            };
            cmd(c, cluster)?;
        } else if let Some(a) = &step.auto_produce {
            let c = match a.clone() {
                AutoProduceSpec::Interval(interval_ms) => Command::AutoProduce {
                    producer: 1,
                    interval_ms,
                    topic: None,
                    acks: None,
                },
                AutoProduceSpec::Table {
                    interval_ms,
                    producer,
                    acks,
                    topic,
                } => Command::AutoProduce {
                    producer: producer.unwrap_or(1),
                    interval_ms,
                    topic,
                    acks,
                },
            };
            cmd(c, cluster)?;
        } else if let Some(consumer) = step.crash.and_then(NodeId::as_consumer) {
            cmd(Command::CrashConsumer { consumer }, cluster)?;
        } else if let Some(consumer) = step.restart.and_then(NodeId::as_consumer) {
            cmd(Command::RestartConsumer { consumer }, cluster)?;
        } else if let Some(add) = step.add_consumer {
            if !add {
                return Err(err(
                    "add_consumer = false does nothing; use add_consumer = true".into(),
                ));
            }
            cmd(Command::AddConsumer, cluster)?;
        } else if let Some(n) = &step.remove_consumer {
            let consumer = n
                .as_consumer()
                .ok_or_else(|| err(format!("{n} is not a consumer (use \"c1\")")))?;
            cmd(Command::RemoveConsumer { consumer }, cluster)?;
        } else if let Some(m) = &step.isolation_level {
            let consumer = m
                .consumer
                .as_consumer()
                .ok_or_else(|| err(format!("{} is not a consumer (use \"c1\")", m.consumer)))?;
            cmd(
                Command::IsolationLevel {
                    consumer,
                    level: m.level,
                },
                cluster,
            )?;
        } else if let Some(m) = &step.commit_mode {
            let consumer = m
                .consumer
                .as_consumer()
                .ok_or_else(|| err(format!("{} is not a consumer (use \"c1\")", m.consumer)))?;
            cmd(
                Command::CommitMode {
                    consumer,
                    mode: m.mode,
                },
                cluster,
            )?;
        } else if let Some((n, call)) = step.transaction_call() {
            let producer = match n {
                NodeId::Producer(p) => *p,
                _ => return Err(err(format!("{n} is not a producer (use \"p1\")"))),
            };
            cmd(Command::Transaction { producer, call }, cluster)?;
        } else if let Some(enable) = step.unclean_leader_election {
            cmd(Command::UncleanLeaderElection { enable }, cluster)?;
        } else if let Some(d) = &step.delete_records {
            cmd(
                Command::DeleteRecords {
                    topic: d.topic.clone(),
                    partition: d.partition,
                    offset: d.offset,
                },
                cluster,
            )?;
        } else if let Some(n) = &step.crash {
            cmd(
                Command::Crash {
                    broker: broker(n)?,
                    lose_unflushed: false,
                },
                cluster,
            )?;
        } else if let Some(n) = &step.power_fail {
            cmd(
                Command::Crash {
                    broker: broker(n)?,
                    lose_unflushed: true,
                },
                cluster,
            )?;
        } else if let Some(n) = &step.shutdown {
            cmd(Command::Shutdown { broker: broker(n)? }, cluster)?;
        } else if let Some(n) = &step.restart {
            cmd(Command::Restart { broker: broker(n)? }, cluster)?;
        } else if let Some(n) = &step.pause {
            cmd(Command::Pause { node: *n }, cluster)?;
        } else if let Some(n) = &step.resume {
            cmd(Command::Resume { node: *n }, cluster)?;
        } else if let Some(n) = &step.isolate {
            cmd(Command::Isolate { node: *n }, cluster)?;
        } else if let Some(l) = &step.cut {
            cmd(
                Command::Cut {
                    from: l.from,
                    to: l.to,
                    both: l.both,
                },
                cluster,
            )?;
        } else if let Some(h) = &step.heal {
            let node = match h {
                HealSpec::All(true) => None,
                HealSpec::All(false) => {
                    return Err(err(
                        "heal = false does nothing; use heal = true or heal = \"b2\"".into(),
                    ))
                }
                HealSpec::Node(n) => Some(*n),
            };
            cmd(Command::Heal { node }, cluster)?;
        } else if let Some(l) = &step.slow {
            cmd(
                Command::Slow {
                    from: l.from,
                    to: l.to,
                    extra_ms: l.extra_ms,
                    both: l.both,
                },
                cluster,
            )?;
        } else if let Some(n) = &step.flush {
            cmd(Command::Flush { broker: broker(n)? }, cluster)?;
        } else if let Some(sel) = &step.drop {
            let id = cluster
                .in_flight()
                .find(|e| sel.matches(e.msg.kind().name(), e.from, e.to))
                .map(|e| e.id)
                .ok_or_else(|| err(format!("no message in flight matches {}", sel.describe())))?;
            cmd(Command::Drop { message: id }, cluster)?;
        } else if let Some(sel) = &step.deliver {
            let action = cluster
                .enabled()
                .into_iter()
                .find(|e| match &e.action {
                    Action::Deliver { message } => cluster.in_flight().any(|m| {
                        m.id == *message && sel.matches(m.msg.kind().name(), m.from, m.to)
                    }),
                    _ => false,
                })
                .map(|e| e.action)
                .ok_or_else(|| err(format!("no deliverable message matches {}", sel.describe())))?;
            cluster.act(action).map_err(|e| err(e.0))?;
        } else if let Some(t) = &step.fire {
            let action = cluster
                .enabled()
                .into_iter()
                .find(|e| matches!(&e.action, Action::Fire { node, timer } if *node == t.node && timer.name() == t.timer))
                .map(|e| e.action)
                .ok_or_else(|| err(format!("{} has no pending {:?} timer", t.node, t.timer)))?;
            cluster.act(action).map_err(|e| err(e.0))?;
        } else if let Some(spec) = &step.search {
            let found = searcher.search(spec, cluster).map_err(err)?;
            let (report, check) = spec.play(cluster, found).map_err(err)?;
            checks.extend(check);
            search = Some(report);
        } else if let Some(ms) = step.run_ms {
            let t = cluster.now() + ms;
            cluster
                .run_until_within(t, budget)
                .map_err(|e| err(format!("run_ms = {ms}: {e}")))?;
        } else if let Some(n) = step.steps {
            budget
                .check_events(n)
                .map_err(|e| err(format!("steps = {n}: {e}")))?;
            cluster.run_steps(n);
        } else if let Some(until) = &step.run_until {
            let within = step.within_ms.unwrap_or(DEFAULT_WITHIN_MS);
            let deadline = cluster.now() + within;
            let mut fired = 0u64;
            let mut ok = until.holds(cluster);
            while !ok {
                match cluster.next_event_time() {
                    Some(t)
                        if t <= deadline && fired < MAX_EVENTS_PER_WAIT.min(budget.max_events) =>
                    {
                        cluster.step();
                        fired += 1;
                        ok = until.holds(cluster);
                    }
                    _ => break,
                }
            }
            if !ok {
                let mut failing: Vec<Check> = until
                    .check(cluster)
                    .into_iter()
                    .filter(|c| !c.passed)
                    .collect();
                checks.push(Check {
                    what: format!("{RUN_UNTIL_FAILED} {within} ms: run_until came true"),
                    passed: false,
                    actual: format!("still false at t={} ms", cluster.now()),
                });
                checks.append(&mut failing);
            }
        }
        if let Some(e) = &step.expect {
            checks.extend(e.check(cluster));
        }
        Ok(StepOutcome {
            index: i,
            line: self.line(i),
            checks,
            search,
        })
    }
}

impl MessageSelector {
    fn matches(&self, kind: &str, from: NodeId, to: NodeId) -> bool {
        self.kind
            .as_deref()
            .is_none_or(|k| k.eq_ignore_ascii_case(kind))
            && self.from.is_none_or(|f| f == from)
            && self.to.is_none_or(|t| t == to)
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(k) = &self.kind {
            parts.push(format!("kind={k}"));
        }
        if let Some(f) = self.from {
            parts.push(format!("from={f}"));
        }
        if let Some(t) = self.to {
            parts.push(format!("to={t}"));
        }
        if parts.is_empty() {
            "{}".into()
        } else {
            format!("{{{}}}", parts.join(", "))
        }
    }
}
