package io.rdsflow.testkit.aliyun;

import java.time.Duration;
import java.time.Instant;

/** An asynchronous RDS task as listed by DescribeTasks (Items.TaskProgressInfo[]). */
record RdsTask(String taskId, String instanceId, String action, String dbName, Instant begin, Instant finishAt) {

    static final String RUNNING = "Running";
    static final String FINISHED = "Finished";

    String status(Instant now) {
        return now.isBefore(finishAt) ? RUNNING : FINISHED;
    }

    int progressPercent(Instant now) {
        if (!now.isBefore(finishAt)) {
            return 100;
        }
        long total = Math.max(1, Duration.between(begin, finishAt).toMillis());
        long done = Math.max(0, Duration.between(begin, now).toMillis());
        return (int) Math.min(99, done * 100 / total);
    }

    int remainSeconds(Instant now) {
        return now.isBefore(finishAt) ? (int) Math.max(1, Duration.between(now, finishAt).toSeconds()) : 0;
    }
}
