//! Rate limits: per client for the public endpoints and sign-in (a token
//! bucket per IP address, `governor`'s GCRA), and per consultation for the
//! opinions it takes (a bucket per decision, so one flood cannot take the
//! whole intake), each answering 429 problem+json with `Retry-After`.
//! Clients are told apart by the peer address; behind a reverse proxy that is
//! the proxy's — configure the limit there too.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::problem::Problem;
use crate::server::AppState;

pub struct Limiter<K: std::hash::Hash + Eq + Clone = IpAddr> {
    inner: DefaultKeyedRateLimiter<K>,
}

impl<K: std::hash::Hash + Eq + Clone> Limiter<K> {
    /// `per_minute` requests a minute per key, with bursts of up to `burst`.
    pub fn new(per_minute: u32, burst: u32) -> Limiter<K> {
        let rate = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
        Limiter { inner: RateLimiter::keyed(Quota::per_minute(rate).allow_burst(burst)) }
    }

    /// `per_second` a second per key, with bursts of as many.
    pub fn per_second(per_second: u32) -> Limiter<K> {
        let rate = NonZeroU32::new(per_second.max(1)).unwrap_or(NonZeroU32::MIN);
        Limiter { inner: RateLimiter::keyed(Quota::per_second(rate)) }
    }

    /// `Ok` or the seconds to wait.
    pub fn check(&self, key: &K) -> Result<(), u64> {
        // Forget idle keys now and then, so the table does not grow without bound.
        if self.inner.len() > 100_000 {
            self.inner.retain_recent();
        }
        self.inner
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1))
    }
}

/// The 429 answer, with how long to wait.
pub fn too_many(wait: u64) -> Response {
    let mut resp = Problem::for_status(StatusCode::TOO_MANY_REQUESTS).into_response();
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// Middleware for the routes it wraps.
pub async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    match state.limiter.check(&ip) {
        Ok(()) => next.run(req).await,
        Err(wait) => too_many(wait),
    }
}
