//! The consumer settings of the configuration dialog (ConsumerConfig names, R7.1–R7.5): how many
//! consumers the run's one group has and how they commit. Zero consumers = no group and no
//! `__consumer_offsets` (the run is drawn exactly as without this feature).

use highwater_core::assignor::Strategy;
use highwater_core::config::{Assignors, ClusterConfig, CommitMode, OffsetReset};
use highwater_core::pipeline::{PipelineConfig, ProcessingGuarantee};
use highwater_core::txn::isolation::IsolationLevel;
use yew::prelude::*;

use super::widgets::{default_choice, number_field, select_field, target_value};

/// The consumer part of the form, as the inputs hold it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerForm {
    pub consumers: String,
    pub group_id: String,
    pub commit: String,
    pub auto_commit_ms: String,
    pub offset_reset: String,
    pub session_ms: String,
    pub heartbeat_ms: String,
    pub max_poll_ms: String,
    pub strategy: String,
    pub processing_ms: String,
    pub dedup: bool,
    pub isolation: String,
    /// "none", "at_least_once" or "exactly_once_v2" (`[pipeline]`'s processing.guarantee).
    pub pipeline: String,
    pub pipeline_input: String,
    pub pipeline_output: String,
    pub external_write: bool,
}

fn reset_name(r: OffsetReset) -> &'static str {
    match r {
        OffsetReset::Earliest => "earliest",
        OffsetReset::Latest => "latest",
        OffsetReset::None => "none",
    }
}

impl ConsumerForm {
    pub fn from_config(c: &ClusterConfig) -> ConsumerForm {
        let k = &c.consumer;
        ConsumerForm {
            consumers: c.consumers.to_string(),
            group_id: k.group_id.clone(),
            commit: k.commit.as_str().to_string(),
            auto_commit_ms: k.auto_commit_interval_ms.to_string(),
            offset_reset: reset_name(k.auto_offset_reset).to_string(),
            // "" = the version's default list; one name = that assignor only.
            session_ms: k.session_timeout_ms.to_string(),
            heartbeat_ms: k.heartbeat_interval_ms.to_string(),
            max_poll_ms: k.max_poll_interval_ms.to_string(),
            strategy: k
                .partition_assignment_strategy
                .map(|a| {
                    let names: Vec<&str> = a.as_slice().iter().map(|s| s.kafka_name()).collect();
                    names.join(",")
                })
                .unwrap_or_default(),
            processing_ms: k.processing_ms.to_string(),
            dedup: k.dedup,
            isolation: k.isolation_level.name().to_string(),
            pipeline: c
                .pipeline
                .as_ref()
                .map_or("none", |p| p.processing_guarantee.name())
                .to_string(),
            pipeline_input: c.pipeline.as_ref().map_or_else(
                || c.topics.first().map(|t| t.name.clone()).unwrap_or_default(),
                |p| p.input.clone(),
            ),
            pipeline_output: c.pipeline.as_ref().map_or_else(
                || c.topics.get(1).map(|t| t.name.clone()).unwrap_or_default(),
                |p| p.output.clone(),
            ),
            external_write: c.pipeline.as_ref().is_some_and(|p| p.external_write),
        }
    }

