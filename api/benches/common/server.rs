//! What the benchmarks of `juece serve` share: the real binary, a free port, a server started on a database and
//! waited for until `/readyz` answers, a general-office token made with the CLI.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_juece");

pub fn workflows() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../workflows")
}

pub fn juece(db: &str) -> Command {
    let mut c = Command::new(BIN);
    c.env("DATABASE_URL", db).env("JUECE_WORKFLOWS", workflows()).env("RUST_LOG", "warn");
    c
}

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// `field` of `/proc/<pid>/status`, in MB.
pub fn status_mb(pid: u32, field: &str) -> f64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = text
        .lines()
        .find_map(|l| l.strip_prefix(field)?.trim().strip_suffix("kB")?.trim().parse::<f64>().ok())
        .unwrap_or(f64::NAN);
    kb / 1024.0
}

pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `juece serve` and wait until `/readyz` answers 200; the server and the seconds it took.
pub async fn start(db: &str, http: &reqwest::Client) -> (Server, f64) {
    start_with(db, http, &[]).await
}

/// [`start`] with more arguments to `serve` (rate limits raised for a load test, say).
pub async fn start_with(db: &str, http: &reqwest::Client, extra: &[&str]) -> (Server, f64) {
    let port = free_port();
    let started = Instant::now();
    let child = juece(db)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--insecure-cookies"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("juece serve starts");
    let server = Server { child, base: format!("http://127.0.0.1:{port}") };
    loop {
        let ready = http.get(format!("{}/readyz", server.base)).send().await;
        if ready.is_ok_and(|r| r.status().is_success()) {
            return (server, started.elapsed().as_secs_f64());
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the server did not become ready");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// A general-office user with an API token, made with the CLI as an administrator would.
pub fn office_token(db: &str) -> String {
    let unit = juece(db).args(["unit", "add", "示范市人民政府办公厅"]).output().expect("juece unit add");
    assert!(unit.status.success(), "{}", String::from_utf8_lossy(&unit.stderr));
    let mut add = juece(db)
        .args(["user", "add", "office", "--display-name", "办公厅", "--unit", "示范市人民政府办公厅"])
        .args(["--position", "秘书", "--role", "general_office", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("juece user add");
    use std::io::Write;
    add.stdin.take().expect("stdin").write_all(b"a long benchmark passphrase\n").expect("password");
    assert!(add.wait().expect("user add").success());
    let out = juece(db).args(["token", "create", "office", "--label", "bench"]).output().expect("token create");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("UTF-8").trim().to_string()
}
