package io.rdsflow.service.api;

import io.rdsflow.activities.meta.AccountDao.AliyunAccount;
import java.time.Instant;

/** An account as the API shows it: never the secret, the AccessKey id masked in the middle. */
public record AccountView(String aliyunUid, String name, String accessKeyId, String regionId, Instant createdAt, Instant updatedAt) {
  public static AccountView of(AliyunAccount a) {
    return new AccountView(a.aliyunUid(), a.name(), mask(a.accessKeyId()), a.regionId(), a.createdAt(), a.updatedAt());
  }

  static String mask(String id) {
    return id.length() <= 8 ? "****" : id.substring(0, 4) + "****" + id.substring(id.length() - 4);
  }
}
