-- A file's name may have 200 characters (SharedFiles.MAX_NAME), each of up to two UTF-16 units, which is what H2
-- counts in a varchar's length: a name of 130 emoji failed its insert on H2. (PostgreSQL counts characters.)
alter table shared_file alter column name set data type varchar(400);
