package io.rdsflow.testkit.aliyun;

import java.util.Objects;

/**
 * One MySQL session (a processlist row) as DAS GetMySQLAllSessionAsync reports it in
 * {@code Data.SessionData.SessionList[]}. A session is "active" unless its command is
 * {@code Sleep}. {@code client} is {@code host:port}; stats group by the host part.
 */
public record DasSession(long sessionId, String user, String client, String dbName, String command, long timeSeconds,
                         String state, String sqlText, String trxId, long trxDurationSeconds) {

    public DasSession {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(command, "command");
        dbName = dbName == null ? "" : dbName;
        state = state == null ? "" : state;
        sqlText = sqlText == null ? "" : sqlText;
        trxId = trxId == null ? "" : trxId;
    }

    /** A session outside any transaction. */
    public static DasSession of(long sessionId, String user, String client, String dbName, String command,
                                long timeSeconds, String state, String sqlText) {
        return new DasSession(sessionId, user, client, dbName, command, timeSeconds, state, sqlText, "", 0);
    }

    /** An idle connection ({@code Command = Sleep}). */
    public static DasSession sleeping(long sessionId, String user, String client, String dbName, long idleSeconds) {
        return of(sessionId, user, client, dbName, "Sleep", idleSeconds, "", "");
    }

    public boolean active() {
        return !"Sleep".equalsIgnoreCase(command);
    }

    /** The host part of {@link #client()}. */
    public String clientHost() {
        int colon = client.lastIndexOf(':');
        return colon > 0 && client.indexOf(':') == colon ? client.substring(0, colon) : client;
    }
}
