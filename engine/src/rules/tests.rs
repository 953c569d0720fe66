//! `workflows/RULES.md`: the rule → code table of the shipped definitions, with each check's source line and a
//! test that names its reason code. This test writes it (`UPDATE_RULES=1`) and fails when the committed file is
//! out of date, when a reason code is raised in code without a row, or when a registered check is unused.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use regex::Regex;

use super::{markdown, table, Kind, Located, Rule, ENGINE};
use crate::bind::load_dir;
use crate::procedure::gates;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every Rust file under `dir`, with its path relative to the workspace root and its text.
fn sources(dir: &str) -> Vec<(String, String)> {
    let base = root();
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(base.join(dir))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let rel = e.path().strip_prefix(&base).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).unwrap_or_default())
        })
        .collect();
    out.sort();
    out
}

/// A file of tests: `tests.rs`, anything under a `tests/` folder, or the integration suite.
fn is_test_file(path: &str) -> bool {
    path.starts_with("tests/") || path.ends_with("/tests.rs") || path.contains("/tests/")
}

/// The text before a file's `#[cfg(test)]` module, where one is inline.
fn non_test_part(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests {").map_or(text, |i| &text[..i])
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte].matches('\n').count() + 1
}

/// Where each reason code is raised in the engine's own code (not a test), by its literal.
fn raised_in_code() -> BTreeMap<String, Vec<String>> {
    let pattern =
        Regex::new(r#"(?:Reason::new\(\s*|reason_code: |gate_reason\(|=> \()"([a-z][a-z0-9]*(?:_[a-z0-9]+)+)""#)
            .unwrap();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, text) in sources("engine/src").into_iter().filter(|(p, _)| !is_test_file(p)) {
        let code = non_test_part(&text);
        for c in pattern.captures_iter(code) {
            let m = c.get(1).unwrap();
            out.entry(m.as_str().to_string()).or_default().push(format!("{path}:{}", line_of(code, m.start())));
        }
    }
    out
}

/// The line of each check function (`fn name(` under `engine/src/procedure/`).
fn check_lines() -> BTreeMap<String, String> {
    let pattern = Regex::new(r"fn ([a-z_0-9]+)\(c: &GateCtx").unwrap();
    let mut out = BTreeMap::new();
    for (path, text) in sources("engine/src/procedure") {
        for c in pattern.captures_iter(&text) {
            let m = c.get(1).unwrap();
            out.insert(m.as_str().to_string(), format!("{path}:{}", line_of(&text, m.start())));
        }
    }
    out
}

