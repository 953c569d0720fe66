//! The `juece` commands' exit codes, called as the binary calls them.

use clap::Parser;
use juece_api::cli::{run, Cli};
use juece_tests::{sqlite_url, workflows};

async fn juece(args: &[&str]) -> u8 {
    let mut argv = vec!["juece", "--workflows"];
    let w = workflows();
    argv.push(w.to_str().unwrap());
    argv.extend_from_slice(args);
    run(Cli::try_parse_from(argv).expect("arguments parse")).await.expect("command runs")
}

#[tokio::test]
async fn check_graph_calendar_and_verify() {
    assert_eq!(juece(&["check"]).await, 0);
    let national = workflows().join("national/workflow.toml");
    assert_eq!(juece(&["check", national.to_str().unwrap()]).await, 0);
    for format in ["dot", "svg", "mermaid"] {
        assert_eq!(juece(&["graph", national.to_str().unwrap(), "--format", format]).await, 0);
    }
    assert_eq!(juece(&["calendar", "working-days", "2025-09-26", "7", "--explain"]).await, 0);
    let (_dir, url) = sqlite_url();
    assert_eq!(juece(&["--database-url", &url, "migrate"]).await, 0);
    assert_eq!(juece(&["--database-url", &url, "demo"]).await, 0);
    assert_eq!(juece(&["--database-url", &url, "audit", "verify"]).await, 0);
    let store = juece_engine::store::SqliteStore::connect(&url).await.unwrap();
    store.execute_raw("drop trigger audit_records_no_update").await.unwrap();
    store.execute_raw("update audit_records set at = replace(at, '2026', '2025') where seq = 7").await.unwrap();
    assert_eq!(juece(&["--database-url", &url, "audit", "verify"]).await, 1);
}

#[test]
fn svg_is_drawn_without_graphviz() {
    let w = juece_engine::definition::load_path(&workflows().join("national/workflow.toml"), &workflows()).unwrap();
    let svg = juece_engine::render::graph::svg(&w).unwrap();
    assert!(svg.contains("<svg") && svg.contains("legality_review"));
    let dot = juece_engine::render::graph::dot(&w);
    assert!(dot.contains("\"risk_assessment\" -> \"legality_review\""));
}
