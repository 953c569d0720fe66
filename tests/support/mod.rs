//! Shared helpers for the integration tests: paths, a fresh database per
//! test, and an engine on the repository's workflows.

use std::path::PathBuf;

pub mod app;

use juece_engine::orchestrator::Engine;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn workflows() -> PathBuf {
    repo_root().join("workflows")
}

/// A SQLite URL in a fresh temporary folder (kept alive by the returned guard).
pub fn sqlite_url() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("juece.db").display());
    (dir, url)
}

/// The PostgreSQL server to test against, when one is configured.
pub fn postgres_url() -> Option<String> {
    std::env::var("JUECE_TEST_POSTGRES_URL").ok().filter(|s| !s.is_empty())
}

pub async fn engine(url: &str) -> Engine {
    juece_api::setup::open_engine(url, &workflows()).await.expect("engine opens")
}
