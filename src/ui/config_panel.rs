//! The configuration dialog, with Kafka's own setting names; "Start new run" replaces the run.

use std::rc::Rc;

use highwater_core::config::{Acks, ClusterConfig, KafkaVersion, TopicConfig, TruncationMode};
use highwater_core::types::Millis;
use yew::prelude::*;

use super::config_consumers::{consumer_fieldset, ConsumerForm};
use super::dialogs::Modal;
use super::state::Dispatch;
use super::state::{default_config, Msg, NewRun, DEFAULT_AUTO_MS, DEFAULT_SEED};
use super::view::Topology;
use super::widgets::{default_choice, number_field, select_field, target_value};

#[derive(Clone, Debug, PartialEq)]
struct Form {
    /// `kafka.version`; the version-dependent fields below hold "" for "the version's default".
    version: String,
    brokers: String,
    producers: String,
    partitions: String,
    replication_factor: String,
    acks: String,
    idempotence: String,
    min_isr: String,
    lag_ms: String,
    unclean: String,
    truncation: String,
    session_ms: String,
    heartbeat_ms: String,
    latency_ms: String,
    jitter_ms: String,
    seed: String,
    auto_ms: String,
    consumer: ConsumerForm,
    /// "" = not transactional.
    transactional_id: String,
}

fn truncation_name(t: TruncationMode) -> &'static str {
    match t {
        TruncationMode::HighWatermark => "high-watermark",
        TruncationMode::LeaderEpochV0 => "leader-epoch-v0",
        TruncationMode::LeaderEpoch => "leader-epoch",
    }
}

/// An explicit setting as the form holds it: "" when unset (the version decides).
fn explicit<T>(v: Option<T>, name: impl Fn(T) -> String) -> String {
    v.map(name).unwrap_or_default()
}

/// "" → unset, otherwise parsed.
fn parse_explicit<T>(
    v: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if v.is_empty() {
        Ok(None)
    } else {
        parse(v).map(Some)
    }
}

impl Form {
    /// The version the form names (the newest when it names none).
    fn version(&self) -> KafkaVersion {
        self.version.parse().unwrap_or_default()
    }

    /// A configuration with the form's version and its explicit `acks` and `enable.idempotence`
    /// (those two resolve against each other), for the "default: …" choices.
    fn defaults(&self) -> ClusterConfig {
        let mut c = ClusterConfig {
            kafka_version: self.version(),
            ..ClusterConfig::default()
        };
        c.producer.acks = self.acks.parse().ok();
        c.producer.enable_idempotence = self.idempotence.parse().ok();
        c
    }

    fn from_config(c: &ClusterConfig, seed: u64, auto_ms: Millis) -> Form {
        let t = c.topics.first().cloned().unwrap_or_default();
        Form {
            version: c.kafka_version.as_str().to_string(),
            brokers: c.brokers.to_string(),
            producers: c.producers.to_string(),
            partitions: t.partitions.to_string(),
            replication_factor: t.replication_factor.to_string(),
            acks: explicit(c.producer.acks, |a| a.as_str().to_string()),
            idempotence: explicit(c.producer.enable_idempotence, |b| b.to_string()),
            min_isr: c.broker.min_insync_replicas.to_string(),
            lag_ms: c.broker.replica_lag_time_max_ms.to_string(),
            unclean: explicit(c.broker.unclean_leader_election_enable, |b| b.to_string()),
            truncation: explicit(c.profile.truncation, |t| truncation_name(t).to_string()),
            session_ms: c.broker.broker_session_timeout_ms.to_string(),
            heartbeat_ms: c.broker.broker_heartbeat_interval_ms.to_string(),
            latency_ms: c.network.latency_ms.to_string(),
            jitter_ms: c.network.jitter_ms.to_string(),
            seed: seed.to_string(),
            auto_ms: auto_ms.to_string(),
            consumer: ConsumerForm::from_config(c),
            transactional_id: c.producer.transactional_id.clone().unwrap_or_default(),
        }
    }

