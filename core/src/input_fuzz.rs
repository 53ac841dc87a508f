//! A small mutation fuzzer for everything a user can hand the playground: scenario files (TOML
//! and JSON), URL fragments of runs, and JS-API command objects. Seeded from the shipped
//! scenarios and chapters; every input is parsed and, if accepted, run under a small replay
//! budget. A verdict says whether the input was refused (with which message) or ran. Deterministic
//! (one seed → the same inputs); the caller catches panics and measures time (the core has no
//! clock). `highwater fuzz-inputs` runs it for long; `core/tests/input_fuzz.rs` for a few seconds.

use crate::budget::Budget;
use crate::command::{Command, Input};
use crate::config::ClusterConfig;
use crate::rng::Rng;
use crate::scenario::Scenario;
use crate::timeline::{Run, Timeline};
use crate::Cluster;

/// Which parser an input goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A scenario file's TOML text (`Scenario::parse`).
    ScenarioToml,
    /// A scenario as JSON (`Scenario::from_json`, what `Simulation.fromScenario` takes).
    ScenarioJson,
    /// A run's URL fragment (`Run::from_fragment`, links and stored sessions).
    Fragment,
    /// A JS-API command object (`sim.apply`), as JSON.
    CommandJson,
}

/// One generated input.
#[derive(Clone, Debug)]
pub struct Case {
    /// Where it goes.
    pub target: Target,
    /// The text itself.
    pub text: String,
}

/// What became of one input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Parsed and ran (or stopped at the budget with a message).
    Ran,
    /// Refused with this message.
    Refused(String),
}

impl Verdict {
    /// A refusal whose message is empty or speaks Rust rather than the user's terms.
    pub fn bad_message(&self) -> Option<&str> {
        match self {
            Verdict::Refused(m) if m.trim().is_empty() || speaks_rust(m) => Some(m),
            _ => None,
        }
    }
}

/// Whether a message names a Rust type (`u32`, an enum's Rust name) instead of the user's terms.
fn speaks_rust(m: &str) -> bool {
    [
        "expected u8",
        "expected u16",
        "expected u32",
        "expected u64",
        "expected i64",
        "expected f64",
        "expected usize",
        "untagged enum",
    ]
    .iter()
    .any(|w| m.contains(w))
}

/// The budget each accepted input runs under: small, so a million inputs take minutes.
pub const FUZZ_BUDGET: Budget = Budget {
    max_events: 3_000,
    max_time_ms: crate::cluster::MAX_DURATION_MS,
};

/// Generates inputs by mutating a corpus of valid ones.
pub struct InputFuzzer {
    rng: Rng,
    corpus: Vec<String>,
    fragments: Vec<String>,
    commands: Vec<String>,
}

/// Values that probe bounds where a number stands.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "7",
    "8",
    "64",
    "65",
    "249",
    "250",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "9007199254740993",
    "1e300",
    "-0",
    "0.5",
    "86400000",
    "86400001",
    "1000000",
    "1000001",
    "nan",
    "inf",
];

/// Fragments of the file format and of hostile text.
const TOKENS: &[&str] = &[
    "[[step]]\n",
    "[config]\n",
    "[[config.topics]]\n",
    "steps = ",
    "run_ms = ",
    "crash = ",
    "produce = ",
    "run_until = { leader = { \"t-0\" = 2 } }\n",
    " = {",
    "}",
    "\"",
    "]]",
    "[",
    "brokers = 7\n",
    "partitions = 64\n",
    "replication_factor = 7\n",
    "\u{0}",
    "é",
    "<img src=x>",
    "\n",
    "=",
    ",",
    "'",
    "\"\"\"",
    "auto_produce = { interval_ms = 0 }\n",
    "seed = ",
    "\"kafka.version\" = \"0.9\"\n",
    "consumers = 99\n",
    "name = \"__consumer_offsets\"\n",
];

impl InputFuzzer {
    /// A fuzzer over `corpus` (scenario files' TOML text), seeded by `seed`.
    pub fn new(seed: u64, corpus: Vec<String>) -> Self {
        let mut fragments = Vec::new();
        let mut commands = Vec::new();
        for text in &corpus {
            let Ok(s) = Scenario::parse(text) else {
                continue;
            };
            let mut c = match Cluster::new(s.config.clone(), s.seed) {
                Ok(c) => c,
                Err(_) => continue,
            };
            // The scenario's first steps as a recorded run: a realistic link.
            for i in 0..s.steps.len().min(6) {
                if s.apply_step_within(&mut c, i, &FUZZ_BUDGET).is_err() {
                    break;
                }
            }
            let run = Run {
                config: s.config.clone(),
                seed: s.seed,
                inputs: c.history().to_vec(),
            };
            if let Ok(json) = serde_json::to_string(&run) {
                fragments.push(json);
            }
            for input in c.history() {
                if let Input::Command(cmd) = input {
                    if let Ok(json) = serde_json::to_string(cmd) {
                        commands.push(json);
                    }
                }
            }
        }
        InputFuzzer {
            rng: Rng::new(seed),
            corpus,
            fragments,
            commands,
        }
    }

