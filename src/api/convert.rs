//! Conversion at the JavaScript boundary: arguments in (checked, with errors in this API's
//! words), values out (serde_json's text through `JSON.parse`).

use highwater_core::budget::Budget;
use highwater_core::cluster::MAX_DURATION_MS;
use highwater_core::command::{Action, Command};
use highwater_core::config::ClusterConfig;
use highwater_core::scenario::Scenario;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::catalog;

/// JavaScript's `Number.MAX_SAFE_INTEGER`: larger integers are not exact in a JS number.
pub(super) const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

// ---- errors and argument checking -------------------------------------------------------------

/// A JS `Error` whose message starts with the method name.
pub(super) fn error(method: &str, message: impl std::fmt::Display) -> JsValue {
    let message = highwater_core::plain_words::user_terms(&message.to_string());
    js_sys::Error::new(&format!("{method}: {message}")).into()
}

/// A short description of a JS value for error messages: `-1`, `"abc"`, `undefined`, `an object`.
pub(super) fn describe(v: &JsValue) -> String {
    if let Some(n) = v.as_f64() {
        format!("{n}")
    } else if let Some(s) = v.as_string() {
        format!("{s:?}")
    } else if v.is_undefined() {
        "undefined".into()
    } else if v.is_null() {
        "null".into()
    } else if let Some(b) = v.as_bool() {
        b.to_string()
    } else if v.is_bigint() {
        "a bigint".into()
    } else if v.is_function() {
        "a function".into()
    } else if js_sys::Array::is_array(v) {
        "an array".into()
    } else {
        format!(
            "a value of type {}",
            v.js_typeof().as_string().unwrap_or_default()
        )
    }
}

/// A whole number in `0..=Number.MAX_SAFE_INTEGER` (or a `bigint` in `0..2^64` when `bigint`).
pub(super) fn whole_number(
    method: &str,
    what: &str,
    v: &JsValue,
    bigint: bool,
) -> Result<u64, JsValue> {
    if let Some(n) = v.as_f64() {
        if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= MAX_SAFE_INTEGER as f64 {
            return Ok(n as u64);
        }
    } else if bigint && v.is_bigint() {
        if let Ok(n) = u64::try_from(v.clone()) {
            return Ok(n);
        }
    }
    let range = if bigint {
        "a whole number ≥ 0 (or a bigint below 2^64)"
    } else {
        "a whole number ≥ 0"
    };
    Err(error(
        method,
        format!("{what} must be {range}, not {}", describe(v)),
    ))
}

/// Most simulated events a caller-chosen budget may allow (beyond it the event log could exhaust
/// wasm memory).
pub(super) const MAX_BUDGET_EVENTS: u64 = 10_000_000;