    /// The run this form describes, or the first field that does not parse.
    fn to_request(&self, base: &ClusterConfig) -> Result<NewRun, String> {
        fn num<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, String> {
            v.trim()
                .parse()
                .map_err(|_| format!("{name} must be a whole number, not “{}”", v.trim()))
        }
        let mut c = base.clone();
        c.kafka_version = self.version.parse()?;
        c.brokers = num("brokers", &self.brokers)?;
        c.producers = num("producers", &self.producers)?;
        let name = c.topics.first().map_or("t".to_string(), |t| t.name.clone());
        c.topics = vec![TopicConfig {
            name,
            partitions: num("partitions", &self.partitions)?,
            replication_factor: num("replication.factor", &self.replication_factor)?,
            replicas: vec![],
            retention_bytes: None,
            retention_ms: None,
        }];
        let flag = |v: &str| Ok(v == "true");
        c.producer.acks = parse_explicit(&self.acks, |v| v.parse::<Acks>())?;
        c.producer.enable_idempotence = parse_explicit(&self.idempotence, flag)?;
        let tid = self.transactional_id.trim();
        c.producer.transactional_id = (!tid.is_empty()).then(|| tid.to_string());
        c.broker.min_insync_replicas = num("min.insync.replicas", &self.min_isr)?;
        c.broker.replica_lag_time_max_ms = num("replica.lag.time.max.ms", &self.lag_ms)?;
        c.broker.unclean_leader_election_enable = parse_explicit(&self.unclean, flag)?;
        c.profile.truncation = parse_explicit(&self.truncation, |v| {
            Ok(match v {
                "high-watermark" => TruncationMode::HighWatermark,
                "leader-epoch-v0" => TruncationMode::LeaderEpochV0,
                _ => TruncationMode::LeaderEpoch,
            })
        })?;
        c.broker.broker_session_timeout_ms = num("broker.session.timeout.ms", &self.session_ms)?;
        c.broker.broker_heartbeat_interval_ms =
            num("broker.heartbeat.interval.ms", &self.heartbeat_ms)?;
        c.network.latency_ms = num("latency", &self.latency_ms)?;
        c.network.jitter_ms = num("jitter", &self.jitter_ms)?;
        self.consumer.apply(&mut c)?;
        Ok(NewRun {
            config: c,
            seed: num("seed", &self.seed)?,
            auto_ms: num("auto-produce interval", &self.auto_ms)?,
        })
    }
}

#[derive(Properties, PartialEq)]
pub struct ConfigProps {
    pub topology: Rc<Topology>,
    pub auto_ms: Millis,
    /// The reducer's verdict on the last attempt (the simulator's validation message).
    pub error: Option<String>,
    pub dispatch: Dispatch,
}

/// `c` with one setting unset.
fn unset(c: &ClusterConfig, f: impl Fn(&mut ClusterConfig)) -> ClusterConfig {
    let mut c = c.clone();
    f(&mut c);
    c
}

