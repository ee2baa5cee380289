-- Rooms may hold up to 500 people (a webinar spread over several nodes by cascading, docs/scaling.md); the form
-- (RoomForm.MAX_PARTICIPANTS_LIMIT) says so too.
alter table room drop constraint ck_room_max_participants;
alter table room add constraint ck_room_max_participants check (max_participants between 2 and 500);
