-- Backups taken in the cloud (issue 12, aliyun engine): a backup operation on an aliyun instance asks Alibaba Cloud RDS
-- for a physical full backup (CreateBackup). Its row in backups (node 'instance', path NULL) keeps the cloud's job id,
-- so a retried step does not ask again, and the id of the cloud's backup set, which CloneDBInstance restores.
ALTER TABLE backups
  ADD COLUMN cloud_job_id    VARCHAR(32) NULL,
  ADD COLUMN cloud_backup_id VARCHAR(64) NULL,
  ADD KEY idx_backups_cloud (cloud_backup_id);
