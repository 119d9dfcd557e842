package io.rdsflow.workflows.operate;

import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.steps.PlannedStep;
import io.rdsflow.workflows.steps.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of each local operation. Nodes are named by the role they were created with
 * ({@code master}/{@code slave}: their directory, server id and task queue follow that name); which of
 * them serves as master now is the caller's {@code writer}. {@link Target#MASTER_HOST} is the host of
 * the node named master, {@link Target#SLAVE_HOST} the host of the node named slave.
 */
public final class OperationPlans {
  public static final String CHECK_REPLICA = "rdsflow_check_replica";
  public static final String STOP_WRITES = "rdsflow_stop_writes";
  public static final String WAIT_REPLICA_APPLIED = "rdsflow_wait_replica_applied";
  public static final String OPEN_WRITES = "rdsflow_open_writes";
  public static final String SWAP_ROLES = "rdsflow_swap_roles";
  public static final String CONFIRM_MASTER_DOWN = "rdsflow_confirm_master_down";
  public static final String DETACH_REPLICA = "rdsflow_detach_replica";
  public static final String MARK_FOR_REBUILD = "rdsflow_mark_node_for_rebuild";
  public static final String FENCE_NODE = "rdsflow_fence_node";
  public static final String RESTART_NODE = "rdsflow_restart_node";
  /** Rebuild, on the writer's host: a streamed, compressed physical copy of the writer into the staging directory. */
  public static final String COPY_WRITER = "rdsflow_copy_master_for_rebuild";
  /** Rebuild, on the rebuilt node's host: its data replaced by the copy, replicating from the writer again. */
  public static final String RESTORE_FROM_COPY = "rdsflow_restore_node_from_copy";
  /** Rebuild, on the writer's host: the writer replicates from the rebuilt node again (dual-master). */
  public static final String FOLLOW_REBUILT_NODE = "rdsflow_replicate_from_rebuilt_node";
  /** Rebuild, control: the node's rebuild mark is cleared. */
  public static final String CLEAR_REBUILD_MARK = "rdsflow_clear_rebuild_mark";
  public static final String POINT_PROXY = "rdsflow_point_proxy";
  /** Backup, on the backed-up node's host: a full backup into the backup directory, recorded in {@code backups}. */
  public static final String TAKE_FULL_BACKUP = "rdsflow_take_full_backup";

  /** Fact: the GTID position at which the old writer stopped writes. */
  public static final String FACT_STOPPED_AT = "stoppedAt";
  /** Fact, from the start: who started the operation ({@code api} or {@code auto}). */
  public static final String FACT_TRIGGER = "trigger";
  /** Fact: the node that was made writable. */
  public static final String FACT_OPENED = "opened";
  /** Fact: the path of the physical copy a rebuild restores (in the instance's staging directory). */
  public static final String FACT_COPY = "copy";
  /** Fact: the GTID position the physical copy is consistent at. */
  public static final String FACT_COPY_GTID = "copyGtid";

  /** A plan and what undoes a failure of the steps {@code undoFrom} to {@code commitSeq - 1} (see {@link OperationInput}). */
  public record Plan(List<PlannedStep> steps, List<PlannedStep> undo, int undoFrom, int commitSeq) {}

  private OperationPlans() {}

  /** Planned switchover from {@code writer} to the other node; nothing acknowledged is lost. */
  public static Plan switchover(Role writer) {
    Builder b = new Builder();
    addSwitchover(b, writer);
    return b.build();
  }

  /** The writer is gone: the other node takes over, the old writer is fenced and marked for rebuild. */
  public static Plan failover(Role writer) {
    Role reader = other(writer);
    Builder b = new Builder();
    b.step(CONFIRM_MASTER_DOWN, reader);
    b.step(DETACH_REPLICA, reader);
    b.step(OPEN_WRITES, reader);
    b.commit();
    b.step(SWAP_ROLES, Role.INSTANCE);
    b.control(MARK_FOR_REBUILD, writer);
    b.proxy();
    b.step(FENCE_NODE, writer);
    return b.build();
  }

  /**
   * One node restarted ({@code node} non-null), or all of them: a master-slave pair rolls (the reader,
   * a switchover, the old writer) so writes stop only for the switchover. Without a working pair
   * ({@code masterSlave} false: single, or a slave waiting to be rebuilt) the writer restarts alone.
   */
  public static Plan restart(Role writer, Role node, boolean masterSlave) {
    Builder b = new Builder();
    if (!masterSlave) {
      b.step(RESTART_NODE, writer);
      return b.build();
    }
    Role reader = other(writer);
    if (node == null || node == reader) {
      b.step(RESTART_NODE, reader);
    }
    if (node == null || node == writer) {
      addSwitchover(b, writer);
      b.step(RESTART_NODE, writer);
    }
    return b.build();
  }

  /**
   * The reader {@code node} re-created from a physical copy of the {@code writer}: the copy is taken first
   * (the node untouched if that fails), then the node is marked for rebuild, so a failure from there on
   * leaves it marked; the mark is cleared once it replicates and the writer replicates from it again.
   */
  public static Plan rebuild(Role writer, Role node) {
    Builder b = new Builder();
    b.step(COPY_WRITER, writer);
    b.control(MARK_FOR_REBUILD, node);
    b.step(RESTORE_FROM_COPY, node);
    b.step(FOLLOW_REBUILT_NODE, writer);
    b.control(CLEAR_REBUILD_MARK, node);
    b.proxy(); // the reader leads to the rebuilt slave again
    return b.build();
  }

  /**
   * A full backup of the node serving as slave ({@code writer}'s peer) unless there is none ({@code masterSlave} false)
   * or it waits for a rebuild ({@code needsRebuild}); else of the writer.
   */
  public static Plan backup(Role writer, boolean masterSlave, java.util.Optional<Role> needsRebuild) {
    Role reader = other(writer);
    boolean slave = masterSlave && needsRebuild.filter(r -> r == reader).isEmpty();
    Builder b = new Builder();
    b.step(TAKE_FULL_BACKUP, slave ? reader : writer);
    return b.build();
  }

  private static void addSwitchover(Builder b, Role writer) {
    Role reader = other(writer);
    b.step(CHECK_REPLICA, reader);
    b.undoable();
    b.step(STOP_WRITES, writer);
    b.step(WAIT_REPLICA_APPLIED, reader);
    b.step(OPEN_WRITES, reader);
    b.commit();
    b.step(SWAP_ROLES, Role.INSTANCE);
    b.proxy();
    b.undo(STOP_WRITES, reader); // the intended writer closed again, then
    b.undo(OPEN_WRITES, writer); // the old writer open again: never two writable nodes
  }

  public static Role other(Role node) {
    return node == Role.MASTER ? Role.SLAVE : Role.MASTER;
  }

  private static Target target(Role node) {
    return switch (node) {
      case MASTER -> Target.MASTER_HOST;
      case SLAVE -> Target.SLAVE_HOST;
      case INSTANCE -> Target.CONTROL;
      case WRITER, READER -> throw new IllegalArgumentException("an endpoint is not a node: " + node);
    };
  }

  /** Numbers the rows: steps first, undo rows after them (recorded, run only when needed). */
  private static final class Builder {
    private final List<PlannedStep> steps = new ArrayList<>();
    private final List<PlannedStep> undo = new ArrayList<>();
    private int undoFrom = Integer.MAX_VALUE;
    private int commitSeq = Integer.MAX_VALUE;

    void step(String name, Role node) {
      int seq = steps.size() + 1;
      steps.add(new PlannedStep(seq, seq, name, node, target(node), null));
    }

    /** The proxy re-pointed, on its host: the host of the node created as master. */
    void proxy() {
      int seq = steps.size() + 1;
      steps.add(new PlannedStep(seq, seq, POINT_PROXY, Role.INSTANCE, Target.MASTER_HOST, null));
    }

    /** A metadata step about {@code node}, on the control queue. */
    void control(String name, Role node) {
      int seq = steps.size() + 1;
      steps.add(new PlannedStep(seq, seq, name, node, Target.CONTROL, null));
    }

    /** A failure of the next step or a later one (until the commit) is undone. */
    void undoable() {
      undoFrom = Math.min(undoFrom, steps.size() + 1);
    }

    /** The next step is the first whose failure no longer undoes the operation. */
    void commit() {
      commitSeq = Math.min(commitSeq, steps.size() + 1);
    }

    /** An undo row: numbered after the steps once the plan is built. */
    void undo(String name, Role node) {
      if (undo.size() < 2) { // a rolling restart has one switchover: its undo rows once
        undo.add(new PlannedStep(0, 0, name, node, target(node), null));
      }
    }

    Plan build() {
      List<PlannedStep> numbered = new ArrayList<>();
      for (PlannedStep u : undo) {
        int seq = steps.size() + numbered.size() + 1;
        numbered.add(new PlannedStep(seq, seq, u.name(), u.role(), u.target(), null));
      }
      return new Plan(List.copyOf(steps), List.copyOf(numbered), undoFrom, commitSeq);
    }
  }
}
