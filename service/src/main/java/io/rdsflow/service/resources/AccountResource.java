package io.rdsflow.service.resources;

import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.AccountDao;
import io.rdsflow.service.api.AccountRequest;
import io.rdsflow.service.api.AccountView;
import io.rdsflow.service.api.CredentialsRequest;
import io.rdsflow.service.auth.Roles;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.workflows.domain.InstanceStatus;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /v1/accounts}: the Alibaba Cloud accounts rdsflow acts for (seed 000). */
@Path("/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class AccountResource {
  private static final Logger LOG = LoggerFactory.getLogger(AccountResource.class);

  private final AccountDao accounts;
  private final SecretCipher cipher;

  public AccountResource(AccountDao accounts, SecretCipher cipher) {
    this.accounts = accounts;
    this.cipher = cipher;
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  public Response create(AccountRequest request) {
    if (request == null) {
      throw ApiException.invalid("body", "is required");
    }
    request.validate();
    try {
      accounts.insert(request.aliyunUid(), request.name(), request.accessKeyId(),
          cipher.encrypt(request.accessKeySecret()), request.regionId());
    } catch (AccountDao.DuplicateAccountException e) {
      throw ApiException.conflict("aliyunUid: account " + request.aliyunUid() + " exists already");
    }
    LOG.info("Account {} added (AccessKey id {})", request.aliyunUid(), request.accessKeyId());
    return Response.created(URI.create("/v1/accounts/" + request.aliyunUid())).entity(get(request.aliyunUid())).build();
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  public List<AccountView> list() {
    return accounts.list().stream().map(AccountView::of).toList();
  }

  @GET
  @Path("/{uid}")
  @RolesAllowed(Roles.VIEWER)
  public AccountView get(@PathParam("uid") String uid) {
    return accounts.find(uid).map(AccountView::of).orElseThrow(() -> ApiException.notFound("account " + uid));
  }

  @PUT
  @Path("/{uid}/credentials")
  @RolesAllowed(Roles.ADMIN)
  public AccountView rotate(@PathParam("uid") String uid, CredentialsRequest request) {
    if (request == null) {
      throw ApiException.invalid("body", "is required");
    }
    request.validate();
    if (!accounts.updateCredentials(uid, request.accessKeyId(), cipher.encrypt(request.accessKeySecret()))) {
      throw ApiException.notFound("account " + uid);
    }
    LOG.info("Account {} credentials rotated (AccessKey id {})", uid, request.accessKeyId());
    return get(uid);
  }

  @DELETE
  @Path("/{uid}")
  @RolesAllowed(Roles.ADMIN)
  public Response delete(@PathParam("uid") String uid) {
    if (accounts.find(uid).isEmpty()) {
      throw ApiException.notFound("account " + uid);
    }
    int used = accounts.countInstances(uid);
    if (used > 0) {
      // a FAILED instance whose cloud instance could not be deleted counts too: deleting the account would
      // leave that cloud instance without anyone to remove it; the message names it
      List<String> named = new java.util.ArrayList<>();
      for (AccountDao.Use u : accounts.instancesUsing(uid, 10)) {
        named.add(u.instanceId() + " (" + u.status() + (!u.cloudLeft() || u.status() != InstanceStatus.FAILED ? ""
            : u.cloudInstanceId() != null ? ", cloud instance " + u.cloudInstanceId() + " in " + u.regionId() + " not deleted"
            : ", a cloud instance may exist in " + u.regionId()) + ")");
      }
      throw ApiException.conflict("account " + uid + " is used by " + used + " instance(s): " + String.join(", ", named)
          + (used > named.size() ? ", ..." : "") + "; delete them first (DELETE /v1/instances/{id})");
    }
    accounts.delete(uid);
    LOG.info("Account {} deleted", uid);
    return Response.noContent().build();
  }
}
