//! The served OpenAPI document against tools that are not ours: `openapi-spec-validator` (what client generators
//! rely on: a parameter declared in the path must be in the path template) and `schemathesis`, which calls every
//! operation with generated requests, as a drafter and as an administrator, and fails on any server error or any
//! answer the document does not describe. Both come from the Python registry, pinned in
//! `tests/contract/requirements.txt`; `.ci/test` installs them and names them in `JUECE_OPENAPI_VALIDATOR` and
//! `JUECE_SCHEMATHESIS`. Without them the tests say so and pass, unless `JUECE_REQUIRE_CONTRACT_TOOLS` is set (CI).

use std::path::PathBuf;
use std::process::Command;

use serde_json::{json, Value};

use juece_tests::app::spawn_app;

/// The tool named by `var`, or `None` (and why) when it is not installed here. A relative path is read from the
/// workspace root, where `.ci/test` runs, not from this package's folder, where the tests run.
fn tool(var: &str) -> Option<PathBuf> {
    tool_or(var, None)
}

/// [`tool`], falling back to `default` (relative to the workspace root) when `var` is unset.
fn tool_or(var: &str, default: Option<&str>) -> Option<PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let named = std::env::var_os(var).or_else(|| default.map(Into::into)).map(|p| root.join(p));
    match named.clone().filter(|p| p.exists()) {
        Some(p) => Some(p),
        None if std::env::var_os("JUECE_REQUIRE_CONTRACT_TOOLS").is_some() => panic!(
            "{var} names no installed tool ({}); .ci/test installs tests/contract/requirements.txt",
            named.map_or("unset".to_string(), |p| p.display().to_string())
        ),
        None => {
            println!("SKIPPED: {var} is not set (bash .ci/test installs the contract tools)");
            None
        }
    }
}

