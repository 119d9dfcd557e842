-- The aliyun engine: which Alibaba Cloud RDS instance stands behind an instance row, and how rdsflow
-- came to it. cloud_state: CREATE_SENT (CreateDBInstance sent, answer not seen yet), CREATED (rdsflow
-- created it: delete and compensation remove it), REGISTERED (POST /v1/instances/register: rdsflow only
-- monitors it and never deletes it), RELEASED (rdsflow deleted it).

ALTER TABLE instance_list
  ADD COLUMN cloud_instance_id VARCHAR(64) NULL AFTER region_id,
  ADD COLUMN cloud_state       VARCHAR(16) NULL AFTER cloud_instance_id,
  ADD UNIQUE KEY uk_instance_cloud_id (cloud_instance_id);