    /// Writes the settings into `c`, or names the first field that does not parse.
    pub fn apply(&self, c: &mut ClusterConfig) -> Result<(), String> {
        fn num<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, String> {
            v.trim()
                .parse()
                .map_err(|_| format!("{name} must be a whole number, not “{}”", v.trim()))
        }
        c.consumers = num("consumers", &self.consumers)?;
        let group = self.group_id.trim();
        if group.is_empty() {
            return Err("group.id must not be empty".to_string());
        }
        let k = &mut c.consumer;
        k.group_id = group.to_string();
        k.commit = match self.commit.as_str() {
            "after-processing" => CommitMode::AfterProcessing,
            "before-processing" => CommitMode::BeforeProcessing,
            _ => CommitMode::Auto,
        };
        // enable.auto.commit follows the commit discipline (true exactly for "auto").
        k.enable_auto_commit = None;
        k.auto_commit_interval_ms = num("auto.commit.interval.ms", &self.auto_commit_ms)?;
        k.auto_offset_reset = match self.offset_reset.as_str() {
            "latest" => OffsetReset::Latest,
            "none" => OffsetReset::None,
            _ => OffsetReset::Earliest,
        };
        k.session_timeout_ms = num("session.timeout.ms", &self.session_ms)?;
        k.heartbeat_interval_ms = num("heartbeat.interval.ms", &self.heartbeat_ms)?;
        k.max_poll_interval_ms = num("max.poll.interval.ms", &self.max_poll_ms)?;
        k.partition_assignment_strategy = match self.strategy.as_str() {
            "" => None,
            names => {
                let list: Vec<Strategy> = names
                    .split(',')
                    .map(|n| match n {
                        "roundrobin" => Strategy::RoundRobin,
                        "sticky" => Strategy::Sticky,
                        "cooperative-sticky" => Strategy::CooperativeSticky,
                        _ => Strategy::Range,
                    })
                    .collect();
                Some(Assignors::new(&list)?)
            }
        };
        k.processing_ms = num("processing time", &self.processing_ms)?;
        k.dedup = self.dedup;
        k.isolation_level = IsolationLevel::from_name(&self.isolation).unwrap_or_default();
        let guarantee = match self.pipeline.as_str() {
            "at_least_once" => Some(ProcessingGuarantee::AtLeastOnce),
            "exactly_once_v2" => Some(ProcessingGuarantee::ExactlyOnceV2),
            _ => None,
        };
        // The rest (topics exist and differ, consumers ≥ 1, …) is checked by the config's
        // validation, in words.
        c.pipeline = guarantee.map(|g| PipelineConfig {
            input: self.pipeline_input.trim().to_string(),
            output: self.pipeline_output.trim().to_string(),
            processing_guarantee: g,
            external_write: self.external_write,
            application_id: c.pipeline.as_ref().map_or_else(
                || PipelineConfig::default().application_id,
                |p| p.application_id.clone(),
            ),
        });
        Ok(())
    }
}

