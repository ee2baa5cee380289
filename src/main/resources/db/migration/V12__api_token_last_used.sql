-- When each REST API token was last used (dev.parley.api.ApiTokenUses): written at most once a minute per token, so
-- that requests do not each write; null until its first use.
alter table api_token add column last_used_at timestamp with time zone;
