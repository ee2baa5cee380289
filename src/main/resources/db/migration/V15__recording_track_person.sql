-- Who a track's participant is across leaving and rejoining (an account, a browser session, or the participant
-- itself), so that the composed video gives one person one tile; null for tracks recorded before.
alter table recording_track add column person_key varchar(80);
