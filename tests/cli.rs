//! The `juece` commands' exit codes, called as the binary calls them.

use clap::Parser;
use juece_api::cli::{run, Cli, Command};
use juece_tests::{repo_root, sqlite_url, workflows};

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
    assert_eq!(juece(&["check", "--rules"]).await, 0);
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

/// The server key and the anchor log beside the database by default: `demo` seals, `audit anchor` anchors, a
/// tail cut back (version lowered with it) fails `audit verify`; a dossier exported signed verifies.
#[tokio::test]
async fn anchors_and_signed_dossiers_through_the_commands() {
    let (dir, url) = sqlite_url();
    assert_eq!(juece(&["--database-url", &url, "demo"]).await, 0);
    assert!(dir.path().join("juece-anchor.key").exists() && dir.path().join("juece-anchor.key.pub").exists());
    assert_eq!(juece(&["--database-url", &url, "audit", "anchor"]).await, 0);
    let log = std::fs::read_to_string(dir.path().join("juece-anchors.jsonl")).expect("anchor log");
    assert_eq!(log.lines().count(), 1);
    assert_eq!(juece(&["--database-url", &url, "audit", "verify"]).await, 0);
    // The annual report prints the anchor: the record's global head, signed.
    let anchoring = juece_api::setup::Anchoring::resolve(&url, None, None);
    let note = juece_api::documents::anchor_note(&anchoring).expect("note").expect("an anchor");
    let first: serde_json::Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert!(note.contains(first["global"].as_str().unwrap()) && note.contains(first["signature"].as_str().unwrap()));
    assert_eq!(
        juece(&["--database-url", &url, "report", "annual", "--organ", "示范市人民政府", "--year", "2026"]).await,
        0
    );

    let store = juece_engine::store::SqliteStore::connect(&url).await.unwrap();
    let id = juece_engine::store::Store::versions(&store).await.unwrap()[0].0.clone();
    let out = dir.path().join("dossier");
    assert_eq!(juece(&["--database-url", &url, "dossier", "export", &id, "--out", out.to_str().unwrap()]).await, 0);
    assert!(out.join("anchor.json").exists());
    assert_eq!(juece(&["--database-url", &url, "dossier", "verify", out.to_str().unwrap()]).await, 0);
    let other = juece_engine::anchor::ServerKey::generate().public().to_hex();
    let verify_other = ["dossier", "verify", out.to_str().unwrap(), "--public-key", &other];
    assert_eq!(juece(&[&["--database-url", &url][..], &verify_other[..]].concat()).await, 1);

    // The demo's consultation: its comments are in its dossier, and a comment edited in the database before the
    // export is caught offline, though the manifest is signed (the chain no longer reaches the recorded head).
    let mut with_comments = String::new();
    for (id, _) in juece_engine::store::Store::versions(&store).await.unwrap() {
        if !juece_engine::store::opinions::OpinionStore::opinion_heads(&store, &id).await.unwrap().is_empty() {
            with_comments = id;
        }
    }
    let with_comments = with_comments.as_str();
    let demo = dir.path().join("consultation");
    let exported = ["--database-url", &url, "dossier", "export", with_comments, "--out", demo.to_str().unwrap()];
    assert_eq!(juece(&exported).await, 0);
    let comments =
        std::fs::read_to_string(demo.join("opinions/comment.jsonl")).expect("the comments are in the dossier");
    assert_eq!(comments.lines().count(), 2, "{comments}");
    assert!(!comments.contains("市民甲"), "the archive keeps the sender's hash, not the name: {comments}");
    assert_eq!(juece(&["--database-url", &url, "dossier", "verify", demo.to_str().unwrap()]).await, 0);
    store.execute_raw("drop trigger opinions_received_fixed").await.unwrap();
    store.execute_raw("update opinions set content = content || '（改）' where seq = 1").await.unwrap();
    let edited = dir.path().join("edited");
    let exported = ["--database-url", &url, "dossier", "export", with_comments, "--out", edited.to_str().unwrap()];
    assert_eq!(juece(&exported).await, 0);
    assert_eq!(juece(&["--database-url", &url, "dossier", "verify", edited.to_str().unwrap()]).await, 1);
    assert_eq!(juece(&["--database-url", &url, "audit", "verify"]).await, 1, "and audit verify catches it too");
    store.execute_raw("update opinions set content = replace(content, '（改）', '') where seq = 1").await.unwrap();

    store.execute_raw("drop trigger audit_records_no_delete").await.unwrap();
    store.execute_raw("delete from audit_records where seq = (select max(seq) from audit_records)").await.unwrap();
    store.execute_raw("update decisions set version = version - 1").await.unwrap();
    assert_eq!(juece(&["--database-url", &url, "audit", "verify"]).await, 1);
}

