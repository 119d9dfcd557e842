package io.rdsflow.testkit.aliyun;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Generators for the identifiers the simulated services hand out. */
final class Ids {

    private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

    private Ids() {
    }

    /** Like Alibaba Cloud request ids: an upper-case UUID. */
    static String requestId() {
        return UUID.randomUUID().toString().toUpperCase();
    }

    static String lowerAlnum(int length) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(LOWER_ALNUM.charAt(r.nextInt(LOWER_ALNUM.length())));
        }
        return sb.toString();
    }

    static String digits(int length) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(length);
        sb.append((char) ('1' + r.nextInt(9)));
        for (int i = 1; i < length; i++) {
            sb.append((char) ('0' + r.nextInt(10)));
        }
        return sb.toString();
    }

    /** {@code rm-} followed by 17 lower-case alphanumerics. */
    static String dbInstanceId() {
        return "rm-" + lowerAlnum(17);
    }
}