/// The "Consumers" fieldset; `defaults` names the version's defaults; `onchange` receives the
/// edited form.
pub fn consumer_fieldset(
    f: &ConsumerForm,
    defaults: &ClusterConfig,
    onchange: Callback<ConsumerForm>,
) -> Html {
    let set = |apply: fn(&mut ConsumerForm, String, bool)| {
        let (f, cb) = (f.clone(), onchange.clone());
        Callback::from(move |e: Event| {
            let (v, checked) = target_value(&e);
            let mut next = f.clone();
            apply(&mut next, v, checked);
            cb.emit(next);
        })
    };
    // Typed fields update on every keystroke (like the rest of the dialog), choices on change.
    let typed = |apply: fn(&mut ConsumerForm, String, bool)| {
        let (f, cb) = (f.clone(), onchange.clone());
        Callback::from(move |e: InputEvent| {
            let (v, checked) = target_value(&e);
            let mut next = f.clone();
            apply(&mut next, v, checked);
            cb.emit(next);
        })
    };
    let select = |label: &str, hint: &str, value: &str, options: &[(&str, &str)], cb| {
        let options: Vec<(&str, String)> =
            options.iter().map(|(v, t)| (*v, t.to_string())).collect();
        select_field(label, hint, value, &options, cb)
    };
    let assignors: Vec<&str> = defaults
        .assignment_strategies()
        .iter()
        .map(|s| s.kafka_name())
        .collect();
    let default_assignors = default_choice(format!(
        "[{}] (uses {})",
        assignors.join(", "),
        defaults.assignment_strategy().kafka_name()
    ));
    html! {
        <fieldset class="consumer-settings">
            <legend>{ "Consumers" }</legend>
            { number_field("consumers", "members of the group; 0 = no consumers", &f.consumers, typed(|f, v, _| f.consumers = v)) }
            <label class="field" title="the consumer group's name">
                <span class="name">{ "group.id" }</span>
                <input type="text" value={f.group_id.clone()} oninput={typed(|f, v, _| f.group_id = v)} />
                <span class="hint">{ "one group per run" }</span>
            </label>
            { select("enable.auto.commit", "false: commitSync() after processing (at-least-once) or before (at-most-once)", &f.commit,
                &[("auto", "true"), ("after-processing", "false: after"), ("before-processing", "false: before")],
                set(|f, v, _| f.commit = v)) }
            { number_field("auto.commit.interval.ms", "with auto-commit", &f.auto_commit_ms, typed(|f, v, _| f.auto_commit_ms = v)) }
            { select("auto.offset.reset", "where to start without a committed offset", &f.offset_reset,
                &[("earliest", "earliest"), ("latest", "latest"), ("none", "none")], set(|f, v, _| f.offset_reset = v)) }
            { number_field("session.timeout.ms", "no heartbeat this long: removed from the group", &f.session_ms, typed(|f, v, _| f.session_ms = v)) }
            { number_field("heartbeat.interval.ms", "", &f.heartbeat_ms, typed(|f, v, _| f.heartbeat_ms = v)) }
            { number_field("max.poll.interval.ms", "longest time between two poll() calls", &f.max_poll_ms, typed(|f, v, _| f.max_poll_ms = v)) }
            { select_field("partition.assignment.strategy", "the group leader's assignor", &f.strategy,
                &[default_assignors, ("range", "range".into()), ("roundrobin", "roundrobin".into()), ("sticky", "sticky".into()), ("cooperative-sticky", "cooperative-sticky".into())],
                set(|f, v, _| f.strategy = v)) }
            { select("isolation.level", "read_committed: only committed transactions, below the LSO", &f.isolation,
                &[("read_uncommitted", "read_uncommitted"), ("read_committed", "read_committed")], set(|f, v, _| f.isolation = v)) }
            { number_field("processing time (ms)", "per record, in the application", &f.processing_ms, typed(|f, v, _| f.processing_ms = v)) }
            <label class="field-check">
                <input type="checkbox" checked={f.dedup} onchange={set(|f, _, c| f.dedup = c)} />
                <span class="name">{ "dedup by record id" }</span>
                <span class="hint">{ "the application's sink drops a record it already holds" }</span>
            </label>
            { select("pipeline (processing.guarantee)", "each consumer becomes a consume-transform-produce instance with its own producer", &f.pipeline,
                &[("none", "no pipeline"), ("at_least_once", "at_least_once"), ("exactly_once_v2", "exactly_once_v2")],
                set(|f, v, _| f.pipeline = v)) }
            if f.pipeline != "none" {
                <label class="field" title="the topic the pipeline reads">
                    <span class="name">{ "pipeline input" }</span>
                    <input type="text" value={f.pipeline_input.clone()} oninput={typed(|f, v, _| f.pipeline_input = v)} />
                    <span class="hint">{ "a topic of this run" }</span>
                </label>
                <label class="field" title="the topic the pipeline writes">
                    <span class="name">{ "pipeline output" }</span>
                    <input type="text" value={f.pipeline_output.clone()} oninput={typed(|f, v, _| f.pipeline_output = v)} />
                    <span class="hint">{ "another topic" }</span>
                </label>
                <label class="field-check">
                    <input type="checkbox" checked={f.external_write} onchange={set(|f, _, c| f.external_write = c)} />
                    <span class="name">{ "external write" }</span>
                    <span class="hint">{ "processing also writes to a database, outside any transaction" }</span>
                </label>
            }
        </fieldset>
    }
}
