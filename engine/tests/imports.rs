//! The engine's modules import each other in one direction only: no two
//! top-level modules of `engine/src` reach each other through `crate::` paths,
//! directly or around a loop. A loop means neither side can be read, tested or
//! moved without the other; the layering (definition → bind → acts and gates →
//! machine → store → orchestrator) is what lets a newcomer read from the
//! bottom up.
//!
//! Read from the source, as a newcomer would: every `crate::module` path in
//! code that ships (test modules and comments are left out, since they may
//! reach anywhere).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use petgraph::algo::tarjan_scc;
use petgraph::graphmap::DiGraphMap;

/// The top-level module a source file belongs to: `acts/mod.rs` and `acts.rs` are both `acts`.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let first = file.strip_prefix(src).ok()?.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib").then(|| name.to_string())
}

/// The code of a file that ships: before its first `#[cfg(test)]`, without comment lines.
fn shipped_code(text: &str) -> String {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    code.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// Every top-level module `code` names through `crate::` (single paths and `use crate::{a, b::c}` groups).
fn named_modules(code: &str) -> BTreeSet<String> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(group.split(',').map(|item| ident(item.trim())).filter(|m| !m.is_empty()));
        } else {
            out.insert(ident(rest));
        }
    }
    out.retain(|m| !m.is_empty() && m != "self");
    out
}

/// Each set of modules that import each other around a loop, with the imports inside it.
fn loops(imports: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut graph = DiGraphMap::<&str, ()>::new();
    for (from, tos) in imports {
        graph.add_node(from.as_str());
        for to in tos.iter().filter(|t| imports.contains_key(*t)) {
            graph.add_edge(from.as_str(), to.as_str(), ());
        }
    }
    tarjan_scc(&graph)
        .into_iter()
        .filter(|scc| scc.len() > 1)
        .map(|scc| {
            let members: BTreeSet<&str> = scc.iter().copied().collect();
            let edges: Vec<String> = members
                .iter()
                .flat_map(|m| {
                    let inside = graph.neighbors(m).filter(|n| members.contains(n)).collect::<Vec<_>>();
                    inside.into_iter().map(move |n| format!("{m} → {n}"))
                })
                .collect();
            format!("{{{}}}: {}", members.into_iter().collect::<Vec<_>>().join(", "), edges.join("; "))
        })
        .collect()
}

#[test]
fn no_two_engine_modules_import_each_other_around_a_loop() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
        let path = entry.path();
        let in_tests = path.components().any(|c| c.as_os_str() == "tests") || path.ends_with("tests.rs");
        if path.extension().is_none_or(|e| e != "rs") || in_tests {
            continue;
        }
        let Some(module) = module_of(&src, path) else { continue };
        let text = std::fs::read_to_string(path).expect("a source file");
        let named = named_modules(&shipped_code(&text));
        imports.entry(module.clone()).or_default().extend(named.into_iter().filter(|m| *m != module));
    }
    assert!(imports.len() > 30, "the engine's modules were found: {:?}", imports.keys());

    let loops = loops(&imports);
    assert!(loops.is_empty(), "engine modules importing each other around a loop:\n{}", loops.join("\n"));
}

#[test]
fn the_reader_and_the_loop_finder_find_what_is_there() {
    // On made-up files and modules, so the test above cannot pass by finding nothing.
    let code = "use crate::{store::Store, memo};\n// crate::comment\nfn f() { crate::audit::x(); }";
    assert_eq!(named_modules(&shipped_code(code)).into_iter().collect::<Vec<_>>(), ["audit", "memo", "store"]);
    let only_tests = "use crate::store;\n#[cfg(test)]\nmod tests { use crate::orchestrator; }";
    assert_eq!(named_modules(&shipped_code(only_tests)).into_iter().collect::<Vec<_>>(), ["store"]);
    let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>();
    let mut imports = BTreeMap::new();
    imports.insert("memo".to_string(), set(&["store", "audit"]));
    imports.insert("store".to_string(), set(&["audit"]));
    imports.insert("audit".to_string(), set(&[]));
    assert!(loops(&imports).is_empty(), "a chain is not a loop");
    imports.insert("audit".to_string(), set(&["memo"]));
    assert_eq!(loops(&imports), ["{audit, memo, store}: audit → memo; memo → audit; memo → store; store → audit"]);
}

#[test]
fn the_crate_documentation_places_every_module_in_its_layout() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).expect("lib.rs");
    let layout = lib.split("//! # Layout").nth(1).and_then(|l| l.split("\n\n").next()).expect("a # Layout section");
    let unplaced: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod ").or_else(|| l.strip_prefix("pub(crate) mod "))?.strip_suffix(';'))
        .filter(|m| !layout.contains(&format!("`{m}`")))
        .collect();
    assert!(unplaced.is_empty(), "modules the # Layout of lib.rs does not name: {unplaced:?}");
}