/// Run a command off the async workers (the server under test is served by them), returning its exit status
/// and its output.
async fn run(mut cmd: Command) -> (bool, String) {
    let out = tokio::task::spawn_blocking(move || cmd.output()).await.expect("join").expect("the tool runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

async fn validate(validator: &PathBuf, doc: &Value) -> (bool, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec(doc).expect("json")).expect("write");
    let mut cmd = Command::new(validator);
    cmd.arg("--validation-errors").arg("all").arg(&file);
    run(cmd).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_document_passes_a_real_openapi_validator() {
    let Some(validator) = tool("JUECE_OPENAPI_VALIDATOR") else { return };
    let app = spawn_app().await;
    let doc: Value =
        reqwest::get(format!("{}/api/v1/openapi.json", app.base)).await.expect("document").json().await.expect("JSON");
    let (ok, out) = validate(&validator, &doc).await;
    println!("openapi-spec-validator: {}", out.trim());
    assert!(ok && out.contains(": OK"), "the served document is invalid:\n{out}");

    // The validator is no rubber stamp: a query parameter declared as a path parameter (the defect client
    // generators rejected) fails it.
    let mut bent = doc.clone();
    let params = &mut bent["paths"]["/api/v1/decisions"]["get"]["parameters"];
    let limit = params.as_array_mut().and_then(|ps| ps.iter_mut().find(|p| p["name"] == "limit")).expect("limit");
    limit["in"] = json!("path");
    limit["required"] = json!(true);
    let (ok, out) = validate(&validator, &bent).await;
    assert!(!ok, "a path parameter missing from the path template passed:\n{out}");
}

/// One schemathesis run as the holder of `token`, for at most `seconds`.
async fn schemathesis(st: &PathBuf, base: &str, token: &str, seconds: u32) -> (bool, String) {
    // Schemathesis keeps a cache in the folder it runs in: a temporary one, never the repository.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = Command::new(st);
    cmd.current_dir(dir.path());
    cmd.arg("run")
        .arg(format!("{base}/api/v1/openapi.json"))
        .arg("--header")
        .arg(format!("Authorization: Bearer {token}"))
        // Every check except `positive_data_acceptance`: the server refuses some schema-valid requests for what a
        // schema cannot say (an Idempotency-Key reused for another request, an act the law refuses), with a
        // documented 4XX problem+json. Server errors and answers the document does not describe all fail.
        .args(["--checks", "all", "--exclude-checks", "positive_data_acceptance"])
        // A year file is TOML, which schemathesis cannot generate; tests/api/calendar_notice.rs covers it.
        .args(["--exclude-path", "/api/v1/calendars/{year}/notice"])
        .args(["--max-examples", "10", "--seed", "713", "--max-time", &seconds.to_string()])
        .args(["--report-dir", &dir.path().join("report").to_string_lossy()])
        .env("NO_COLOR", "1");
    run(cmd).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_and_no_answer_outside_the_document() {
    let Some(st) = tool("JUECE_SCHEMATHESIS") else { return };
    let app = spawn_app().await;
    // The drafter first: the administrator's run may deactivate the drafter or change their roles.
    for who in ["drafter", "admin"] {
        let (ok, out) = schemathesis(&st, &app.base, &app.tokens[who], 75).await;
        let summary: Vec<&str> = out.lines().rev().take(24).collect::<Vec<_>>().into_iter().rev().collect();
        println!("schemathesis as {who}:\n{}", summary.join("\n"));
        assert!(ok, "schemathesis as {who} found failures:\n{out}");
        assert!(out.contains("API Operations") && !out.contains("Server error"), "{out}");
    }
}

/// A real client generator accepts the served document: `openapi-typescript` (npm, pinned in
/// `tests/contract/package.json`, installed by `.ci/test` with `npm ci --prefix tests/contract`) writes its
/// TypeScript types without an error or a warning, the types name the act payloads and the problem body, and
/// `tsc --strict` compiles them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_generator_turns_the_served_document_into_types() {
    let bin = "tests/contract/node_modules/.bin";
    let Some(generator) = tool_or("JUECE_OPENAPI_TYPESCRIPT", Some(&format!("{bin}/openapi-typescript"))) else {
        return;
    };
    let tsc = generator.with_file_name("tsc");
    let app = spawn_app().await;
    let doc: Value =
        reqwest::get(format!("{}/api/v1/openapi.json", app.base)).await.expect("document").json().await.expect("JSON");
    let dir = tempfile::tempdir().expect("temp dir");
    let (file, types) = (dir.path().join("openapi.json"), dir.path().join("juece.d.ts"));
    std::fs::write(&file, serde_json::to_vec(&doc).expect("json")).expect("write");
    let mut cmd = Command::new(&generator);
    cmd.arg(&file).arg("--output").arg(&types).env("NO_COLOR", "1");
    let (ok, out) = run(cmd).await;
    println!("openapi-typescript: {}", out.trim());
    assert!(ok, "openapi-typescript failed:\n{out}");
    assert!(!out.to_lowercase().contains("warn") && !out.to_lowercase().contains("error"), "{out}");
    let ts = std::fs::read_to_string(&types).expect("the types were written");
    for name in ["\"ActPayload.submit_proposal\"", "Problem:", "\"/api/v1/decisions/{id}/acts/{act}\""] {
        assert!(ts.contains(name), "{name} missing from the generated types");
    }
    println!("openapi-typescript wrote {} lines, {} bytes", ts.lines().count(), ts.len());
    let mut cmd = Command::new(&tsc);
    cmd.args(["--noEmit", "--strict"]).arg(&types);
    let (ok, out) = run(cmd).await;
    assert!(ok, "tsc refuses the generated types:\n{out}");

    // No rubber stamp: a reference to a schema the document does not have fails the generator.
    let mut bent = doc.clone();
    bent["components"]["schemas"]["Problem"] = json!({ "$ref": "#/components/schemas/NoSuchSchema" });
    std::fs::write(&file, serde_json::to_vec(&bent).expect("json")).expect("write");
    let mut cmd = Command::new(&generator);
    cmd.arg(&file).arg("--output").arg(&types).env("NO_COLOR", "1");
    let (ok, out) = run(cmd).await;
    assert!(!ok, "a dangling reference passed the generator:\n{out}");
}
