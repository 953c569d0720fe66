//! A fresh database per scenario on each store the suite covers: a SQLite
//! file always, and a PostgreSQL database of its own when
//! `JUECE_TEST_POSTGRES_URL` is set (dropped by [`Fresh::finish`]).

use juece_engine::store::PgStore;

pub struct Fresh {
    /// `sqlite` or `postgres`, for assertion messages.
    pub kind: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// The server's URL and the database to drop.
    postgres: Option<(String, String)>,
}

/// One fresh SQLite database, and one fresh PostgreSQL database when configured.
pub async fn databases() -> Vec<Fresh> {
    let (dir, url) = super::sqlite_url();
    let mut out = vec![Fresh { kind: "sqlite", url, _dir: Some(dir), postgres: None }];
    match super::postgres_url() {
        Some(admin_url) => {
            let name = format!("juece_it_{}", uuid::Uuid::new_v4().simple());
            let admin = PgStore::connect(&admin_url).await.expect("postgres reachable");
            admin.execute_raw(&format!("create database {name}")).await.expect("create database");
            let (base, _) = admin_url.rsplit_once('/').expect("a postgres URL names a database");
            out.push(Fresh {
                kind: "postgres",
                url: format!("{base}/{name}"),
                _dir: None,
                postgres: Some((admin_url, name)),
            });
        }
        None => eprintln!("PostgreSQL skipped: JUECE_TEST_POSTGRES_URL not set"),
    }
    out
}

impl Fresh {
    /// Drop the PostgreSQL database (a SQLite file goes with its folder).
    pub async fn finish(self) {
        if let Some((admin_url, name)) = &self.postgres {
            if let Ok(admin) = PgStore::connect(admin_url).await {
                let _ = admin.execute_raw(&format!("drop database if exists {name} with (force)")).await;
            }
        }
    }
}
