//! E-mail through a real SMTP conversation with an in-process sink: the message arrives once, carrying its
//! idempotency key, and a relay that refuses is retried after the backoff.

use std::sync::{Arc, Mutex};

use chrono::{Duration as Span, TimeZone, Utc};
use juece_engine::notify::{Deliverer, HttpPost};
use juece_engine::scheduler::ManualClock;
use juece_engine::store::{SqliteStore, Store};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use super::*;

/// What the sink saw: every message accepted (its DATA text), and how many it refused.
#[derive(Default)]
struct Sink {
    accepted: Vec<String>,
    refused: usize,
    /// Refuse this many messages (451 at the end of DATA) before accepting.
    refuse_first: usize,
}

/// A tiny SMTP server: enough of RFC 5321 for one client (220, EHLO/HELO, MAIL, RCPT, DATA, '.', RSET, NOOP, QUIT).
async fn sink(refuse_first: usize) -> (u16, Arc<Mutex<Sink>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let state = Arc::new(Mutex::new(Sink { refuse_first, ..Sink::default() }));
    let shared = state.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let state = shared.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 ok\r\n",
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        "DATA" => {
                            let _ = write.write_all(b"354 go ahead\r\n").await;
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(&l);
                                data.push('\n');
                            }
                            let mut s = state.lock().expect("sink lock");
                            if s.refused < s.refuse_first {
                                s.refused += 1;
                                b"451 try again later\r\n"
                            } else {
                                s.accepted.push(data);
                                b"250 queued\r\n"
                            }
                        }
                        _ => b"502 not implemented\r\n",
                    };
                    if write.write_all(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (port, state)
}

/// Webhooks are not configured in these tests.
struct NoHttp;

#[async_trait]
impl HttpPost for NoHttp {
    async fn post(&self, _: &str, _: &[(String, String)], _: String) -> Result<u16, String> {
        Err("no webhooks here".into())
    }
}

fn config(port: u16) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        tls: SmtpTls::None,
        from: "juece <noreply@example.gov.cn>".into(),
        username: None,
        password: None,
        timeout: Duration::from_secs(5),
    }
}

async fn seeded() -> Arc<SqliteStore> {
    let store = SqliteStore::connect("sqlite::memory:").await.expect("connect");
    store.migrate().await.expect("migrate");
    store
        .execute_raw(
            "insert into decisions (id, workflow_key, workflow_version, stage, version, title, parent_id, \
             state_json, created_at, updated_at) values ('w', 't', 1, 's', 1, 't', null, '{}', \
             '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'); \
             insert into outbox (id, decision_id, recipient_role, subject, created_at) values \
             ('m1', 'w', 'drafter', '征求意见期届满 comment period ended', '2026-01-01T00:00:00.000000Z'), \
             ('m2', 'w', 'general_office', 'not for this address', '2026-01-01T00:00:01.000000Z')",
        )
        .await
        .expect("seed the outbox");
    Arc::new(store)
}

#[tokio::test]
async fn email_arrives_once_with_its_idempotency_key_and_a_refusal_is_retried_after_backoff() {
    let (port, sink) = sink(1).await;
    let store: Arc<dyn Store> = seeded().await;
    let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).single().expect("t0")));
    let mail = Arc::new(SmtpMail::new(&config(port)).expect("transport"));
    let deliverer = Deliverer::new(store.clone(), clock.clone(), Arc::new(NoHttp), vec![])
        .with_email(mail, parse_recipients("drafter@example.gov.cn=drafter"));

    let first = deliverer.tick().await.expect("tick");
    assert_eq!((first.dispatched, first.delivered, first.failed), (2, 0, 1), "the 451 is a failure");
    assert_eq!(deliverer.tick().await.expect("tick").failed, 0, "no retry before the backoff");
    clock.advance(Span::seconds(1));
    assert_eq!(deliverer.tick().await.expect("tick").delivered, 1, "retried after the backoff");
    clock.advance(Span::hours(2));
    assert_eq!(deliverer.tick().await.expect("tick"), Default::default(), "delivered mail is not sent again");

    let s = sink.lock().expect("sink lock");
    assert_eq!((s.refused, s.accepted.len()), (1, 1), "refused once, then arrived exactly once");
    let text = &s.accepted[0];
    let id = juece_engine::store::notify::delivery_id("m1", "email", "drafter@example.gov.cn");
    assert!(text.contains(&format!("Idempotency-Key: {id}")), "{text}");
    assert!(text.contains(&format!("Message-ID: <{id}@juece.notifications>")), "{text}");
    assert!(text.contains("To: drafter@example.gov.cn"), "{text}");
    assert!(!text.contains("not for this address"), "routed by role");
}

#[test]
fn the_password_is_never_in_debug_output() {
    let c = SmtpConfig { username: Some("u".into()), password: Some("hunter2-secret".into()), ..config(25) };
    assert!(!format!("{c:?}").contains("hunter2"));
}

#[test]
fn recipients_parse_with_and_without_roles() {
    let r = parse_recipients("a@x.cn=drafter, general_office; b@x.cn ;");
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].roles, ["drafter", "general_office"]);
    assert!(r[1].roles.is_empty() && r[1].address == "b@x.cn");
}
