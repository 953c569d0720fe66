-- PostgreSQL's half of this pair sets lz4 compression on the large values it
-- rewrites on every act. SQLite stores values uncompressed: nothing to change. The
-- file exists so both folders stay in lockstep.
select 1;
