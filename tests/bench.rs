//! `juece-bench` in its short mode on each store, so that the W8 line cannot rot: the lines it prints parse, in
//! the order and number the flags ask for, and every act it drove is in the record (N decisions of eight records
//! each per concurrency). Timing is never asserted: the numbers are the command's to print, not the suite's to
//! judge.

use std::collections::HashMap;

use clap::Parser;
use juece_tests::{on_each_database, workflows};

const N: u64 = 20;

/// A line's leading word and its `key=value` fields.
fn parse(line: &str) -> (&str, HashMap<&str, &str>) {
    let mut words = line.split(' ');
    let head = words.next().unwrap_or_default();
    let fields = words.map(|w| w.split_once('=').unwrap_or_else(|| panic!("`{w}` is not key=value in: {line}")));
    (head, fields.collect())
}

/// The fields every line of `head` must carry, each a number unless it is `store`.
fn check(line: &str, head: &str, store: &str, keys: &[&str]) -> HashMap<String, f64> {
    let (word, fields) = parse(line);
    assert_eq!(word, head, "{line}");
    assert_eq!(fields.get("store").copied(), Some(store), "{line}");
    keys.iter()
        .map(|k| {
            let v = fields.get(k).unwrap_or_else(|| panic!("no {k} in: {line}"));
            (k.to_string(), v.parse::<f64>().unwrap_or_else(|_| panic!("{k}={v} is not a number in: {line}")))
        })
        .collect()
}

/// `juece-bench` on the database at `url` with `flags` (and the repository's workflows): its store's name and what
/// it printed.
async fn bench(url: &str, flags: &[&str]) -> (&'static str, String) {
    let store = if url.starts_with("sqlite") { "sqlite" } else { "postgres" };
    let w = workflows();
    let argv = ["juece-bench", "--store", store, "--database-url", url, "--workflows", w.to_str().expect("UTF-8")];
    let args = juece_bench::Args::try_parse_from(argv.iter().chain(flags)).expect("the flags parse");
    let mut out = Vec::new();
    juece_bench::run(&args, &mut out).await.expect("the benchmark runs");
    (store, String::from_utf8(out).expect("UTF-8"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn short_mode_prints_its_lines_and_stores_every_act() {
    on_each_database(|url| async move {
        let (store, text) = bench(&url, &["--n", "20", "-c", "1,4", "--open", "50,70", "--probes", "3"]).await;
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 6, "two W8, two OPEN, one READS, one BENCH line:\n{text}");
        for (line, c) in lines[..2].iter().zip([1.0, 4.0]) {
            let w8 = ["c", "engine_tps", "baseline_tps", "ratio", "p50_ms", "p99_ms", "sqlx_baseline_tps"];
            assert_eq!(check(line, "W8", store, &w8)["c"], c, "{line}");
        }
        for (line, open) in lines[2..4].iter().zip([50.0, 70.0]) {
            assert_eq!(check(line, "OPEN", store, &["open", "p50_ms", "p99_ms"])["open"], open, "{line}");
        }
        let reads = [
            "open",
            "view_p95_ms",
            "record_p95_ms",
            "memos_p95_ms",
            "tasks_p95_ms",
            "reviewer_tasks_p95_ms",
            "tasks_partial",
            "other_unit_tasks_p95_ms",
        ];
        let read = check(lines[4], "READS", store, &reads);
        assert_eq!(read["tasks_partial"], 0.0, "a few hundred decisions are all examined: {}", lines[4]);
        let (head, fields) = parse(lines[5]);
        assert_eq!(head, "BENCH");
        assert!(fields["peak_rss_mb"].parse::<f64>().expect("a number") > 0.0, "{}", lines[5]);

        let stored = juece_engine::store::connect(&url).await.expect("the database opens");
        let versions = stored.versions().await.expect("decisions");
        let driven: Vec<&String> = versions.iter().map(|(id, _)| id).filter(|id| id.starts_with("w8-")).collect();
        assert_eq!(driven.len() as u64, 2 * N, "N decisions per concurrency");
        for id in driven {
            assert_eq!(stored.audit_records(id).await.expect("its record").len(), 8, "eight acts recorded on {id}");
        }
        assert!(versions.len() >= 70, "the open decisions were seeded: {}", versions.len());
    })
    .await;
}

/// `--replicas 2`: two engines on one database take each decision's acts in turn, as replicas behind a load
/// balancer that does not route by record. Every act is stored once, and every record a replica took as it last
/// committed it had moved on (the other replica acted since): the W8 line says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replicas_taking_acts_in_turn_find_every_kept_record_stale() {
    on_each_database(|url| async move {
        let (store, text) = bench(&url, &["--n", "10", "-c", "2", "--replicas", "2"]).await;
        let line = text.lines().next().expect("a W8 line");
        let w8 = check(line, "W8", store, &["c", "engine_tps", "replicas", "kept_taken", "kept_stale"]);
        assert_eq!(w8["replicas"], 2.0, "{line}");
        assert!(w8["kept_taken"] > 0.0, "a replica's next act on a decision takes its kept record: {line}");
        assert_eq!(w8["kept_stale"], w8["kept_taken"], "each had moved on: {line}");

        let stored = juece_engine::store::connect(&url).await.expect("the database opens");
        let versions = stored.versions().await.expect("decisions");
        let driven: Vec<&String> = versions.iter().map(|(id, _)| id).filter(|id| id.starts_with("w8-")).collect();
        assert_eq!(driven.len(), 10, "N decisions");
        for id in driven {
            assert_eq!(stored.audit_records(id).await.expect("its record").len(), 8, "eight acts recorded on {id}");
        }
    })
    .await;
}