    /// The next input.
    pub fn next_case(&mut self) -> Case {
        let target = match self.rng.below(5) {
            0 if !self.fragments.is_empty() => Target::Fragment,
            1 if !self.commands.is_empty() => Target::CommandJson,
            2 => Target::ScenarioJson,
            _ => Target::ScenarioToml,
        };
        let base = match target {
            Target::ScenarioToml | Target::ScenarioJson => self.pick_corpus(),
            Target::Fragment => {
                self.fragments[self.rng.below(self.fragments.len() as u64) as usize].clone()
            }
            Target::CommandJson => {
                self.commands[self.rng.below(self.commands.len() as u64) as usize].clone()
            }
        };
        let base = match target {
            Target::ScenarioJson => Scenario::toml_to_json(&base).unwrap_or(base),
            _ => base,
        };
        let rounds = 1 + self.rng.below(2);
        let mut text = base;
        for _ in 0..rounds {
            text = self.mutate(text);
        }
        Case { target, text }
    }

    fn pick_corpus(&mut self) -> String {
        if self.corpus.is_empty() {
            return String::new();
        }
        self.corpus[self.rng.below(self.corpus.len() as u64) as usize].clone()
    }

    /// One mutation: a number swapped for a bound, a token inserted, a range deleted or
    /// duplicated, the text cut short, or two corpus files spliced.
    fn mutate(&mut self, text: String) -> String {
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len() as u64;
        let at = |r: &mut Rng| r.below(n + 1) as usize;
        match self.rng.below(6) {
            0 => {
                // A number swapped for one that probes a bound.
                let digits: Vec<usize> = (0..chars.len())
                    .filter(|&i| {
                        chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit())
                    })
                    .collect();
                if digits.is_empty() {
                    return text;
                }
                let start = digits[self.rng.below(digits.len() as u64) as usize];
                let end = (start..chars.len())
                    .find(|&i| !chars[i].is_ascii_digit())
                    .unwrap_or(chars.len());
                let value = NUMBERS[self.rng.below(NUMBERS.len() as u64) as usize];
                let mut out: String = chars[..start].iter().collect();
                out.push_str(value);
                out.extend(&chars[end..]);
                out
            }
            1 => {
                let i = at(&mut self.rng);
                let token = TOKENS[self.rng.below(TOKENS.len() as u64) as usize];
                let mut out: String = chars[..i].iter().collect();
                out.push_str(token);
                out.extend(&chars[i..]);
                out
            }
            2 => {
                let (a, b) = self.range(chars.len());
                chars[..a].iter().chain(&chars[b..]).collect()
            }
            3 => {
                let (a, b) = self.range(chars.len());
                chars[..b].iter().chain(&chars[a..]).collect()
            }
            4 => chars[..at(&mut self.rng)].iter().collect(),
            _ => {
                let other = self.pick_corpus();
                let cut = at(&mut self.rng);
                let o: Vec<char> = other.chars().collect();
                let from = self.rng.below(o.len() as u64 + 1) as usize;
                chars[..cut].iter().chain(&o[from..]).collect()
            }
        }
    }

    /// A short range inside `0..len` (at most 40 characters).
    fn range(&mut self, len: usize) -> (usize, usize) {
        let a = self.rng.below(len as u64 + 1) as usize;
        let b = (a + 1 + self.rng.below(40) as usize).min(len);
        (a.min(b), b)
    }
}

/// Parses `case` with its parser and, if accepted, runs it under [`FUZZ_BUDGET`].
pub fn check(case: &Case) -> Verdict {
    let refused = |m: String| Verdict::Refused(m);
    match case.target {
        Target::ScenarioToml | Target::ScenarioJson => {
            let parsed = match case.target {
                Target::ScenarioToml => Scenario::parse(&case.text),
                _ => Scenario::from_json(&case.text),
            };
            match parsed {
                Err(e) => refused(e.message),
                Ok(s) => match s.run_within(&FUZZ_BUDGET) {
                    Ok(_) => Verdict::Ran,
                    Err(e) => refused(e.message),
                },
            }
        }
        Target::Fragment => {
            let frag = crate::timeline::base64url_encode(case.text.as_bytes());
            match Run::from_fragment(&frag) {
                Err(e) => refused(e),
                Ok(run) => match Timeline::from_run_within(&run, &FUZZ_BUDGET) {
                    Ok(_) => Verdict::Ran,
                    Err(e) => refused(e.message),
                },
            }
        }
        Target::CommandJson => match serde_json::from_str::<Command>(&case.text) {
            Err(e) => refused(crate::plain_words::user_terms(&e.to_string())),
            Ok(cmd) => {
                let Ok(mut c) = Cluster::new(ClusterConfig::default(), 1) else {
                    return refused("the default configuration is invalid".into());
                };
                match c.apply(cmd) {
                    Ok(()) => {
                        let _ = c.run_until_within(1_000, &FUZZ_BUDGET);
                        Verdict::Ran
                    }
                    Err(e) => refused(e.0),
                }
            }
        },
    }
}
