//! Writes plain data (a `serde_json::Value`) as TOML text, without the `toml` crate, so that the
//! page (built without it) can write scenario files too. Tables become `[a.b]` headers, lists of
//! tables `[[a.b]]`, everything else inline; `null` keys are left out. A table's `kafka.version`
//! comes first (the scenario files' convention).

use serde_json::{Map, Value};

/// A string as a TOML basic string: quotes, backslashes and control characters escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A key, bare when TOML allows it.
pub fn key(k: &str) -> String {
    let bare = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        k.to_string()
    } else {
        quote(k)
    }
}

/// An inline value (`null` has no TOML form and reads as an empty string).
pub fn inline(v: &Value) -> String {
    match v {
        Value::Null => "\"\"".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            // serde_json's own digits (no second float formatter in the page's bundle); a float
            // keeps a point so that TOML reads it back as one.
            let t = n.to_string();
            let float = n.is_f64() && !t.contains(['.', 'e', 'E', 'n', 'i']);
            if float {
                t + ".0"
            } else {
                t
            }
        }
        Value::String(s) => quote(s),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(m) => {
            let parts: Vec<String> = ordered(m)
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| format!("{} = {}", key(k), inline(v)))
                .collect();
            if parts.is_empty() {
                "{}".into()
            } else {
                format!("{{ {} }}", parts.join(", "))
            }
        }
    }
}

/// Writes `table` under the header `path` (dotted, already keyed; empty for the top level).
pub fn write_table(out: &mut String, path: &str, table: &Map<String, Value>) {
    let scalars = table
        .values()
        .any(|v| !v.is_null() && !is_table(v) && !is_table_list(v));
    let nested = table.values().any(|v| is_table(v) || is_table_list(v));
    // A table holding only tables needs no header of its own.
    if !path.is_empty() && (scalars || !nested) {
        out.push_str(&format!("[{path}]\n"));
    }
    for (k, v) in ordered(table) {
        if !v.is_null() && !is_table(v) && !is_table_list(v) {
            out.push_str(&format!("{} = {}\n", key(k), inline(v)));
        }
    }
    let sub = |k: &str| {
        if path.is_empty() {
            key(k)
        } else {
            format!("{path}.{}", key(k))
        }
    };
    for (k, v) in ordered(table) {
        if let Value::Object(m) = v {
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
            write_table(out, &sub(k), m);
        } else if is_table_list(v) {
            for item in v.as_array().into_iter().flatten() {
                if let Value::Object(m) = item {
                    out.push_str(&format!("\n[[{}]]\n", sub(k)));
                    write_table_body(out, &sub(k), m);
                }
            }
        }
    }
}

/// A list-of-tables item's keys (its `[[header]]` is already written).
fn write_table_body(out: &mut String, path: &str, table: &Map<String, Value>) {
    let mut body = String::new();
    write_table(&mut body, path, table);
    // `write_table` wrote the header first (unless the item holds only tables): drop it.
    let header = format!("[{path}]\n");
    out.push_str(body.strip_prefix(&header).unwrap_or(&body));
}

fn is_table(v: &Value) -> bool {
    v.is_object()
}

fn is_table_list(v: &Value) -> bool {
    matches!(v, Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object))
}

/// The keys in order: `kafka.version` first, then as the map holds them.
fn ordered(m: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    let first = m.get_key_value("kafka.version");
    first
        .into_iter()
        .chain(m.iter().filter(|(k, _)| k.as_str() != "kafka.version"))
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;

    #[test]
    fn written_text_parses_back_to_the_same_value() {
        let v = serde_json::json!({
            "kafka.version": "4.1",
            "brokers": 3,
            "ratio": 1.0,
            "weird key": "a\"b\\c\nd\u{7f}\u{1}",
            "skip": null,
            "topics": [{ "name": "t", "replicas": [[1, 2], [2, 1]] }],
            "broker": { "min.insync.replicas": 2, "inner": { "x": true } },
            "list": [{ "a": 1 }, 2],
        });
        let mut out = String::new();
        write_table(&mut out, "", v.as_object().unwrap());
        assert!(out.starts_with("\"kafka.version\" = \"4.1\"\n"), "{out}");
        let back: toml::Value = toml::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
        let mut want = v.clone();
        want.as_object_mut().unwrap().remove("skip");
        assert_eq!(serde_json::to_value(back).unwrap(), want, "{out}");
    }
}
