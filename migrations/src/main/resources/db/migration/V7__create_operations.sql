-- Day-2 operations (DESIGN §4b). One row per operation; its steps are task_steps rows under the
-- operation id, like a creation's. instance_list.operation_id holds the running one (one at a time).
CREATE TABLE operations (
  op_id         VARCHAR(128) NOT NULL PRIMARY KEY,
  ins_id        VARCHAR(64)  NOT NULL,
  seq           INT          NOT NULL,
  op_type       VARCHAR(32)  NOT NULL,
  trigger_kind  VARCHAR(8)   NOT NULL,
  status        VARCHAR(16)  NOT NULL,
  params_json   TEXT         NULL,
  error_message TEXT         NULL,
  started_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  finished_at   TIMESTAMP(3) NULL,
  UNIQUE KEY uk_operation_seq (ins_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

ALTER TABLE instance_list
  ADD COLUMN operation_id VARCHAR(128) NULL,
  ADD COLUMN auto_failover TINYINT NOT NULL DEFAULT 1,
  ADD COLUMN last_auto_failover_at TIMESTAMP(3) NULL;

-- A node keeps the name it was created with (role: its directory, server id, task queue); serves_as
-- is the role it serves in now (NULL: the one it was created with). needs_rebuild: a failed master
-- that must be rebuilt before it serves again.
ALTER TABLE instance_nodes
  ADD COLUMN serves_as VARCHAR(16) NULL,
  ADD COLUMN needs_rebuild TINYINT NOT NULL DEFAULT 0;