/// An optional `{ maxEvents, maxTimeMs }` budget; absent fields (or no object) keep the default
/// (`Budget::DEFAULT`).
pub(super) fn read_budget(method: &str, v: &JsValue) -> Result<Budget, JsValue> {
    let mut b = Budget::DEFAULT;
    let Some(obj) = optional(v) else {
        return Ok(b);
    };
    if !obj.is_object() {
        return Err(error(
            method,
            format!(
                "budget must be an object like {{ maxEvents: 1000000 }}, not {}",
                describe(obj)
            ),
        ));
    }
    let get =
        |k: &str| js_sys::Reflect::get(obj, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let keys = js_sys::Object::keys(obj.unchecked_ref::<js_sys::Object>());
    for k in keys.iter() {
        let k = k.as_string().unwrap_or_default();
        if k != "maxEvents" && k != "maxTimeMs" {
            return Err(error(
                method,
                format!("unknown budget field `{k}`, expected `maxEvents` or `maxTimeMs`"),
            ));
        }
    }
    if let Some(n) = optional(&get("maxEvents")) {
        let n = whole_number(method, "budget.maxEvents", n, false)?;
        if n == 0 || n > MAX_BUDGET_EVENTS {
            return Err(error(
                method,
                format!("budget.maxEvents must be between 1 and {MAX_BUDGET_EVENTS}, not {n}"),
            ));
        }
        b.max_events = n;
    }
    if let Some(t) = optional(&get("maxTimeMs")) {
        let t = whole_number(method, "budget.maxTimeMs", t, false)?;
        if t > MAX_DURATION_MS {
            return Err(error(
                method,
                format!("budget.maxTimeMs must be at most one day ({MAX_DURATION_MS}), not {t}"),
            ));
        }
        b.max_time_ms = t;
    }
    Ok(b)
}

pub(super) fn optional(v: &JsValue) -> Option<&JsValue> {
    (!v.is_undefined() && !v.is_null()).then_some(v)
}

/// A `u64` as a JS number when exact, as a `bigint` otherwise.
pub(super) fn u64_to_js(n: u64) -> JsValue {
    if n <= MAX_SAFE_INTEGER {
        JsValue::from_f64(n as f64)
    } else {
        JsValue::from(n)
    }
}

/// Reads a plain JS object into a core type through `JSON.stringify` and `serde_json`.
///
/// Not `serde_wasm_bindgen::from_value`: it reads only the fields a struct declares, so a
/// misspelt key (`{brokerz: 3}`) would be ignored silently instead of being refused by the
/// core's `deny_unknown_fields`. serde_json is in the bundle anyway (run fragments are JSON).
pub(super) fn from_js<T: serde::de::DeserializeOwned>(v: &JsValue) -> Result<T, String> {
    let text = js_sys::JSON::stringify(v).map_err(|e| {
        format!(
            "the argument cannot be converted to JSON ({})",
            error_text(&e)
        )
    })?;
    let text = String::from(text);
    serde_json::from_str(&text).map_err(|e| {
        // Positions inside the JSON text mean nothing to the caller.
        let e = e.to_string();
        match e.rfind(" at line ") {
            Some(i) => e[..i].to_string(),
            None => e,
        }
    })
}

/// The message of a JS exception.
pub(super) fn error_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| describe(e))
}

/// A core value as a plain JS object: serde_json's text, parsed by `JSON.parse`. (A `u64` above
/// `Number.MAX_SAFE_INTEGER` would be rounded; only seeds get that large, and the methods that
/// return one put it back as a `bigint`.)
pub(super) fn to_js<T: Serialize + ?Sized>(method: &str, value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| error(method, e))?;
    js_sys::JSON::parse(&text).map_err(|e| error(method, error_text(&e)))
}

/// Serde's "unknown variant `x`, expected one of `a`, `b`" in the words of this API.
pub(super) fn unknown_variant(message: &str, noun: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown variant `")?;
    let (name, rest) = rest.split_once('`')?;
    // serde writes "expected one of `a`, `b`, `c`" or "expected `a` or `b`".
    let expected = rest
        .strip_prefix(", expected one of ")
        .map(|list| format!("one of {list}"))
        .or_else(|| rest.strip_prefix(", expected ").map(str::to_string))
        .unwrap_or_default()
        .replace('`', "");
    Some(format!("unknown {noun} {name:?}; expected {expected}"))
}

/// Deserialises an internally tagged object (`{cmd: "produce", …}`, `{action: "deliver", …}`),
/// turning serde's messages into this API's words.
pub(super) fn parse_tagged<T: serde::de::DeserializeOwned>(
    method: &str,
    v: &JsValue,
    tag: &str,
    noun: &str,
    example: &str,
) -> Result<T, JsValue> {
    if !v.is_object() || js_sys::Array::is_array(v) {
        return Err(error(
            method,
            format!(
                "a {noun} must be an object such as {example}, not {}",
                describe(v)
            ),
        ));
    }
    from_js::<T>(v).map_err(|e| {
        let name = js_sys::Reflect::get(v, &JsValue::from_str(tag))
            .ok()
            .and_then(|c| c.as_string());
        let message = match name {
            // The tag names no known variant.
            Some(name) if e.starts_with(&format!("unknown variant `{name}`")) => {
                unknown_variant(&e, noun).unwrap_or(e)
            }
            // A problem inside a known variant.
            Some(name) => format!("{name}: {e}"),
            None if e.contains(&format!("`{tag}`")) => {
                format!("a {noun} needs a \"{tag}\" field, e.g. {example}; {e}")
            }
            None => e,
        };
        error(method, message)
    })
}

