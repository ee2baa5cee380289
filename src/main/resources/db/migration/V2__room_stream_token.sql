-- A per-room bearer token for WHIP ingest and WHEP playback, shown to the room's host.
alter table room add column stream_token varchar(64);
