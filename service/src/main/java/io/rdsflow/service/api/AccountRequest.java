package io.rdsflow.service.api;

import java.util.regex.Pattern;

/** {@code POST /v1/accounts}: an Alibaba Cloud account and its AccessKey pair. */
public record AccountRequest(String aliyunUid, String accessKeyId, String accessKeySecret, String regionId, String name) {
  public static final Pattern UID = Pattern.compile("\\d{8,20}");
  static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9]{12,64}");
  static final Pattern ACCESS_KEY_SECRET = Pattern.compile("[A-Za-z0-9]{16,64}");
  public static final Pattern REGION = Pattern.compile("[a-z]{2,12}(-[a-z0-9]{1,20}){1,3}");

  public void validate() {
    Fields.matches("aliyunUid", aliyunUid, UID, "the account's numeric id (8 to 20 digits)");
    validateKeys(accessKeyId, accessKeySecret);
    Fields.matches("regionId", regionId, REGION, "a region id such as cn-shanghai");
    Fields.optionalMax("name", name, 64);
  }

  static void validateKeys(String accessKeyId, String accessKeySecret) {
    Fields.matches("accessKeyId", accessKeyId, ACCESS_KEY_ID, "12 to 64 letters and digits");
    Fields.matches("accessKeySecret", accessKeySecret, ACCESS_KEY_SECRET, "16 to 64 letters and digits");
  }

  @Override
  public String toString() {
    return "AccountRequest[" + aliyunUid + ", " + accessKeyId + ", ***]";
  }
}
