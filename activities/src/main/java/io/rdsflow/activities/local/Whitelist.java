package io.rdsflow.activities.local;

/** Whitelist entries (IP or CIDR) as the host part of a MySQL account. */
public final class Whitelist {
  private Whitelist() {}

  /** {@code 10.1.2.3} stays; {@code 10.0.0.0/8} becomes {@code 10.0.0.0/255.0.0.0}; {@code 0.0.0.0/0} is {@code %}. */
  public static String accountHost(String entry) {
    int slash = entry.indexOf('/');
    if (slash < 0) {
      return entry;
    }
    int bits = Integer.parseInt(entry.substring(slash + 1));
    if (bits == 0) {
      return "%";
    }
    if (bits == 32) {
      return entry.substring(0, slash);
    }
    long mask = (0xffffffffL << (32 - bits)) & 0xffffffffL;
    return entry.substring(0, slash) + "/" + ((mask >> 24) & 255) + "." + ((mask >> 16) & 255) + "."
        + ((mask >> 8) & 255) + "." + (mask & 255);
  }
}
