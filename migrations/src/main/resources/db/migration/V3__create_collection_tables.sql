-- Collection: the last round of every group, and user-defined SQL metrics (seed 001 M5).

CREATE TABLE collection_rounds (
  group_name     VARCHAR(64)  NOT NULL PRIMARY KEY,
  round_no       BIGINT       NOT NULL,
  started_at     TIMESTAMP(3) NOT NULL,
  duration_ms    BIGINT       NOT NULL,
  targets_ok     INT          NOT NULL,
  targets_failed INT          NOT NULL,
  errors_json    MEDIUMTEXT   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE custom_metrics (
  name            VARCHAR(64)  NOT NULL PRIMARY KEY,
  sql_text        TEXT         NOT NULL,
  value_column    VARCHAR(64)  NOT NULL,
  label_columns   TEXT         NOT NULL,
  selector_json   TEXT         NOT NULL,
  interval_seconds INT         NOT NULL,
  max_rows        INT          NOT NULL,
  help            VARCHAR(255) NULL,
  created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

ALTER TABLE collection_snapshots
  ADD COLUMN identity_json TEXT NULL AFTER group_name;