#[test]
fn svg_is_drawn_without_graphviz() {
    let w = juece_engine::bind::load_path(&workflows().join("national/workflow.toml"), &workflows()).unwrap();
    let svg = juece_engine::render::graph::svg(&w).unwrap();
    assert!(svg.contains("<svg") && svg.contains("legality_review"));
    let dot = juece_engine::render::graph::dot(&w);
    assert!(dot.contains("\"risk_assessment\" -> \"legality_review\""));
}

/// `juece calendar …` with `args`, its output lines as a string.
async fn calendar_lines(url: &str, args: &[&str]) -> String {
    let mut argv = vec!["juece", "calendar"];
    argv.extend_from_slice(args);
    let Command::Calendar { command } = Cli::try_parse_from(argv).expect("arguments parse").command else {
        unreachable!("a calendar command")
    };
    let mut out = Vec::new();
    let code = juece_api::cli::calendar::run(url, &workflows(), command, &mut out).await.expect("command runs");
    assert_eq!(code, 0);
    String::from_utf8(out).expect("UTF-8")
}

/// The date commands answer as the servers compute: once an administrator loaded the 2027 notice into the database,
/// `working-days`, `period` and `show` count on it, and nothing says provisional any more.
#[tokio::test]
async fn calendar_commands_read_the_notices_stored_in_the_database() {
    let (dir, url) = sqlite_url();
    // Checking a date never creates a database.
    let before = calendar_lines(&url, &["working-days", "2027-09-30", "3"]).await;
    assert_eq!(before.lines().next(), Some("2027-10-06 (PROVISIONAL: rests on a calendar with no official notice)"));
    assert!(!dir.path().join("juece.db").exists(), "a date check made a database");

    let fixture = repo_root().join("tests/fixtures/calendar-notice-2027.toml");
    let load = ["--database-url", &url, "calendar", "load", fixture.to_str().unwrap(), "--by", "admin"];
    assert_eq!(juece(&load).await, 0);

    // 1–7 October rest, 9 October a make-up working day: three working days after 30 September end on the 11th.
    let after = calendar_lines(&url, &["working-days", "2027-09-30", "3", "--explain"]).await;
    assert_eq!(after.lines().next(), Some("2027-10-11"), "{after}");
    assert!(after.contains("2027-10-09 counted"), "{after}");
    // 30 days from 5 September end on Tuesday 5 October, a rest day now: the period runs to Friday 8 October.
    assert_eq!(calendar_lines(&url, &["period", "2027-09-05", "30"]).await, "2027-10-08\n");
    let show = calendar_lines(&url, &["show", "2027"]).await;
    assert!(show.starts_with("2027 Official"), "{show}");
    assert!(show.contains("2027-09-26 make-up") && show.contains("2027-10-07 rest"), "{show}");
}

/// The public rate limit is the server's default unless the operator sets it; a limit of zero is refused.
#[test]
fn serve_takes_the_public_rate_limit_from_the_operator() {
    let parse = |args: &[&str]| Cli::try_parse_from([&["juece", "serve"][..], args].concat()).map(|c| c.command);
    let defaults = juece_api::server::ServerConfig::default();
    match parse(&[]).expect("parses") {
        Command::Serve { public_per_minute, public_burst, .. } => {
            assert_eq!((public_per_minute, public_burst), (defaults.public_per_minute, defaults.public_burst));
        }
        other => panic!("{other:?}"),
    }
    match parse(&["--public-per-minute", "6000", "--public-burst", "500"]).expect("parses") {
        Command::Serve { public_per_minute, public_burst, .. } => {
            assert_eq!((public_per_minute, public_burst), (6000, 500))
        }
        other => panic!("{other:?}"),
    }
    assert!(parse(&["--public-per-minute", "0"]).is_err(), "a zero limit would shut the public out");
}

