-- 0010 record seals (SQLite): each audit record carries the SHA-256 of the
-- decision's state after its act and an Ed25519 signature by the server key
-- (kept outside the database) over the record's hash and that state hash
-- (engine::anchor). A DBA can rewrite rows but cannot sign: `juece audit
-- verify` with the public key names a re-chained, forged or edited record,
-- and a state that no longer matches its record.
-- Null in records written before this migration (or by a process without a
-- key): the first anchor vouches for those.
alter table audit_records add column state_sha256 text null;
alter table audit_records add column signature text null;
