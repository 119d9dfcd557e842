package io.rdsflow.service.resources;

import io.rdsflow.activities.collect.CollectionDao;
import io.rdsflow.service.auth.Roles;
import io.rdsflow.workflows.collect.RoundSummary;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/collections}: each group's last round and each failing target's last error. */
@Path("/v1/collections")
@Produces(MediaType.APPLICATION_JSON)
public final class CollectionsResource {
  /** One group's last round. */
  public record GroupView(String group, long round, Instant startedAt, long durationMs, int targetsOk, int targetsFailed,
      Map<String, String> errors) {}

  private final CollectionDao dao;

  public CollectionsResource(CollectionDao dao) {
    this.dao = dao;
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  public List<GroupView> list() {
    return dao.rounds().stream().map(CollectionsResource::view).toList();
  }

  private static GroupView view(RoundSummary r) {
    return new GroupView(r.group(), r.round(), Instant.ofEpochMilli(r.startedAtMillis()), r.durationMillis(), r.ok(),
        r.failed(), r.errors());
  }
}