#[function_component(ConfigDialog)]
pub fn config_dialog(props: &ConfigProps) -> Html {
    let form =
        use_state(|| Form::from_config(&props.topology.config, props.topology.seed, props.auto_ms));
    let parse_error = use_state(|| None::<String>);
    let set = |f: fn(&mut Form, String, bool)| {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let (v, checked) = target_value(&e);
            let mut next = (*form).clone();
            f(&mut next, v, checked);
            form.set(next);
        })
    };
    let set_input = |f: fn(&mut Form, String, bool)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let (v, checked) = target_value(&e);
            let mut next = (*form).clone();
            f(&mut next, v, checked);
            form.set(next);
        })
    };
    let on_submit = {
        let (form, parse_error, d, base) = (
            form.clone(),
            parse_error.clone(),
            props.dispatch.clone(),
            props.topology.config.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match form.to_request(&base) {
                Ok(req) => {
                    parse_error.set(None);
                    d.dispatch(Msg::NewRun(Box::new(req)));
                }
                Err(msg) => parse_error.set(Some(msg)),
            }
        })
    };
    let on_defaults = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| {
            form.set(Form::from_config(
                &default_config(),
                DEFAULT_SEED,
                DEFAULT_AUTO_MS,
            ))
        })
    };
    let f = &*form;
    let defaults = f.defaults();
    let versions: Vec<(&str, String)> = KafkaVersion::ALL
        .iter()
        .rev()
        .map(|v| (v.as_str(), format!("{v} ({})", v.releases())))
        .collect();
    let error = (*parse_error).clone().or_else(|| props.error.clone());
    html! {
        <Modal id="config" title="Configuration" wide=true dispatch={props.dispatch.clone()}>
            <form class="config-form" onsubmit={on_submit}>
                <fieldset>
                    <legend>{ "Kafka version" }</legend>
                    { select_field("kafka.version", defaults.kafka_version.note(), &f.version, &versions,
                        set(|f, v, _| f.version = v)) }
                </fieldset>
                <fieldset>
                    <legend>{ "Cluster" }</legend>
                    { number_field("brokers", "1 to 7", &f.brokers, set_input(|f, v, _| f.brokers = v)) }
                    { number_field("producers", "producer clients", &f.producers, set_input(|f, v, _| f.producers = v)) }
                    { number_field("partitions", "of topic t", &f.partitions, set_input(|f, v, _| f.partitions = v)) }
                    { number_field("replication.factor", "replicas per partition", &f.replication_factor, set_input(|f, v, _| f.replication_factor = v)) }
                </fieldset>
                <fieldset>
                    <legend>{ "Durability" }</legend>
                    { select_field("acks", "all = wait for the ISR", &f.acks,
                        &[default_choice(unset(&defaults, |c| c.producer.acks = None).acks().as_str()),
                          ("0", "0".into()), ("1", "1".into()), ("all", "all".into())],
                        set(|f, v, _| f.acks = v)) }
                    { number_field("min.insync.replicas", "ISR size needed for acks=all", &f.min_isr, set_input(|f, v, _| f.min_isr = v)) }
                    { select_field("unclean.leader.election.enable", "let an out-of-sync replica lead (may lose data)", &f.unclean,
                        &[default_choice(defaults.unclean_leader_election_enable()), ("true", "true".into()), ("false", "false".into())],
                        set(|f, v, _| f.unclean = v)) }
                    { select_field("enable.idempotence", "drop retry duplicates (needs acks=all)", &f.idempotence,
                        &[default_choice(unset(&defaults, |c| c.producer.enable_idempotence = None).enable_idempotence()), ("true", "true".into()), ("false", "false".into())],
                        set(|f, v, _| f.idempotence = v)) }
                    <label class="field" title="every producer uses it: the second instance fences the first">
                        <span class="name">{ "transactional.id" }</span>
                        <input type="text" placeholder="none: not transactional" value={f.transactional_id.clone()}
                               oninput={set_input(|f, v, _| f.transactional_id = v)} />
                        <span class="hint">{ "transactions: begin / commit / abort in the producer's inspector" }</span>
                    </label>
                    { select_field("truncation", "KIP-101/279/320 leader epochs, or the article's truncate-to-HW", &f.truncation,
                        &[default_choice(truncation_name(defaults.switches().truncation)),
                          ("leader-epoch", "leader epoch (Kafka ≥ 2.1)".into()),
                          ("leader-epoch-v0", "leader epoch v0 (0.11 – 2.0)".into()),
                          ("high-watermark", "high watermark (≤ 0.10)".into())],
                        set(|f, v, _| f.truncation = v)) }
                </fieldset>
                <fieldset>
                    <legend>{ "Timing" }</legend>
                    { number_field("replica.lag.time.max.ms", "a follower this far behind leaves the ISR", &f.lag_ms, set_input(|f, v, _| f.lag_ms = v)) }
                    { number_field("broker.session.timeout.ms", "no heartbeat this long: fenced", &f.session_ms, set_input(|f, v, _| f.session_ms = v)) }
                    { number_field("broker.heartbeat.interval.ms", "", &f.heartbeat_ms, set_input(|f, v, _| f.heartbeat_ms = v)) }
                    { number_field("latency (ms)", "one-way network latency", &f.latency_ms, set_input(|f, v, _| f.latency_ms = v)) }
                    { number_field("jitter (ms)", "extra random latency", &f.jitter_ms, set_input(|f, v, _| f.jitter_ms = v)) }
                </fieldset>
                { consumer_fieldset(&f.consumer, &defaults, {
                    let form = form.clone();
                    Callback::from(move |k: ConsumerForm| {
                        let mut next = (*form).clone();
                        next.consumer = k;
                        form.set(next);
                    })
                }) }
                <fieldset>
                    <legend>{ "Run" }</legend>
                    { number_field("seed", "same seed, same run", &f.seed, set_input(|f, v, _| f.seed = v)) }
                    { number_field("auto-produce (ms)", "each producer sends a record this often; 0 = off", &f.auto_ms, set_input(|f, v, _| f.auto_ms = v)) }
                </fieldset>
                if let Some(e) = error {
                    <p class="form-error" role="alert">{ e }</p>
                }
                <div class="form-actions">
                    <button type="button" onclick={on_defaults}>{ "Defaults" }</button>
                    <button type="submit" class="primary">{ "Start new run" }</button>
                </div>
            </form>
        </Modal>
    }
}
