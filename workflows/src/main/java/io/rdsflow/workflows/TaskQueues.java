package io.rdsflow.workflows;

/** The task queues of DESIGN §3. */
public final class TaskQueues {
  /** Workflows and metadata activities. */
  public static final String CONTROL = "rdsflow-control";
  /** Cloud API calls. */
  public static final String ALIYUN = "aliyun";
  /** Collection workflows and collectors. */
  public static final String COLLECT = "collect";

  private TaskQueues() {}

  /** Host-engine steps on that host. */
  public static String host(String hostName) {
    return "host." + hostName;
  }
}
