//! The engine's working calendar, swapped in place when an official notice is stored, by this replica or another:
//! each replica polls the stored notice count (one tiny query) before it computes, and rebuilds its calendar when
//! the count moved, so a notice loaded through one replica is used by every other for its next computation.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, Utc};

use super::Engine;
use crate::actor::Actor;
use crate::calendar::{CalendarYear, WorkCalendar};
use crate::error::Error;
use crate::notice::{self, NoticeError, NoticeReport};

/// The calendar in use and how many stored notices it includes.
pub(super) struct LiveCalendar {
    current: RwLock<Arc<WorkCalendar>>,
    /// Stored notices merged into `current`; -1 until the store was first asked.
    seen: AtomicI64,
}

impl LiveCalendar {
    pub(super) fn new(calendar: WorkCalendar) -> LiveCalendar {
        LiveCalendar { current: RwLock::new(Arc::new(calendar)), seen: AtomicI64::new(-1) }
    }

    fn get(&self) -> Arc<WorkCalendar> {
        // A poisoned lock only means a writer panicked between two complete calendars: the value is whole.
        self.current.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn set(&self, calendar: WorkCalendar, seen: i64) {
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(calendar);
        self.seen.store(seen, Ordering::Release);
    }
}

impl Engine {
    /// The calendar as this replica last read it (see [`Engine::fresh_calendar`]).
    pub fn calendar(&self) -> Arc<WorkCalendar> {
        self.calendar.get()
    }

    /// The calendar with every notice stored so far: when the store holds notices this replica has not merged
    /// (one count query), they are merged into a copy that replaces the current calendar.
    pub async fn fresh_calendar(&self) -> Result<Arc<WorkCalendar>, Error> {
        self.calendar_as_of(None).await
    }

    /// [`Engine::fresh_calendar`], given the stored notice count when the caller has just read it (with a
    /// decision, see [`crate::store::Loaded`]); `None` asks the store.
    pub(super) async fn calendar_as_of(&self, stored: Option<i64>) -> Result<Arc<WorkCalendar>, Error> {
        self.merge_stored_notices(stored).await.map_err(|e| match e {
            NoticeError::Store(e) => e.into(),
            other => Error::Calendar(other.to_string()),
        })
    }

    async fn merge_stored_notices(&self, stored: Option<i64>) -> Result<Arc<WorkCalendar>, NoticeError> {
        let stored = match stored {
            Some(count) => count,
            None => self.store.calendar_notice_count().await?,
        };
        if stored == self.calendar.seen.load(Ordering::Acquire) {
            return Ok(self.calendar.get());
        }
        let notices = self.store.calendar_notices().await?;
        let mut next = (*self.calendar.get()).clone();
        for n in &notices {
            // The loading replica checked the notice against the same shipped files: identical text merges as a
            // no-op, and a conflict means this replica ships different files, which must not go unnoticed.
            if let Err(e) = next.add_year_file(&n.toml) {
                tracing::error!(year = n.year, error = %e, "a stored calendar notice contradicts this replica's files");
                return Err(e.into());
            }
        }
        let version = next.version();
        self.calendar.set(next, notices.len() as i64);
        tracing::info!(notices = notices.len(), calendar = %version, "calendar notices merged");
        Ok(self.calendar.get())
    }

    /// An administrator loads a year's official holiday notice (its year file's text): validated — for `year`,
    /// when the caller names one — stored for every replica, audited in the calendar chain with who loaded it, and
    /// the pending provisional deadlines recomputed (`crate::notice`). `juece calendar load` and the API both come
    /// here; this replica computes on the notice at once, the others from their next computation.
    pub async fn load_calendar_notice(
        &self,
        toml: &str,
        year: Option<i32>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<NoticeReport, NoticeError> {
        actor
            .require_administrator(
                "只有系统管理员可以载入节假日安排通知",
                "only an administrator may load a holiday notice",
            )
            .map_err(NoticeError::Refused)?;
        if let Some(expected) = year {
            let found = CalendarYear::from_toml_str(toml, "(notice being loaded)")?.year;
            if found != expected {
                return Err(NoticeError::YearMismatch { expected, found });
            }
        }
        let mut calendar = (*self.merge_stored_notices(None).await?).clone();
        let report = notice::load_notice(self.store.as_ref(), &mut calendar, toml, actor, now).await?;
        self.merge_stored_notices(None).await?;
        Ok(report)
    }
}
