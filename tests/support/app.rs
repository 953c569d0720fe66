//! The HTTP server on 127.0.0.1:0 over a fresh SQLite database, with a
//! fixed clock the test advances, and the people of the sample decision as
//! users with API tokens.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use juece_api::clock::Clock;
use juece_api::server::{AppState, ServerConfig};
use juece_engine::actor::Role;
use juece_engine::auth::NewUser;

pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub clock: Clock,
    pub state: AppState,
    /// Bearer token of each user of [`CAST`], by login name.
    pub tokens: BTreeMap<&'static str, String>,
    /// The SQLite database under the server (tests that play a DBA open it beside the server).
    pub database_url: String,
    _dir: tempfile::TempDir,
}

/// (login, display name, unit, position, role) — the demo's people, plus a
/// drafter of another unit and an oversight reader.
pub const CAST: &[(&str, &str, &str, &str, Role)] = &[
    ("office", "王文", "示范市人民政府办公室", "秘书长", Role::GeneralOffice),
    ("drafter", "李明", "示范市生态环境局", "法规科科长", Role::Drafter),
    ("other-drafter", "赵外", "示范市交通运输局", "科长", Role::Drafter),
    ("e-1", "赵教授", "示范大学环境学院", "教授", Role::Expert),
    ("e-2", "钱研究员", "省环境科学研究院", "研究员", Role::Expert),
    ("e-3", "孙工", "示范市规划设计院", "高级工程师", Role::Expert),
    ("adviser", "周律师", "示范市司法局", "公职律师", Role::LegalAdviser),
    ("reviewer", "吴审", "示范市司法局", "合法性审查科科长", Role::LegalityReviewer),
    ("member", "郑副市长", "示范市人民政府", "副市长", Role::MeetingMember),
    ("chief", "张市长", "示范市人民政府", "市长", Role::ChiefExecutive),
    ("executor", "陈执行", "示范市生态环境局", "大气处处长", Role::ExecutingUnit),
    ("oversight", "人大监督", "示范市人大常委会", "监督员", Role::Oversight),
    ("admin", "管理员", "示范市人民政府办公室", "系统管理员", Role::Administrator),
];

pub const PASSWORD: &str = "correct horse battery staple";

pub async fn spawn_app() -> TestApp {
    spawn_app_with(ServerConfig {
        insecure_cookies: true,
        public_per_minute: 100_000,
        public_burst: 10_000,
        ..Default::default()
    })
    .await
}

pub async fn spawn_app_with(config: ServerConfig) -> TestApp {
    // 09:00 CST on Monday 2 March 2026, like the demo.
    spawn_app_at(config, Clock::fixed(Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().expect("time"))).await
}

/// A server on its own clock (the system clock, to compare with a command that reads it).
pub async fn spawn_app_at(config: ServerConfig, clock: Clock) -> TestApp {
    let (dir, url) = super::sqlite_url();
    let engine = Arc::new(super::engine(&url).await);
    let state = AppState::new(engine, config, clock.clone()).expect("state");
    let mut tokens = BTreeMap::new();
    // Users are placed in units of the directory: the cast's units first.
    for unit in CAST.iter().map(|c| c.2).collect::<std::collections::BTreeSet<_>>() {
        let new = juece_engine::units::NewUnit { name: unit.to_string(), ..Default::default() };
        state.units.add(new, clock.now()).await.expect("unit");
    }
    for (name, display, unit, position, role) in CAST {
        let new = NewUser {
            name: name.to_string(),
            display_name: Some(display.to_string()),
            unit: unit.to_string(),
            position: position.to_string(),
            roles: vec![*role],
        };
        state.auth.add_user(new, PASSWORD, clock.now()).await.expect("user");
        let t = state.auth.create_token(name, "tests", clock.now()).await.expect("token");
        tokens.insert(*name, t.secret);
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    // The server's own accept loop (timeouts, connection cap), as `juece serve` runs it.
    tokio::spawn(juece_api::server::serve_until(listener, state.clone(), std::future::pending()));
    TestApp { base, clock, state, tokens, database_url: url, _dir: dir }
}
