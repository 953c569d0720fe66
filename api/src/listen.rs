//! The accept loop under the router. `axum::serve` reads headers without a
//! deadline and takes every connection offered: 1,100 silent connections
//! exhausted the file descriptors and `/healthz` stopped answering. Here:
//!
//! * a request's headers must arrive within `header_read_timeout`, counted
//!   from the moment the server waits for them — on a kept-alive connection,
//!   from the end of the previous answer, so it also bounds idle keep-alive;
//! * a connection on which no byte moves either way for `idle_timeout` is
//!   closed, whatever it is doing (a body trickled in, an answer not read);
//! * at most `max_connections` are served at once; one more is answered
//!   `503` with `Connection: close` and closed at once, so the process
//!   keeps descriptors for its database and the waiting client learns why.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// Connection limits of `juece serve`.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
}

impl Default for ConnLimits {
    fn default() -> Self {
        // 512 leaves room under the usual limit of 1,024 descriptors for the database pools and files.
        ConnLimits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 512,
        }
    }
}

/// What a client over the cap is told before its connection is closed.
fn busy() -> Vec<u8> {
    let body = "{\"type\":\"urn:juece:problem:too_many_connections\",\"title\":\"Service Unavailable\",\"status\":503,\
\"detail\":\"连接过多，请稍后重试 / too many open connections; retry shortly\",\"reason_code\":\"too_many_connections\",\"article\":\"\",\
\"message_zh\":\"连接过多，请稍后重试\",\"message_en\":\"too many open connections; retry shortly\",\"reasons\":[]}";
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\nretry-after: 1\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Serve `app` on `listener` until `stop` is cancelled, then finish the requests in flight.
pub async fn serve(listener: TcpListener, app: axum::Router, limits: ConnLimits, stop: CancellationToken) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = stop.cancelled() => break,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of descriptors (or a connection reset before accept): wait a little instead of spinning.
                tracing::warn!(error = %e, "accepting a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            tokio::spawn(turn_away(stream));
            continue;
        };
        let (app, stop) = (app.clone(), stop.clone());
        tokio::spawn(async move {
            connection(stream, peer, app, limits, stop).await;
            drop(permit);
        });
    }
    // Every connection holds a permit until it ends: having them all back means none is left.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = permits.acquire_many(all).await;
}

async fn turn_away(mut stream: TcpStream) {
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(&busy())).await;
    let _ = stream.shutdown().await;
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: axum::Router,
    limits: ConnLimits,
    stop: CancellationToken,
) {
    let _ = stream.set_nodelay(true);
    let last_io = Arc::new(AtomicI64::new(0));
    let started = Instant::now();
    let io = TokioIo::new(Watched { inner: stream, last_io: last_io.clone(), started });
    let service = app.map_request(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        req.map(Body::new)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout).keep_alive(true);
    let conn = builder.serve_connection(io, TowerToHyperService::new(service));
    tokio::pin!(conn);
    let mut ticks = tokio::time::interval(limits.idle_timeout / 4);
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended");
                }
                return;
            }
            () = stop.cancelled(), if !stop.is_cancelled() => conn.as_mut().graceful_shutdown(),
            _ = ticks.tick() => {
                let quiet = started.elapsed().as_millis() as i64 - last_io.load(Ordering::Relaxed);
                if quiet >= limits.idle_timeout.as_millis() as i64 {
                    tracing::debug!(%peer, "idle connection closed");
                    return;
                }
            }
        }
    }
}

/// A stream that notes when a byte last moved either way (milliseconds since `started`).
struct Watched {
    inner: TcpStream,
    last_io: Arc<AtomicI64>,
    started: Instant,
}

impl Watched {
    fn moved(&self) {
        self.last_io.store(self.started.elapsed().as_millis() as i64, Ordering::Relaxed);
    }
}

impl AsyncRead for Watched {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let r = Pin::new(&mut this.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.moved();
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_write(cx, data);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            this.moved();
        }
        r
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Marks a request whose body was read to its end.
#[derive(Clone, Default)]
struct BodyRead(Arc<std::sync::atomic::AtomicBool>);

/// Answers sent before the request's body was read say `Connection: close`
/// (a 401, 413 or 415 decided on the headers): the unread bytes would
/// otherwise be taken for the next request on the connection, which then
/// got no answer.
pub async fn close_unread(req: Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::body::HttpBody;
    if req.body().is_end_stream() {
        return next.run(req).await;
    }
    let read = BodyRead::default();
    let req = req.map(|b| Body::new(WatchedBody { inner: b, read: read.clone() }));
    let mut resp = next.run(req).await;
    if !read.0.load(Ordering::Relaxed) {
        resp.headers_mut().insert(axum::http::header::CONNECTION, axum::http::HeaderValue::from_static("close"));
    }
    resp
}

/// A request body that notes when it has been read to its end.
struct WatchedBody {
    inner: Body,
    read: BodyRead,
}

impl axum::body::HttpBody for WatchedBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_frame(cx);
        if matches!(r, Poll::Ready(None)) || this.inner.is_end_stream() {
            this.read.0.store(true, Ordering::Relaxed);
        }
        r
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}
