package io.rdsflow.workflows.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A day-2 operation on an existing instance (DESIGN §4b). Serialized and stored as its {@link #wire()} string. */
public enum OperationType {
  /** Planned: the master stops writes, the slave catches up and becomes the master. */
  SWITCHOVER("switchover"),
  /** Unplanned: the master is gone; the slave becomes the master, the old master is fenced. */
  FAILOVER("failover"),
  /** One node, or every node rolling (slave, switchover, old master). */
  RESTART("restart"),
  /**
   * The slave (a broken replica, or the old master fenced by a failover) re-created from a physical copy of the
   * master, replicating again from the copy's GTID; the master replicates from it again (dual-master).
   */
  REBUILD("rebuild"),
  /** A full physical backup into the backup directory, from the slave when there is a working one, else the master. */
  BACKUP("backup"),
  /** Server parameters changed: dynamic ones live on every node, all of them in my.cnf; static ones by a rolling restart. */
  MODIFY_PARAMETERS("modify-parameters"),
  /** aliyun: another instance class or storage size (ModifyDBInstanceSpec); local: a 422. */
  RESIZE("resize"),
  /** aliyun: the newest minor version of the engine (UpgradeDBInstanceKernelVersion); local: a 422. */
  UPGRADE_MINOR("upgrade-minor");

  private final String wire;

  OperationType(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  /** The value of a wire string; null stays null. */
  @JsonCreator
  public static OperationType of(String wire) {
    if (wire == null) {
      return null;
    }
    return Arrays.stream(values()).filter(v -> v.wire.equals(wire)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown operation type: " + wire));
  }

  /** The wire strings, for error messages: {@code switchover, failover, ...}. */
  public static String allowed() {
    return Arrays.stream(values()).map(OperationType::wire).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return wire;
  }
}
