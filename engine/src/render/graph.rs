//! A workflow graph as DOT, Mermaid or SVG. SVG is laid out and drawn in
//! Rust by `layout-rs`, so no Graphviz is needed.

use crate::definition::Workflow;

fn label(w: &Workflow, stage: &str) -> String {
    w.stage(stage).map(|s| format!("{}\\n{}", s.title_zh, s.key)).unwrap_or_else(|| stage.to_string())
}

fn edge_label(act: &str, skips: &[crate::definition::StageKind]) -> String {
    if skips.is_empty() {
        act.to_string()
    } else {
        let s: Vec<&str> = skips.iter().map(|k| k.as_str()).collect();
        format!("{act} [needs: {} n/a]", s.join(","))
    }
}

pub fn dot(w: &Workflow) -> String {
    let mut out = format!("digraph \"{}\" {{\n  rankdir=TB;\n  node [shape=box];\n", w.key);
    for s in w.stages.values() {
        let shape = if s.terminal {
            ", shape=doubleoctagon"
        } else if s.kind.is_conditional() {
            ", style=dashed"
        } else {
            ""
        };
        out.push_str(&format!("  \"{}\" [label=\"{}\"{shape}];\n", s.key, label(w, &s.key)));
    }
    for (from, to, e) in w.graph.edges() {
        out.push_str(&format!("  \"{from}\" -> \"{to}\" [label=\"{}\"];\n", edge_label(&e.act, &e.skips)));
    }
    out.push_str("}\n");
    out
}

pub fn mermaid(w: &Workflow) -> String {
    let mut out = String::from("flowchart TD\n");
    for s in w.stages.values() {
        out.push_str(&format!("  {}[\"{}<br/>{}\"]\n", s.key, s.title_zh, s.key));
    }
    for (from, to, e) in w.graph.edges() {
        out.push_str(&format!("  {from} -->|{}| {to}\n", edge_label(&e.act, &e.skips)));
    }
    out
}

pub fn svg(w: &Workflow) -> Result<String, String> {
    use layout::backends::svg::SVGWriter;
    use layout::gv::{DotParser, GraphBuilder};
    // layout-rs reads plain DOT; keep labels ASCII-safe for its parser.
    let mut simple = String::from("digraph G {\n");
    for s in w.stages.values() {
        simple.push_str(&format!("  {} [label=\"{}\"];\n", s.key, s.key));
    }
    for (from, to, e) in w.graph.edges() {
        simple.push_str(&format!("  {from} -> {to} [label=\"{}\"];\n", e.act));
    }
    simple.push_str("}\n");
    let graph = DotParser::new(&simple).process()?;
    let mut builder = GraphBuilder::new();
    builder.visit_graph(&graph);
    let mut vg = builder.get();
    let mut svg = SVGWriter::new();
    vg.do_it(false, false, false, &mut svg);
    Ok(svg.finalize())
}
