package io.rdsflow.testkit.aliyun;

import java.util.Objects;

/**
 * One entry of the simulator's account table: an Alibaba Cloud account (uid) and one of its
 * AccessKey pairs. Requests are signed with the secret; resources are owned by the uid.
 */
public record SimulatedAccount(String uid, String accessKeyId, String accessKeySecret) {

    public SimulatedAccount {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(accessKeySecret, "accessKeySecret");
        if (uid.isBlank() || accessKeyId.isBlank() || accessKeySecret.isEmpty()) {
            throw new IllegalArgumentException("uid, accessKeyId and accessKeySecret must be non-empty");
        }
    }

    /** Parses {@code uid:accessKeyId:accessKeySecret} (the secret may itself contain ':'). */
    public static SimulatedAccount parse(String spec) {
        String[] parts = spec.split(":", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("account must be uid:accessKeyId:accessKeySecret, got " + spec);
        }
        return new SimulatedAccount(parts[0], parts[1], parts[2]);
    }

    @Override
    public String toString() {
        return "SimulatedAccount[uid=" + uid + ", accessKeyId=" + accessKeyId + ", accessKeySecret=***]";
    }
}
