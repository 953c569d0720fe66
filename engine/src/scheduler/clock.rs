//! Time as the scheduler sees it. Production reads the system clock; tests
//! inject a [`ManualClock`] they advance by hand, so "never early" and
//! "catch up after downtime" are checked at exact instants, not by sleeping.

use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::Notify;

#[async_trait]
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// Wait about `d` of this clock's time (a manual clock also wakes when advanced).
    async fn sleep(&self, d: Duration);
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

#[async_trait]
impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    async fn sleep(&self, d: Duration) {
        tokio::time::sleep(d).await;
    }
}

/// A clock that moves only when told to.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
    moved: Notify,
}

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> ManualClock {
        ManualClock { now: Mutex::new(at), moved: Notify::new() }
    }

    /// Set the time (forwards or backwards, as a wrong system clock might).
    pub fn set(&self, at: DateTime<Utc>) {
        // A poisoned lock still holds a valid instant: keep using it.
        *self.now.lock().unwrap_or_else(|p| p.into_inner()) = at;
        self.moved.notify_waiters();
    }

    pub fn advance(&self, by: chrono::Duration) {
        let at = self.now() + by;
        self.set(at);
    }
}

#[async_trait]
impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Wakes when the clock is moved, or after a short real pause so a loop
    /// under test keeps polling; never sleeps the full (virtual) duration.
    async fn sleep(&self, d: Duration) {
        let pause = d.min(Duration::from_millis(5));
        tokio::select! {
            _ = self.moved.notified() => {}
            _ = tokio::time::sleep(pause) => {}
        }
    }
}
