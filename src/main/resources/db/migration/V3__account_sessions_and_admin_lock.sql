-- Raised whenever an account's existing sessions must end (password changed or reset, account disabled); every
-- signed-in request compares it with the value its session was opened with.
alter table user_account add column session_epoch bigint default 0 not null;

-- One row that every change able to remove an admin locks first (select ... for update), so "at least one active
-- admin" holds under concurrent requests on every node and database.
create table admin_lock (
    id integer primary key
);
insert into admin_lock (id) values (1);
