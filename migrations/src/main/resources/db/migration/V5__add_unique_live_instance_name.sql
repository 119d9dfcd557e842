-- One live instance per name, enforced by the database (two concurrent CreateInstance calls with one
-- name used to both pass the application's check). DELETED and FAILED instances give their name back:
-- their live_name is NULL, and a unique key allows any number of NULLs.
ALTER TABLE instance_list
  ADD COLUMN live_name VARCHAR(64) GENERATED ALWAYS AS (IF(ins_status IN ('DELETED', 'FAILED'), NULL, ins_name)) STORED,
  ADD UNIQUE KEY uk_instance_live_name (live_name);
