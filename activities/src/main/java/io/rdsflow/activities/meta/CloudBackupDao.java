package io.rdsflow.activities.meta;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The cloud side of a backup taken by Alibaba Cloud RDS ({@code backups.cloud_job_id}, {@code cloud_backup_id}, see
 * V11__cloud_backups.sql): the row itself is a {@link BackupDao} row like a local backup's (node {@code instance},
 * method {@link #METHOD}, no host, no path).
 */
public final class CloudBackupDao {
  /** The method of a backup the cloud takes: a physical backup set of RDS. */
  public static final String METHOD = "aliyun-physical";
  /** The node of a cloud backup: the whole instance (the cloud picks its node). */
  public static final String NODE = "instance";

  /** A cloud backup: rdsflow's id, the cloud's BackupJobId and BackupId (null until known), status and finish. */
  public record CloudBackup(String backupId, String instanceId, String jobId, String cloudBackupId, String status,
      Instant finishedAt) {}

  private final Jdbi jdbi;

  public CloudBackupDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** CreateBackup was accepted with this BackupJobId. */
  public void jobSent(String backupId, String jobId) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE backups SET cloud_job_id = :j WHERE backup_id = :b")
        .bind("j", jobId).bind("b", backupId).execute());
  }

  /** The backup set the job made. */
  public void backupSet(String backupId, String cloudBackupId) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE backups SET cloud_backup_id = :c WHERE backup_id = :b")
        .bind("c", cloudBackupId).bind("b", backupId).execute());
  }

  /** The cloud backup recorded by an operation (a retried step finds its first attempt's). */
  public Optional<CloudBackup> ofOperation(String operationId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM backups WHERE op_id = :o AND method = :m ORDER BY started_at DESC")
        .bind("o", operationId).bind("m", METHOD).map((rs, ctx) -> row(rs)).findFirst());
  }

  /** A cloud backup of {@code instanceId} named by rdsflow's backup id or by the cloud's BackupId. */
  public Optional<CloudBackup> find(String instanceId, String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM backups WHERE ins_id = :i AND method = :m "
            + "AND (backup_id = :id OR cloud_backup_id = :id) ORDER BY started_at DESC")
        .bind("i", instanceId).bind("m", METHOD).bind("id", id).map((rs, ctx) -> row(rs)).findFirst());
  }

  /** When the oldest successful cloud backup of the instance was seen finished: the start of its recovery window. */
  public Optional<Instant> oldestFinished(String instanceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT MIN(finished_at) FROM backups WHERE ins_id = :i AND method = :m "
            + "AND status = :s AND cloud_backup_id IS NOT NULL")
        .bind("i", instanceId).bind("m", METHOD).bind("s", BackupDao.SUCCEEDED).mapTo(Timestamp.class).findOne())
        .map(Timestamp::toInstant);
  }

  private static CloudBackup row(java.sql.ResultSet rs) throws java.sql.SQLException {
    Timestamp finished = rs.getTimestamp("finished_at");
    return new CloudBackup(rs.getString("backup_id"), rs.getString("ins_id"), rs.getString("cloud_job_id"),
        rs.getString("cloud_backup_id"), rs.getString("status"), finished == null ? null : finished.toInstant());
  }
}
