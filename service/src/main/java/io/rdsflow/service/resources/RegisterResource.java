package io.rdsflow.service.resources;

import io.rdsflow.service.api.Fields;
import io.rdsflow.service.api.InstanceView;
import io.rdsflow.service.api.RegisterRequest;
import io.rdsflow.service.auth.Roles;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.service.instances.ExternalRegistration;
import io.rdsflow.service.instances.InstanceService;
import io.rdsflow.workflows.domain.Engine;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.BiFunction;

/** {@code POST /v1/instances/register}: monitor an instance rdsflow did not create. */
@Path("/v1/instances/register")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class RegisterResource {
  private final ExternalRegistration external;
  /** The aliyun engine's registration (DescribeDBInstanceAttribute under the account); null until wired. */
  private final BiFunction<RegisterRequest, InstanceService, InstanceView> aliyun;
  private final InstanceService views;

  public RegisterResource(ExternalRegistration external, BiFunction<RegisterRequest, InstanceService, InstanceView> aliyun,
      InstanceService views) {
    this.external = external;
    this.aliyun = aliyun;
    this.views = views;
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  public Response register(RegisterRequest request) {
    if (request == null || request.engine() == null) {
      throw ApiException.invalid("engine", "is required (external or aliyun)");
    }
    Engine engine = Fields.oneOf("engine", request.engine(), Engine.EXTERNAL, Engine.ALIYUN);
    InstanceView view = switch (engine) {
      case EXTERNAL -> external.register(request, views);
      case ALIYUN -> {
        if (aliyun == null) {
          throw ApiException.invalid("engine", "aliyun registration is not available in this build");
        }
        yield aliyun.apply(request, views);
      }
      case LOCAL -> throw new IllegalStateException("not among the allowed engines: " + engine);
    };
    return Response.status(201).entity(view).build();
  }
}
