//! The UI's modules import each other in layers, never in a circle (ARCHITECTURE.md, "UI
//! layers"). This test reads `src/ui/**/*.rs`, turns every path into a module that a file names
//! (`use super::…`, `use crate::ui::…`, `use self::…`, paths written inline such as
//! `super::state::Msg`, a child module named by its parent such as `play::reduce`, and names a
//! `use` brought in, such as `use super::tutorial::{self, …}` then `tutorial::link::parse`) into
//! an edge of a module graph, and fails with the cycle when the graph has one. `mod` declarations
//! are not edges; `#[cfg(test)]` modules are left out.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/ui is readable") {
        let p = entry.expect("a directory entry").path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `src/ui/picture/mod.rs` → `[ui, picture]`; `src/ui/state/boot.rs` → `[ui, state, boot]`.
fn module_of(root: &Path, file: &Path) -> (Module, bool) {
    let rel = file
        .strip_prefix(root)
        .expect("under src/ui")
        .with_extension("");
    let mut m: Module = vec!["ui".into()];
    m.extend(rel.iter().map(|s| s.to_string_lossy().into_owned()));
    let is_dir = m.last().is_some_and(|l| l == "mod");
    if is_dir {
        m.pop();
    }
    (m, is_dir)
}

/// The code without comments, string literals' contents and `#[cfg(test)]` modules.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `a::{b, c::{d, self}}` → `a::b`, `a::c::d`, `a::c::self`.
fn expand(path: &str) -> Vec<String> {
    let Some(open) = path.find('{') else {
        return vec![path.to_string()];
    };
    let (prefix, body) = (&path[..open], &path[open + 1..path.len() - 1]);
    let mut parts = Vec::new();
    let (mut depth, mut cur) = (0, String::new());
    for ch in body.chars() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if ch == ',' && depth == 0 {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(ch);
        }
    }
    parts.push(cur);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(&format!("{prefix}{p}")))
        .collect()
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every `name::ident(::ident)*` path in `code` starting with one of `heads`.
fn inline_paths(code: &str, heads: &[String]) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts =
            (i == 0 || !(is_ident(chars[i - 1]) || chars[i - 1] == ':')) && is_ident(chars[i]);
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut path = String::new();
        loop {
            let s = j;
            while j < chars.len() && is_ident(chars[j]) {
                j += 1;
            }
            path.extend(&chars[s..j]);
            if j + 2 < chars.len()
                && chars[j] == ':'
                && chars[j + 1] == ':'
                && is_ident(chars[j + 2])
            {
                path.push_str("::");
                j += 2;
            } else {
                break;
            }
        }
        let head = path.split("::").next().unwrap_or_default();
        if path.contains("::") && heads.iter().any(|h| h == head) {
            out.push(path);
        }
        i = j.max(i + 1);
    }
    out
}

/// The longest prefix of `path` (relative to `here`) that is a module of `modules`.
fn resolve(
    path: &str,
    here: &Module,
    aliases: &BTreeMap<String, Module>,
    modules: &BTreeSet<Module>,
) -> Option<Module> {
    let mut segs = path.split("::").map(str::to_string);
    let first = segs.next()?;
    let mut full: Module = match first.as_str() {
        "crate" => vec![],
        "self" => here.clone(),
        "super" => here[..here.len().saturating_sub(1)].to_vec(),
        name => {
            let mut m = aliases.get(name)?.clone();
            m.truncate(m.len());
            m
        }
    };
    for s in segs {
        match s.as_str() {
            "super" => {
                full.pop();
            }
            "self" => {}
            _ => full.push(s),
        }
    }
    (1..=full.len())
        .rev()
        .map(|n| full[..n].to_vec())
        .find(|m| modules.contains(m))
}

fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    let parsed: Vec<(Module, String)> = paths
        .iter()
        .map(|p| {
            let (m, _) = module_of(&root, p);
            (
                m,
                code(&fs::read_to_string(p).expect("a readable source file")),
            )
        })
        .collect();
    let modules: BTreeSet<Module> = parsed.iter().map(|(m, _)| m.clone()).collect();
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (here, text) in &parsed {
        let mut aliases: BTreeMap<String, Module> = BTreeMap::new();
        // A file's own child modules are named by their bare names.
        for m in &modules {
            if m.len() == here.len() + 1 && m.starts_with(here) {
                aliases.insert(m[here.len()].clone(), m.clone());
            }
        }
        let mut named = Vec::new();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("use ") {
            let before_ok = i == 0 || !is_ident(rest[..i].chars().last().unwrap_or(' '));
            let Some(end) = rest[i..].find(';') else {
                break;
            };
            let decl: String = rest[i + 4..i + end]
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            rest = &rest[i + end + 1..];
            if !before_ok {
                continue;
            }
            for p in expand(&decl) {
                let target = resolve(&p, here, &aliases, &modules);
                // `use x::y::{self}` / `use x::y` of a module: `y::…` names it from here on.
                if let Some(t) = &target {
                    let last = p.rsplit("::").next().unwrap_or_default();
                    let name = if last == "self" {
                        t.last().cloned().unwrap_or_default()
                    } else {
                        last.to_string()
                    };
                    if t.last() == Some(&name) {
                        aliases.insert(name, t.clone());
                    }
                }
                named.extend(target);
            }
        }
        let mut heads: Vec<String> = vec!["crate".into(), "super".into(), "self".into()];
        heads.extend(aliases.keys().cloned());
        for p in inline_paths(text, &heads) {
            named.extend(resolve(&p, here, &aliases, &modules));
        }
        for t in named {
            if t != *here && t.first().is_some_and(|f| f == "ui") {
                edges.entry(here.clone()).or_default().insert(t);
            }
        }
    }
    edges
}

/// A cycle of `edges`, if any (depth-first search).
fn find_cycle(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<Module>> {
    fn visit(
        v: &Module,
        edges: &BTreeMap<Module, BTreeSet<Module>>,
        state: &mut BTreeMap<Module, u8>,
        stack: &mut Vec<Module>,
    ) -> Option<Vec<Module>> {
        state.insert(v.clone(), 1);
        stack.push(v.clone());
        for w in edges.get(v).into_iter().flatten() {
            match state.get(w).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|x| x == w).unwrap_or(0);
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(w.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(w, edges, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(v.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for v in edges.keys() {
        if state.get(v).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(v, edges, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

fn show(m: &[String]) -> String {
    m.join("::")
}

#[test]
fn ui_modules_import_each_other_without_cycles() {
    let edges = graph();
    if let Some(cycle) = find_cycle(&edges) {
        let names: Vec<String> = cycle.iter().map(|m| show(m)).collect();
        panic!(
            "UI modules import each other in a circle: {}\n(move the shared item down a layer; \
             see ARCHITECTURE.md, \"UI layers\")",
            names.join(" → ")
        );
    }
}

#[test]
fn the_graph_sees_the_imports_it_checks() {
    // The parser must find the edges that exist, or the test above would pass vacuously.
    let edges = graph();
    let has = |a: &str, b: &str| {
        edges
            .iter()
            .any(|(k, v)| show(k) == a && v.iter().any(|t| show(t) == b))
    };
    assert!(has("ui::page", "ui::state"), "a `use super::state::…` line");
    assert!(
        has("ui::picture::messages", "ui::picture::layout"),
        "a `use super::…` line"
    );
    assert!(
        has("ui::panels::plot", "ui::format"),
        "a `use crate::ui::…` line"
    );
    assert!(edges.len() > 20, "most UI modules import another");
}

#[test]
fn a_cycle_is_found() {
    let m = |s: &str| s.split("::").map(str::to_string).collect::<Module>();
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    edges.entry(m("ui::a")).or_default().insert(m("ui::b"));
    edges.entry(m("ui::b")).or_default().insert(m("ui::c"));
    assert!(find_cycle(&edges).is_none());
    edges.entry(m("ui::c")).or_default().insert(m("ui::a"));
    let cycle = find_cycle(&edges).expect("a → b → c → a");
    assert_eq!(cycle.first(), cycle.last());
    assert_eq!(cycle.len(), 4);
}

#[test]
fn use_trees_and_aliases_resolve() {
    assert_eq!(
        expand("super::{a,b::{c,self}}"),
        vec!["super::a", "super::b::c", "super::b::self"]
    );
    let modules: BTreeSet<Module> = [vec!["ui".to_string(), "tutorial".into(), "link".into()]]
        .into_iter()
        .collect();
    let here = vec!["ui".to_string(), "state".into()];
    let mut aliases = BTreeMap::new();
    aliases.insert(
        "tutorial".to_string(),
        vec!["ui".to_string(), "tutorial".into()],
    );
    assert_eq!(
        resolve("tutorial::link::parse", &here, &aliases, &modules),
        modules.iter().next().cloned()
    );
}
