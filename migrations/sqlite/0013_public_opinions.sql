-- 0013 public opinions out of the decision's state (SQLite). The twin of postgres/0013_public_opinions.sql.

-- What the public sends — comments in a consultation, feedback on a
-- published decision, suggestions that a hearing be held — one row each,
-- never rewritten with the decision's state: a comment's cost does not grow
-- with the comments before it. `seq` numbers each kind on its decision from
-- 1; `chain_hash` links each row to the one before it of its kind (see
-- `ledger::chain`), and `opinion_heads` holds the head, which the decision's
-- record carries when the period closes. `cluster` is the `seq` of the
-- first opinion of its campaign (its own when it has none); how many a
-- campaign has is in `opinion_campaigns`. `norm_sha` finds identical texts,
-- `signature` (a MinHash) and its four bands near-identical ones.
-- `settled` is the disposition (JSON; its outcome also in `outcome`, to
-- filter by) and `hidden` the moderation (JSON), each written by a
-- drafter's act on the decision's record; the content is never changed or
-- deleted.
create table opinions (
    decision_id text not null references decisions (id),
    kind text not null,
    seq integer not null,
    notice integer null,
    content text not null,
    submitter text null,
    received_at text not null,
    receipt text not null unique,
    content_sha256 text not null,
    chain_hash text not null,
    norm_sha text not null,
    signature text not null,
    band0 integer not null,
    band1 integer not null,
    band2 integer not null,
    band3 integer not null,
    cluster integer not null,
    settled text null,
    outcome text null,
    hidden text null,
    primary key (decision_id, kind, seq)
);
create index opinions_by_cluster on opinions (decision_id, kind, cluster, seq);
-- One row per distinct opinion, in order: the ledger's first page and the campaigns' list.
create index opinions_leaders on opinions (decision_id, kind, seq) where cluster = seq;
create index opinions_by_norm on opinions (norm_sha, decision_id, kind) where cluster = seq;
create index opinions_by_band0 on opinions (band0, decision_id, kind) where cluster = seq;
create index opinions_by_band1 on opinions (band1, decision_id, kind) where cluster = seq;
create index opinions_by_band2 on opinions (band2, decision_id, kind) where cluster = seq;
create index opinions_by_band3 on opinions (band3, decision_id, kind) where cluster = seq;
-- What was received is never rewritten or removed: only what the drafters'
-- acts write (campaign, disposition, moderation) changes.
create trigger opinions_received_fixed
    before update of decision_id, kind, seq, notice, content, submitter, received_at, receipt, content_sha256,
        chain_hash, norm_sha, signature on opinions
begin
    select raise(abort, 'an opinion as received is never rewritten');
end;
create trigger opinions_no_delete before delete on opinions
begin
    select raise(abort, 'opinions are never deleted');
end;
create index opinions_open on opinions (decision_id, kind, cluster) where settled is null and hidden is null;

-- How many opinions each campaign has (its leader included): a narrow row,
-- added to once per campaign per batch, so a campaign of a hundred thousand
-- letters never rewrites its leader's wide, many-times-indexed row.
create table opinion_campaigns (
    decision_id text not null references decisions (id),
    kind text not null,
    leader integer not null,
    members integer not null,
    primary key (decision_id, kind, leader)
);

-- The count and chain head of each kind on each decision: the next row's
-- number and the hash it links to, read and written in the row's transaction.
create table opinion_heads (
    decision_id text not null references decisions (id),
    kind text not null,
    count integer not null,
    head text not null,
    primary key (decision_id, kind)
);

-- Full-text search that works for Chinese: trigrams, so any three
-- characters find the texts that hold them (no word segmentation needed).
create virtual table opinion_text using fts5 (content, content = 'opinions', tokenize = 'trigram');
create trigger opinions_text_insert after insert on opinions begin
    insert into opinion_text (rowid, content) values (new.rowid, new.content);
end;

-- One-off upgrades the server runs in code after the migrations, each once:
-- here, copying the opinions decisions recorded in their state before this
-- migration into rows (the state keeps what it recorded).
create table upgrades (
    name text primary key,
    done_at text not null
);
