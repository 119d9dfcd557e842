package io.rdsflow.service.api;

/** {@code PUT /v1/accounts/{uid}/credentials}: a new AccessKey pair. */
public record CredentialsRequest(String accessKeyId, String accessKeySecret) {
  public void validate() {
    AccountRequest.validateKeys(accessKeyId, accessKeySecret);
  }

  @Override
  public String toString() {
    return "CredentialsRequest[" + accessKeyId + ", ***]";
  }
}