pub(super) fn parse_command(method: &str, v: &JsValue) -> Result<Command, JsValue> {
    parse_tagged(
        method,
        v,
        "cmd",
        "command",
        "{cmd: \"produce\", value: \"a\"}",
    )
}

pub(super) fn parse_action(method: &str, v: &JsValue) -> Result<Action, JsValue> {
    parse_tagged(
        method,
        v,
        "action",
        "action",
        "{action: \"deliver\", message: 12} (see enabled())",
    )
}

pub(super) fn parse_config(method: &str, v: &JsValue) -> Result<ClusterConfig, JsValue> {
    let Some(v) = optional(v) else {
        return Ok(ClusterConfig::default());
    };
    if !v.is_object() || js_sys::Array::is_array(v) {
        return Err(error(
            method,
            format!(
                "the configuration must be an object such as {{brokers: 3}}, not {}",
                describe(v)
            ),
        ));
    }
    let config: ClusterConfig = from_js(v).map_err(|e| error(method, e))?;
    config.validate().map_err(|e| error(method, e))?;
    Ok(config)
}

/// The fragment itself from `"#run=…"`, `"run=…"`, a whole address or the bare text.
pub(super) fn fragment_text(s: &str) -> &str {
    let s = s.trim();
    let s = s.rsplit_once('#').map_or(s, |(_, f)| f);
    s.strip_prefix("run=").unwrap_or(s)
}
/// A scenario given to `fromScenario`: a built-in id, JSON text, or an object.
pub(super) fn read_scenario(v: &JsValue) -> Result<Scenario, String> {
    let text = if let Some(text) = v.as_string() {
        let trimmed = text.trim_start();
        if !trimmed.starts_with('{') {
            if let Some(entry) = catalog::find(trimmed.trim_end()) {
                return entry.scenario();
            }
            let looks_like_toml = trimmed.contains('=') || trimmed.contains("[[step]]");
            return Err(if looks_like_toml {
                "TOML text is not read in the browser (the page leaves the TOML parser out to \
                 stay small): pass the scenario as an object or JSON text, or convert the file \
                 with `highwater convert FILE`"
                    .into()
            } else {
                format!(
                    "no built-in scenario is called {:?} (see Simulation.scenarioCatalog())",
                    trimmed.trim_end()
                )
            });
        }
        text
    } else if v.is_object() && !v.is_function() {
        js_sys::JSON::stringify(v)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or("the scenario object cannot be written as JSON")?
    } else {
        return Err(format!(
            "expected a built-in scenario id, a scenario object or its JSON text, not {}",
            describe(v)
        ));
    };
    Scenario::from_json(&text).map_err(|e| e.to_string())
}

/// `toScenario`'s options: `{ format?: "toml" | "json", name?: string }` → (JSON wanted, name).
pub(super) fn export_options(method: &str, v: &JsValue) -> Result<(bool, String), JsValue> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ExportOptions {
        #[serde(default)]
        format: Option<String>,
        #[serde(default)]
        name: Option<String>,
    }
    let Some(v) = optional(v) else {
        return Ok((false, DEFAULT_EXPORT_NAME.into()));
    };
    let o: ExportOptions = from_js(v).map_err(|e| error(method, format!("options: {e}")))?;
    let json = match o.format.as_deref() {
        None | Some("toml") => false,
        Some("json") => true,
        Some(other) => {
            return Err(error(
                method,
                format!("options.format must be \"toml\" or \"json\", not {other:?}"),
            ))
        }
    };
    Ok((json, o.name.unwrap_or_else(|| DEFAULT_EXPORT_NAME.into())))
}

/// The name of an exported scenario when none is given.
const DEFAULT_EXPORT_NAME: &str = "Exported run";