/// Item 15: `juece check` refuses a definition that deleted a statutory gate, as it refuses a broken graph.
#[tokio::test]
async fn check_fails_on_a_definition_without_a_statutory_gate() {
    fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                copy_dir(&p, &to.join(e.file_name()));
            } else {
                std::fs::copy(&p, to.join(e.file_name())).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&workflows().join("national"), &dir.path().join("national"));
    let file = dir.path().join("national/workflow.toml");
    let workflows_dir = dir.path().to_str().unwrap().to_string();
    let juece_in = |args: Vec<String>| {
        let mut argv = vec!["juece".to_string(), "--workflows".to_string(), workflows_dir.clone()];
        argv.extend(args);
        Cli::try_parse_from(argv).expect("arguments parse")
    };
    let check = vec!["check".to_string(), file.to_str().unwrap().to_string()];
    assert_eq!(run(juece_in(check.clone())).await.expect("runs"), 0, "the copy proves as it is");
    let text = std::fs::read_to_string(&file).unwrap();
    let without = text.replacen("\"art26_legal_basis\", \"art26_min_7_working_days\"]", "\"art26_legal_basis\"]", 1);
    assert_ne!(without, text, "the gate list was found");
    std::fs::write(&file, without).unwrap();
    assert_eq!(run(juece_in(check)).await.expect("runs"), 1);
    let errs = juece_engine::bind::load_path(&file, dir.path()).expect_err("refused");
    assert!(errs.iter().any(|e| e.to_string().contains("`art26_min_7_working_days` (Art. 26(2))")), "{errs:?}");
}

/// `juece user move | deactivate | reactivate`: the operator's day-one commands change the stored user and never
/// delete one.
#[tokio::test]
async fn user_commands_move_deactivate_and_reactivate() {
    let (_dir, url) = sqlite_url();
    assert_eq!(juece(&["--database-url", &url, "migrate"]).await, 0);
    let units = ["--database-url", url.as_str(), "unit"];
    for unit in ["示范市生态环境局", "示范市交通运输局"] {
        assert_eq!(juece(&[&units[..], &["add", unit]].concat()).await, 0);
    }
    let store = juece_api::setup::open_store(&url).await.expect("store");
    let auth = juece_engine::auth::Auth::new(store.clone());
    let new = juece_engine::auth::NewUser {
        name: "li".into(),
        display_name: Some("李明".into()),
        unit: "示范市生态环境局".into(),
        position: "科员".into(),
        roles: vec![juece_engine::actor::Role::Drafter],
    };
    let now = chrono::Utc::now();
    auth.add_user(new, "a long enough secret", now).await.expect("user");
    auth.create_token("li", "cli", now).await.expect("token");

    let db = ["--database-url", url.as_str(), "user"];
    let mv = [&db[..], &["move", "li", "--unit", "示范市交通运输局", "--position", "副科长"]].concat();
    assert_eq!(juece(&mv).await, 0);
    let li = auth.user("li").await.expect("read").expect("kept");
    assert_eq!(
        (li.unit.as_str(), li.position.as_str(), li.display_name.as_str()),
        ("示范市交通运输局", "副科长", "李明")
    );

    assert_eq!(juece(&[&db[..], &["deactivate", "li"]].concat()).await, 0);
    let li = auth.user("li").await.expect("read").expect("kept, not deleted");
    assert!(li.deactivated_at.is_some());
    assert!(auth.tokens("li").await.expect("tokens").iter().all(|t| t.revoked_at.is_some()));
    assert!(auth.login("li", "a long enough secret", now).await.is_err(), "a deactivated user signed in");

    assert_eq!(juece(&[&db[..], &["reactivate", "li"]].concat()).await, 0);
    assert!(auth.login("li", "a long enough secret", now).await.is_ok(), "a reactivated user cannot sign in");
    assert_eq!(juece(&[&db[..], &["list"]].concat()).await, 0);
    // An unknown user is an error, not a silent success.
    let unknown = [&db[..], &["deactivate", "nobody"]].concat();
    let parsed = Cli::try_parse_from([&["juece"][..], &unknown].concat()).expect("parses");
    assert!(run(parsed).await.is_err(), "deactivating nobody succeeded");
    // Nor is a move to a unit the directory does not hold: the error names the close ones, and nothing changes.
    let nowhere = [&db[..], &["move", "li", "--unit", "示范市交通局"]].concat();
    let parsed = Cli::try_parse_from([&["juece"][..], &nowhere].concat()).expect("parses");
    let err = run(parsed).await.expect_err("moved to an unknown unit").to_string();
    assert!(err.contains("unit_unknown") && err.contains("示范市交通运输局"), "{err}");
    assert_eq!(auth.user("li").await.expect("read").map(|u| u.unit), Some("示范市交通运输局".to_string()));
}

