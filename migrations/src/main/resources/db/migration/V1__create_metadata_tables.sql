-- The metadata database of rdsflow. Table names follow the seeds (instance_list, aliyun_accounts,
-- mycnf_custinstance); append new migrations, never edit this one once released.

CREATE TABLE settings (
  name        VARCHAR(64)  NOT NULL PRIMARY KEY,
  value       TEXT         NOT NULL,
  updated_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE api_users (
  username       VARCHAR(64)  NOT NULL PRIMARY KEY,
  role           VARCHAR(16)  NOT NULL,
  password_hash  VARCHAR(255) NOT NULL,
  created_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE aliyun_accounts (
  aliyun_uid                  VARCHAR(32)  NOT NULL PRIMARY KEY,
  name                        VARCHAR(64)  NULL,
  access_key_id               VARCHAR(128) NOT NULL,
  access_key_secret_encrypted TEXT         NOT NULL,
  region_id                   VARCHAR(64)  NOT NULL,
  created_at                  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at                  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE instance_list (
  ins_id            VARCHAR(64)  NOT NULL PRIMARY KEY,
  ins_name          VARCHAR(64)  NOT NULL,
  engine            VARCHAR(16)  NOT NULL,
  engine_version    VARCHAR(32)  NULL,
  ins_type          VARCHAR(32)  NOT NULL DEFAULT 'rds',
  topology          VARCHAR(16)  NOT NULL DEFAULT 'single',
  ins_status        VARCHAR(16)  NOT NULL,
  ins_is_readonly   TINYINT      NOT NULL DEFAULT 0,
  aliyun_uid        VARCHAR(32)  NULL,
  region_id         VARCHAR(64)  NULL,
  client_token      VARCHAR(64)  NULL,
  request_json      MEDIUMTEXT   NULL,
  labels_json       TEXT         NULL,
  monitor_user      VARCHAR(64)  NULL,
  monitor_password_encrypted TEXT NULL,
  root_password_encrypted    TEXT NULL,
  error_message     TEXT         NULL,
  created_at        TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at        TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uk_instance_client_token (client_token),
  KEY idx_instance_name (ins_name),
  KEY idx_instance_uid (aliyun_uid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE instance_nodes (
  ins_id     VARCHAR(64)  NOT NULL,
  role       VARCHAR(16)  NOT NULL,
  host       VARCHAR(255) NOT NULL,
  port       INT          NOT NULL,
  base_dir   VARCHAR(512) NULL,
  pid        BIGINT       NULL,
  PRIMARY KEY (ins_id, role)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One row per (host, port) in use; the primary key makes allocation atomic.
CREATE TABLE port_allocations (
  host       VARCHAR(255) NOT NULL,
  port       INT          NOT NULL,
  ins_id     VARCHAR(64)  NOT NULL,
  role       VARCHAR(16)  NOT NULL,
  PRIMARY KEY (host, port),
  UNIQUE KEY uk_port_owner (ins_id, role)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE mycnf_custinstance (
  ins_id      VARCHAR(64)  NOT NULL,
  name        VARCHAR(64)  NOT NULL,
  value       VARCHAR(255) NOT NULL,
  source      VARCHAR(16)  NOT NULL,
  PRIMARY KEY (ins_id, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE instance_accounts (
  ins_id              VARCHAR(64)  NOT NULL,
  account_name        VARCHAR(32)  NOT NULL,
  password_encrypted  TEXT         NOT NULL,
  privileges_json     TEXT         NOT NULL,
  status              VARCHAR(16)  NOT NULL,
  PRIMARY KEY (ins_id, account_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE instance_databases (
  ins_id      VARCHAR(64) NOT NULL,
  db_name     VARCHAR(64) NOT NULL,
  charset     VARCHAR(32) NOT NULL,
  status      VARCHAR(16) NOT NULL,
  PRIMARY KEY (ins_id, db_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE instance_whitelist (
  ins_id      VARCHAR(64) NOT NULL,
  entry       VARCHAR(64) NOT NULL,
  PRIMARY KEY (ins_id, entry)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE backup_plans (
  ins_id          VARCHAR(64)  NOT NULL PRIMARY KEY,
  retention_days  INT          NOT NULL,
  preferred_time  VARCHAR(16)  NOT NULL,
  last_backup_at  TIMESTAMP(3) NULL,
  last_backup_file VARCHAR(512) NULL,
  last_backup_bytes BIGINT     NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE tasks (
  workflow_id   VARCHAR(128) NOT NULL PRIMARY KEY,
  ins_id        VARCHAR(64)  NOT NULL,
  kind          VARCHAR(16)  NOT NULL,
  status        VARCHAR(16)  NOT NULL,
  error_message TEXT         NULL,
  created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY idx_tasks_instance (ins_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE task_steps (
  workflow_id  VARCHAR(128) NOT NULL,
  seq          INT          NOT NULL,
  step_name    VARCHAR(96)  NOT NULL,
  role         VARCHAR(16)  NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  attempt      INT          NOT NULL DEFAULT 0,
  started_at   TIMESTAMP(3) NULL,
  finished_at  TIMESTAMP(3) NULL,
  message      TEXT         NULL,
  PRIMARY KEY (workflow_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE collection_snapshots (
  target_id     VARCHAR(64)  NOT NULL PRIMARY KEY,
  group_name    VARCHAR(64)  NOT NULL,
  collected_at  TIMESTAMP(3) NOT NULL,
  period_ms     BIGINT       NOT NULL,
  ok            TINYINT      NOT NULL,
  error_message TEXT         NULL,
  samples_json  MEDIUMTEXT   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
