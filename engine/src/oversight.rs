//! Reads for accountability (Art. 38): who did what, how members stood,
//! overrides, integrity records, a decision's dossier and the annual
//! report — for oversight (人大、审计、上级机关), which reads everything,
//! and the general office, which keeps the record. Authorized here, in the
//! engine, like every other read: the HTTP layer asks and obeys.

use chrono::{DateTime, Utc};

use crate::accountability::{self as acc, ActEntry, Dossier, DossierError, IntegrityEntry, Override, StanceEntry};
use crate::actor::{Actor, Role};
use crate::error::Error;
use crate::orchestrator::Engine;
use crate::refusal::{Detail, Reason, Refusal};
use crate::report::{self, AnnualReport};
use crate::store::StoreError;
use crate::visibility::Veil;

const POLICY: &str = "access policy (Decree 713 Art. 38)";

/// Oversight and the general office may run accountability queries; no one else.
pub fn may_hold_to_account(actor: &Actor) -> Result<(), Refusal> {
    if actor.roles.iter().any(|r| matches!(r, Role::Oversight | Role::GeneralOffice)) {
        return Ok(());
    }
    Err(Refusal::one(Reason::new(
        "role_not_permitted",
        POLICY,
        "只有监督机关和办公厅可以查询责任追究记录",
        "only oversight and the general office may run accountability queries",
    )))
}

impl Engine {
    fn accountable(&self, actor: &Actor, what: &str) -> Result<(), Error> {
        may_hold_to_account(actor).map_err(Error::Refused)?;
        tracing::info!(target: "juece::access", reader = %actor.user_id, unit = %actor.unit, query = %what, "accountability read");
        Ok(())
    }

    /// The whole record verified against `trust` in one snapshot (what `juece audit verify` checks), for an
    /// accountability reader: chains, seals, anchors, state and memos.
    pub async fn verify_record(
        &self,
        actor: &Actor,
        trust: &crate::verify::Trust,
    ) -> Result<crate::verify::VerifyReport, Error> {
        self.accountable(actor, "verify")?;
        Ok(crate::verify::verify_with(self.store().as_ref(), trust).await?)
    }

    /// Everything `person` (user id or name) did, for an accountability reader.
    pub async fn acts_by(&self, actor: &Actor, person: &str) -> Result<Vec<ActEntry>, Error> {
        self.accountable(actor, "acts_by")?;
        Ok(acc::acts_by(self.store().as_ref(), person).await?)
    }

    /// Every stance on one decision (404 if there is no such decision).
    pub async fn stances(&self, actor: &Actor, decision_id: &str) -> Result<Vec<StanceEntry>, Error> {
        self.accountable(actor, "stances")?;
        self.load(decision_id).await?;
        Ok(acc::stances(self.store().as_ref(), decision_id).await?)
    }

    /// Every decision where `member` spoke, and how.
    pub async fn stances_of_member(&self, actor: &Actor, member: &str) -> Result<Vec<StanceEntry>, Error> {
        self.accountable(actor, "stances_of_member")?;
        Ok(acc::stances_of_member(self.store().as_ref(), member).await?)
    }

    /// Every override of a soft floor, with its reason.
    pub async fn overrides(&self, actor: &Actor) -> Result<Vec<Override>, Error> {
        self.accountable(actor, "overrides")?;
        Ok(acc::overrides(self.store().as_ref()).await?)
    }

    /// An expert's integrity record across pools and decisions.
    pub async fn integrity_record(&self, actor: &Actor, expert_id: &str) -> Result<Vec<IntegrityEntry>, Error> {
        // The pool manager keeps the integrity records and decides sanctions on them (EX-7, EX-8).
        if !actor.has(Role::PoolManager) {
            self.accountable(actor, "integrity_record")?;
        }
        Ok(acc::integrity_record(self.store().as_ref(), expert_id).await?)
    }

    /// A decision's dossier as one document (what `export_dossier` writes).
    pub async fn dossier(&self, actor: &Actor, decision_id: &str, now: DateTime<Utc>) -> Result<Dossier, Error> {
        self.accountable(actor, "dossier")?;
        // The dossier is hashed whole and cannot be redacted: a reader the veil hides anything from gets none.
        let d = self.load(decision_id).await?;
        if let Some(w) = Veil::for_reader(&d, actor).whole() {
            return Err(Error::Refused(
                w.refusal(Detail::new(format!("决策事项 {decision_id} 的案卷"), format!("dossier of {decision_id}"))),
            ));
        }
        acc::build_dossier(self.store().as_ref(), decision_id, now).await.map_err(|e| match e {
            DossierError::NotFound(id) => Error::NotFound(id),
            DossierError::Store(s) => s.into(),
            other => Error::Store(StoreError::Corrupt(other.to_string())),
        })
    }

    /// The annual work report of `organ` for `year`, as of `now`.
    pub async fn annual_report(
        &self,
        actor: &Actor,
        organ: &str,
        year: i32,
        now: DateTime<Utc>,
    ) -> Result<AnnualReport, Error> {
        self.accountable(actor, "annual_report")?;
        report::current(self, organ, year, now).await
    }

    /// Issue the organ's annual report under its number (the general office only), printing `anchor`, the
    /// record's last anchor; or return the one issued, unchanged.
    pub async fn issue_annual_report(
        &self,
        actor: &Actor,
        organ: &str,
        year: i32,
        now: DateTime<Utc>,
        anchor: Option<String>,
    ) -> Result<report::Issued, Error> {
        report::issue(self, actor, organ, year, now, anchor).await
    }
}
