//! The accept loop (`juece_api::listen`): silent connections are closed
//! after the header-read timeout, a connection over the cap is answered 503
//! at once, a trickled header does not hold a connection open, and an
//! answer given before the body was read closes its connection (the unread
//! body would otherwise be taken for the next request). Raw TCP throughout:
//! an HTTP client's pool would hide what the server does to a connection.

use std::time::{Duration, Instant};

use juece_api::listen::ConnLimits;
use juece_api::server::ServerConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn limits() -> ServerConfig {
    ServerConfig {
        insecure_cookies: true,
        public_per_minute: 100_000,
        public_burst: 10_000,
        connections: ConnLimits {
            header_read_timeout: Duration::from_millis(500),
            idle_timeout: Duration::from_secs(3),
            max_connections: 8,
        },
        ..Default::default()
    }
}

async fn connect(a: &super::Api) -> TcpStream {
    TcpStream::connect(a.app.base.trim_start_matches("http://")).await.expect("connect")
}

/// Everything the server sends until it closes the connection or `within` passes; whether it closed.
async fn read_until_closed(s: &mut TcpStream, within: Duration) -> (String, bool) {
    let mut got = Vec::new();
    let deadline = Instant::now() + within;
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), false),
        }
    }
}

async fn healthz(a: &super::Api) -> String {
    let mut s = connect(a).await;
    s.write_all(b"GET /healthz HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n").await.expect("write");
    read_until_closed(&mut s, Duration::from_secs(5)).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_connections_are_closed_and_one_over_the_cap_is_told_so() {
    let a = juece_tests::http::api_with(limits()).await;
    let mut silent = Vec::new();
    for _ in 0..8 {
        silent.push(connect(&a).await);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Over the cap: an immediate 503 with a reason, not a hang.
    let busy = healthz(&a).await;
    assert!(busy.starts_with("HTTP/1.1 503"), "{busy}");
    assert!(busy.contains("too_many_connections") && busy.contains("retry-after"), "{busy}");
    // The silent ones are closed by the header-read timeout, and the server answers again.
    for s in &mut silent {
        let (_, closed) = read_until_closed(s, Duration::from_secs(3)).await;
        assert!(closed, "a silent connection stayed open");
    }
    let ok = healthz(&a).await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickled_header_does_not_hold_a_connection() {
    let a = juece_tests::http::api_with(limits()).await;
    let mut s = connect(&a).await;
    let started = Instant::now();
    s.write_all(b"GET /healthz HTTP/1.1\r\n").await.expect("write");
    // One header byte every 100 ms keeps bytes moving, but the header never ends.
    let mut closed_after = None;
    for _ in 0..40 {
        if s.write_all(b"x").await.is_err() {
            closed_after = Some(started.elapsed());
            break;
        }
        let mut buf = [0u8; 512];
        if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(Duration::from_millis(100), s.read(&mut buf)).await {
            closed_after = Some(started.elapsed());
            break;
        }
    }
    let after = closed_after.expect("the connection was never closed");
    assert!(after < Duration::from_secs(2), "closed only after {after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_before_the_body_was_read_closes_the_connection() {
    let a = super::api().await;
    // Anonymous: refused on the headers, the body never read.
    let body = r#"{"workflow":"national","act":{"name":"submit_proposal","payload":{}}}"#;
    let request = format!(
        "POST /api/v1/decisions HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut s = connect(&a).await;
    s.write_all(request.as_bytes()).await.expect("write");
    let (answer, closed) = read_until_closed(&mut s, Duration::from_secs(3)).await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("connection: close"), "{answer}");
    assert!(closed, "the connection is closed after the answer");
    // A request whose body was read keeps its connection: the next request on it is answered.
    let token = a.token("office");
    let good = format!(
        "POST /api/v1/decisions/nope/checks/record_draft HTTP/1.1\r\nhost: t\r\nauthorization: Bearer {token}\r\n\
         content-type: application/json\r\ncontent-length: 2\r\n\r\n{{}}GET /healthz HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n"
    );
    let mut s = connect(&a).await;
    s.write_all(good.as_bytes()).await.expect("write");
    let (answers, _) = read_until_closed(&mut s, Duration::from_secs(3)).await;
    assert!(answers.starts_with("HTTP/1.1 404"), "{answers}");
    assert!(answers.contains("HTTP/1.1 200"), "the second request is answered: {answers}");
}
