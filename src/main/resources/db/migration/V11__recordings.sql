-- Meetings recorded on the server: one row per recording, one per track file written while it ran (a participant's
-- microphone, camera or screen share; a new file each time they publish again), the composed file made after it,
-- and the admin's settings (retention, disk quota). Files lie under the data folder, one folder per recording named
-- by its id; rows go with their room (on delete cascade) and the files with them (swept by RecordingRetention).
alter table room add column auto_record boolean default false not null;

create table recording_settings (
    id              integer                  not null primary key,
    retention_days  integer                  not null,
    quota_mb        bigint                   not null,
    updated_at      timestamp with time zone not null,
    constraint ck_recording_settings_one_row check (id = 1),
    constraint ck_recording_settings_retention check (retention_days between 1 and 3650),
    constraint ck_recording_settings_quota check (quota_mb between 100 and 104857600)
);
insert into recording_settings (id, retention_days, quota_mb, updated_at) values (1, 30, 51200, current_timestamp);

create table recording (
    id                  varchar(32)              not null primary key,
    room_id             bigint                   not null,
    started_by          varchar(100)             not null,
    started_at          timestamp with time zone not null,
    ended_at            timestamp with time zone,
    state               varchar(16)              not null,
    stop_reason         varchar(32),
    interrupted         boolean                  default false not null,
    compose_progress    integer                  default 0 not null,
    composed_bytes      bigint,
    duration_ms         bigint,
    error               varchar(500),
    constraint fk_recording_room foreign key (room_id) references room (id) on delete cascade,
    constraint ck_recording_state check (state in ('RECORDING', 'COMPOSING', 'READY', 'FAILED')),
    constraint ck_recording_progress check (compose_progress between 0 and 100)
);
create index ix_recording_room on recording (room_id, started_at);
create index ix_recording_state on recording (state);

create table recording_track (
    id                  varchar(32)              not null primary key,
    recording_id        varchar(32)              not null,
    participant_id      varchar(64)              not null,
    participant_name    varchar(100)             not null,
    kind                varchar(8)               not null,
    source              varchar(16)              not null,
    codec               varchar(16)              not null,
    file_name           varchar(100)             not null,
    started_ms          bigint                   not null,
    ended_ms            bigint,
    size_bytes          bigint,
    pid                 bigint,
    state               varchar(16)              not null,
    constraint fk_recording_track_recording foreign key (recording_id) references recording (id) on delete cascade,
    constraint ck_recording_track_state check (state in ('RECORDING', 'COMPLETE', 'RECOVERED', 'DAMAGED'))
);
create index ix_recording_track_recording on recording_track (recording_id, started_ms);
