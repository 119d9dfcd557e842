-- Binlog archive (issue 12): each closed binlog of an instance's serving master copied to
-- <backup.dir>/<ins_id>/binlog/<node>/<first event epoch>.<file name>. A node's binlog names restart
-- after a rebuild, so a file is known by node, name and the time it was opened (first_event_at).
-- first_event_at/last_event_at: the binlog events' own times, epoch seconds (UTC, whatever the server's time zone).
-- gtid_start: the binlog's Gtid_list (the GTID position before its first transaction).
CREATE TABLE binlog_archive (
  id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ins_id         VARCHAR(64)  NOT NULL,
  node           VARCHAR(16)  NOT NULL,
  file_name      VARCHAR(255) NOT NULL,
  archive_path   VARCHAR(1024) NOT NULL,
  first_event_at BIGINT       NOT NULL,
  last_event_at  BIGINT       NOT NULL,
  gtid_start     TEXT         NULL,
  size_bytes     BIGINT       NOT NULL,
  sha256         CHAR(64)     NOT NULL,
  archived_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uk_binlog_archive_file (ins_id, node, file_name, first_event_at),
  KEY ix_binlog_archive_last (ins_id, last_event_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
