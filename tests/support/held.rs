//! An intake of opinions in flight, held open by hand on the database behind an engine: the database's write
//! lock (SQLite) or the decision's row (PostgreSQL) taken, the decision's count of opinions moved on as the intake
//! moves it, and whatever else the test writes with it, not yet committed. An act that read the record before
//! reaches its commit and waits; the test commits the hold once it does.

use sqlx::Connection;

pub enum Held {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection, sqlx::PgConnection),
}

impl Held {
    /// Hold decision `id` on the database at `url`, its count of opinions one more, and `writes` written.
    pub async fn take(url: &str, id: &str, writes: &[String]) -> Held {
        let count = format!("update decisions set opinions = opinions + 1 where id = '{id}'");
        let writes = writes.iter().map(String::as_str).chain([count.as_str()]);
        if url.starts_with("postgres") {
            let mut c = sqlx::PgConnection::connect(url).await.expect("connect");
            let hold = format!("select version from decisions where id = '{id}' for no key update");
            for sql in ["begin", hold.as_str()].into_iter().chain(writes) {
                sqlx::query(sql).execute(&mut c).await.expect(sql);
            }
            Held::Postgres(c, sqlx::PgConnection::connect(url).await.expect("connect"))
        } else {
            let mut c = sqlx::SqliteConnection::connect(url).await.expect("connect");
            for sql in ["begin immediate"].into_iter().chain(writes) {
                sqlx::query(sql).execute(&mut c).await.expect(sql);
            }
            Held::Sqlite(c)
        }
    }

    /// Commit once an act waits on the hold: on PostgreSQL once a session waits for a lock (none within ten
    /// seconds fails the test); SQLite cannot be asked, so after a pause far longer than an act takes to reach
    /// its commit.
    pub async fn commit_once_waited_on(self) {
        match self {
            Held::Sqlite(mut c) => {
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                sqlx::query("commit").execute(&mut c).await.expect("commit");
            }
            Held::Postgres(mut c, mut watch) => {
                let waiting = "select count(*) from pg_stat_activity \
                     where datname = current_database() and wait_event_type = 'Lock'";
                let mut seen = false;
                for _ in 0..400 {
                    let n: i64 = sqlx::query_scalar(waiting).fetch_one(&mut watch).await.expect("pg_stat_activity");
                    if n > 0 {
                        seen = true;
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(25)).await;
                }
                sqlx::query("commit").execute(&mut c).await.expect("commit");
                watch.close().await.expect("close");
                assert!(seen, "the act never waited for the intake's hold on the decision's row");
            }
        }
    }
}
