-- Backups (issue 12). One row per backup file under backup.dir (<dir>/<instanceId>/<kind>/<backupId>...).
-- No foreign key: a backup outlives its instance until retention removes it (file and row).
-- kind: 'full' (a physical copy, or a logical dump when method says so); other kinds may follow.
CREATE TABLE backups (
  backup_id     VARCHAR(160)  NOT NULL PRIMARY KEY,
  ins_id        VARCHAR(64)   NOT NULL,
  op_id         VARCHAR(128)  NULL,
  kind          VARCHAR(16)   NOT NULL,
  node          VARCHAR(16)   NULL,
  host          VARCHAR(255)  NULL,
  method        VARCHAR(32)   NOT NULL,
  status        VARCHAR(16)   NOT NULL,
  started_at    TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  finished_at   TIMESTAMP(3)  NULL,
  size_bytes    BIGINT        NULL,
  gtid          VARCHAR(1024) NULL,
  binlog_file   VARCHAR(255)  NULL,
  binlog_pos    BIGINT        NULL,
  checksum      CHAR(64)      NULL,
  path          VARCHAR(1024) NULL,
  error_message TEXT          NULL,
  KEY idx_backups_instance (ins_id, started_at),
  KEY idx_backups_operation (op_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