/// `juece unit add | list | move | rename`: the directory from the command line. A memo template's organ takes
/// its 机关代字; a sub-unit sits under its 局; a renamed unit keeps its users, who take the new name.
#[tokio::test]
async fn unit_commands_add_list_move_and_rename() {
    let (_dir, url) = sqlite_url();
    let unit = |args: &[&str]| {
        [&["--database-url", url.as_str(), "unit"][..], args].concat().iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run_unit = |args: Vec<String>| async move {
        let argv = [vec!["juece".to_string(), "--workflows".into(), workflows().display().to_string()], args].concat();
        run(Cli::try_parse_from(argv).expect("parses")).await
    };
    run_unit(unit(&["add", "示范市人民政府"])).await.expect("government");
    run_unit(unit(&["add", "示范市生态环境局", "--code", "示环", "--parent", "示范市人民政府"])).await.expect("bureau");
    run_unit(unit(&["add", "法规科"])).await.expect("section");
    run_unit(unit(&["move", "法规科", "--parent", "示范市生态环境局"])).await.expect("moved");
    let wrong = run_unit(unit(&["add", "示范市司法局", "--code", "示法"])).await.expect_err("the manifest says 示司");
    assert!(wrong.to_string().contains("unit_code_disagrees"), "{wrong}");
    let store = juece_api::setup::open_store(&url).await.expect("store");
    let units = juece_engine::units::Units::new(store.clone());
    let gov = units.named("示范市人民政府").await.expect("read").expect("added");
    assert_eq!(gov.code.as_deref(), Some("示政"), "the memo manifest's 机关代字");
    let bureau = units.named("示范市生态环境局").await.expect("read").expect("added");
    assert_eq!(bureau.parent_id.as_deref(), Some(gov.id.as_str()));
    let section = units.named("法规科").await.expect("read").expect("added");
    assert_eq!(section.parent_id.as_deref(), Some(bureau.id.as_str()));
    let cycle = run_unit(unit(&["move", "示范市生态环境局", "--parent", "法规科"])).await.expect_err("a cycle");
    assert!(cycle.to_string().contains("unit_parent_cycle"), "{cycle}");

    let auth = juece_engine::auth::Auth::new(store.clone());
    let new = juece_engine::auth::NewUser {
        name: "li".into(),
        display_name: None,
        unit: "示范市生态环境局".into(),
        position: "科员".into(),
        roles: vec![juece_engine::actor::Role::Drafter],
    };
    auth.add_user(new, "a long enough secret", chrono::Utc::now()).await.expect("user");
    run_unit(unit(&["rename", "示范市生态环境局", "示范市生态环境保护局"])).await.expect("renamed");
    let li = auth.user("li").await.expect("read").expect("kept");
    assert_eq!((li.unit.as_str(), li.unit_id.as_str()), ("示范市生态环境保护局", bureau.id.as_str()));
    run_unit(unit(&["list"])).await.expect("listed");
    run_unit(unit(&["move", "法规科", "--top"])).await.expect("on its own");
    assert_eq!(units.named("法规科").await.expect("read").and_then(|u| u.parent_id), None);
}

/// Every argument of every command and subcommand says what it is in `--help` (issue 16, item 11): a flag
/// without help text fails here, naming the command path and the flag.
#[test]
fn every_flag_of_every_command_has_help_text() {
    fn walk(cmd: &clap::Command, path: String, missing: &mut Vec<String>, commands: &mut Vec<String>) {
        commands.push(path.clone());
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} --{id}"));
            }
        }
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            if sub.get_about().is_none() {
                missing.push(format!("{path} {} (no about)", sub.get_name()));
            }
            walk(sub, format!("{path} {}", sub.get_name()), missing, commands);
        }
    }
    let (mut missing, mut commands) = (Vec::new(), Vec::new());
    walk(&<Cli as clap::CommandFactory>::command(), "juece".into(), &mut missing, &mut commands);
    assert!(commands.len() > 30, "{commands:?}");
    assert!(missing.is_empty(), "arguments without help text: {missing:#?}");

    // The README's command table names every command and subcommand, as typed.
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README");
    let absent: Vec<&String> = commands.iter().filter(|c| !readme.contains(c.as_str())).collect();
    assert!(absent.is_empty(), "commands missing from README.md: {absent:#?}");
}

