-- Hosts that run an rdsflow agent (the local engine places instances on them), and the columns the
-- local engine's steps record.

CREATE TABLE hosts (
  host_name      VARCHAR(128) NOT NULL PRIMARY KEY,
  address        VARCHAR(255) NOT NULL,
  base_dir       VARCHAR(512) NOT NULL,
  server_flavor  VARCHAR(16)  NOT NULL,
  server_version VARCHAR(32)  NOT NULL,
  port_range     VARCHAR(16)  NOT NULL,
  last_seen      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

ALTER TABLE instance_list
  ADD COLUMN minor_version   VARCHAR(32) NULL AFTER engine_version,
  ADD COLUMN monitor_enabled TINYINT     NOT NULL DEFAULT 0 AFTER monitor_password_encrypted;

-- kind: 'user' for accounts the request asked for, 'system' for rdsflow's own (admin, monitor, repl).
ALTER TABLE instance_accounts
  ADD COLUMN kind  VARCHAR(8) NOT NULL DEFAULT 'user' AFTER account_name;

ALTER TABLE instance_whitelist
  ADD COLUMN kind  VARCHAR(8) NOT NULL DEFAULT 'user' AFTER entry,
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (ins_id, kind, entry);

ALTER TABLE backup_plans
  ADD COLUMN binlog_retention_days INT NULL AFTER preferred_time,
  ADD COLUMN last_backup_method VARCHAR(32) NULL;
