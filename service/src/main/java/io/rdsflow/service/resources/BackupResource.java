package io.rdsflow.service.resources;

import io.rdsflow.activities.meta.BackupDao;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.service.api.BackupView;
import io.rdsflow.service.auth.Roles;
import io.rdsflow.service.errors.ApiException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /v1/instances/{id}/backups}: the instance's backups, newest first. A deleted instance's backups are
 * listed as long as retention keeps any; an id with neither an instance nor backups is a 404.
 */
@Path("/v1/instances/{id}/backups")
@Produces(MediaType.APPLICATION_JSON)
public final class BackupResource {
  private final InstanceDao instances;
  private final BackupDao backups;

  public BackupResource(InstanceDao instances, BackupDao backups) {
    this.instances = instances;
    this.backups = backups;
  }

  @GET
  @RolesAllowed(Roles.VIEWER)
  public List<BackupView> list(@PathParam("id") String id) {
    List<BackupDao.Backup> rows = backups.list(id);
    if (rows.isEmpty() && instances.find(id).isEmpty()) {
      throw ApiException.notFound("instance " + id);
    }
    return rows.stream().map(BackupView::of).toList();
  }
}