/// `juece report annual` with an organ that neither the unit directory nor any decision names is an error listing
/// the organs that exist, not an all-zero report.
#[tokio::test]
async fn an_annual_report_for_an_unknown_organ_names_the_organs_that_exist() {
    let (_dir, url) = sqlite_url();
    let w = workflows();
    let args = ["juece", "--workflows", w.to_str().unwrap(), "--database-url", &url];
    let report = |organ: &str| {
        let mut argv = args.to_vec();
        argv.extend(["report", "annual", "--organ", organ, "--year", "2026"]);
        Cli::try_parse_from(argv).expect("arguments parse")
    };
    let err = run(report("示范市人民政苻")).await.expect_err("an unknown organ is an error");
    let text = format!("{err:#}");
    assert!(
        text.contains("示范市人民政苻") && text.contains("示范市人民政府") && text.contains("某市人民政府"),
        "{text}"
    );
    assert_eq!(run(report("示范市人民政府")).await.expect("a known organ reports"), 0);
}

/// Issue 16, item 12: started with a `--workflows` folder that is not there, `juece serve` says where it looked and
/// how to point elsewhere, and creates no database file (nor key) before it fails.
#[tokio::test]
async fn serve_with_a_wrong_workflows_folder_says_where_it_looked_and_creates_nothing() {
    let (dir, url) = sqlite_url();
    let missing = dir.path().join("not-here");
    let argv =
        ["juece", "--workflows", missing.to_str().unwrap(), "--database-url", &url, "serve", "--bind", "127.0.0.1:0"];
    let err = run(Cli::try_parse_from(argv).expect("arguments parse")).await.expect_err("a missing folder fails");
    let text = format!("{err:#}");
    for part in
        [missing.to_str().unwrap(), "national/workflow.toml", "--workflows", "JUECE_WORKFLOWS", "built into juece"]
    {
        assert!(text.contains(part), "{part:?} missing from: {text}");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "created before failing: {left:?}");
}

/// Without `--workflows`, juece runs on the definitions built into the binary, from any directory; a folder given
/// with `--workflows` overrides them: here a copy whose national procedure lost a statutory gate fails `check`,
/// while the built-in one proves.
#[tokio::test]
async fn the_built_in_workflows_are_the_default_and_a_folder_overrides_them() {
    let (dir, url) = sqlite_url();
    let built_in = |args: &[&str]| {
        let mut argv = vec!["juece", "--database-url", url.as_str()];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv).expect("arguments parse")
    };
    assert_eq!(run(built_in(&["check"])).await.expect("check runs"), 0);
    assert_eq!(run(built_in(&["migrate"])).await.expect("migrate runs"), 0);
    assert_eq!(run(built_in(&["calendar", "show", "2026"])).await.expect("the built-in calendars"), 0);

    // The override: the repository's folder, copied, with the legality review's gate taken out of the national
    // procedure.
    let copy = dir.path().join("workflows");
    copy_dir(&workflows(), &copy);
    let national = copy.join("national/workflow.toml");
    let text = std::fs::read_to_string(&national).unwrap();
    let bent = text.replacen("\"art26_min_7_working_days\",", "", 1).replacen(", \"art26_min_7_working_days\"", "", 1);
    assert_ne!(bent, text, "the gate is named in the national procedure");
    std::fs::write(&national, bent).unwrap();
    let argv = ["juece", "--workflows", copy.to_str().unwrap(), "--database-url", &url, "check"];
    assert_eq!(run(Cli::try_parse_from(argv).unwrap()).await.expect("check runs"), 1, "the folder given was not read");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
