-- When the running removal of an instance began (DeleteInstance, or compensation of a failed or
-- cancelled creation removing its cloud instance): shown as deletingSince while the status is DELETING,
-- and where the aliyun engine counts aliyun.deleteTimeout from before it gives up (FAILED).
ALTER TABLE instance_list
  ADD COLUMN deleting_since TIMESTAMP(3) NULL AFTER error_message;