/// For each quoted reason code in a test, the first test function naming it (`path::fn`).
fn tests_naming(codes: &BTreeSet<String>) -> BTreeMap<String, String> {
    let quoted = Regex::new(r#""([a-z][a-z0-9]*(?:_[a-z0-9]+)+)""#).unwrap();
    let test_fn = Regex::new(r"fn ([a-z_0-9]+)\s*\(").unwrap();
    let mut out = BTreeMap::new();
    let files = ["engine/src", "tests", "api/src"].into_iter().flat_map(sources).filter(|(p, _)| is_test_file(p));
    for (path, text) in files {
        for c in quoted.captures_iter(&text) {
            let m = c.get(1).unwrap();
            if !codes.contains(m.as_str()) || out.contains_key(m.as_str()) {
                continue;
            }
            let before = &text[..m.start()];
            if let Some(f) = test_fn.captures_iter(before).last() {
                out.insert(m.as_str().to_string(), format!("`{path}` {}", &f[1]));
            }
        }
    }
    out
}

fn shipped() -> Vec<Rule> {
    let workflows = load_dir(&root().join("workflows")).expect("the shipped definitions load");
    table(&workflows)
}

fn document(rules: &[Rule]) -> String {
    let codes: BTreeSet<String> = rules.iter().map(|r| r.reason_code.clone()).collect();
    let checks = check_lines();
    let raised = raised_in_code();
    let tests = tests_naming(&codes);
    let locate = |r: &Rule| Located {
        source: match &r.check {
            Some(c) => checks.get(c).cloned().unwrap_or_else(|| "—".into()),
            None => raised.get(&r.reason_code).map_or("—".into(), |at| at.join(", ")),
        },
        test: tests.get(&r.reason_code).cloned().unwrap_or_else(|| "—".into()),
    };
    let untested = rules.iter().filter(|r| !tests.contains_key(&r.reason_code)).count();
    let mut by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    for r in rules {
        *by_kind.entry(r.kind).or_default() += 1;
    }
    let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{n} {}", k.as_str())).collect();
    format!(
        "# Rules → code\n\n\
         Every refusal juece can give for the shipped definitions (`workflows/`): the article it enforces, the \
         acts that carry it, how it is applied, the check that decides it and where that check is, and a test that \
         names the reason code. Generated by `engine/src/rules/tests.rs` (`UPDATE_RULES=1 cargo test -p \
         juece-engine rules` rewrites it; the test fails when it is out of date). `juece check --rules` prints the \
         same table, without the last two columns, for any definition.\n\n\
         Kinds: *statutory* — required of every act of its kind, a definition cannot drop it (`engine/src/definition/statutory.rs`); \
         *precondition* — statutory, checked before the act's handler runs; *gate* — attached by the definition; \
         *early* — reported when the act comes before its stage; *warning* — recorded, never refusing; \
         *engine* — raised by the engine outside any gate (`engine/src/rules.rs`, `ENGINE`).\n\n\
         {} reason codes: {}. {} have no test that names them.\n\n{}",
        rules.len(),
        kinds.join(", "),
        untested,
        markdown(rules, Some(&locate))
    )
}

#[test]
fn the_committed_rule_table_is_current() {
    let path = root().join("workflows/RULES.md");
    let fresh = document(&shipped());
    if std::env::var_os("UPDATE_RULES").is_some() {
        std::fs::write(&path, &fresh).expect("write RULES.md");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != fresh {
        let diff =
            similar::TextDiff::from_lines(&committed, &fresh).unified_diff().header("committed", "fresh").to_string();
        panic!("workflows/RULES.md is out of date; rewrite it with UPDATE_RULES=1 cargo test -p juece-engine rules\n{diff}");
    }
}

#[test]
fn every_reason_raised_in_code_has_a_row_and_every_row_is_raised() {
    let rules = shipped();
    let codes: BTreeSet<&str> = rules.iter().map(|r| r.reason_code.as_str()).collect();
    let raised = raised_in_code();
    let orphans: Vec<String> = raised
        .iter()
        .filter(|(code, _)| !codes.contains(code.as_str()))
        .map(|(code, at)| format!("{code} at {}", at.join(", ")))
        .collect();
    assert!(orphans.is_empty(), "reason codes raised in code with no gate and no ENGINE row: {orphans:#?}");
    let unraised: Vec<&str> = ENGINE.iter().map(|e| e.code).filter(|c| !raised.contains_key(*c)).collect();
    assert!(unraised.is_empty(), "ENGINE rows no code raises: {unraised:?}");
}

#[test]
fn every_registered_check_is_used_and_found_in_the_source() {
    let rules = shipped();
    let used: BTreeSet<&str> = rules.iter().filter_map(|r| r.check.as_deref()).collect();
    let lines = check_lines();
    let unused: Vec<&str> = gates::names().filter(|n| !used.contains(n)).collect();
    assert!(unused.is_empty(), "checks registered in procedure/gates.rs that no shipped gate runs: {unused:?}");
    let unlocated: Vec<&str> = gates::names().filter(|n| !lines.contains_key(*n)).collect();
    assert!(unlocated.is_empty(), "checks whose `fn name(c: &GateCtx` was not found: {unlocated:?}");
}

#[test]
fn a_precondition_is_statutory_for_the_handlers_that_rely_on_it() {
    // Each precondition the table lists is also in `statutory::GATES`: a definition cannot drop what a
    // handler relies on.
    for r in shipped().iter().filter(|r| r.kind == Kind::Precondition) {
        assert!(
            crate::definition::statutory::GATES.iter().any(|s| s.reason_code == r.reason_code),
            "{} is a precondition but not statutory",
            r.reason_code
        );
    }
}
