package io.rdsflow.service.instances;

import com.aliyun.rds20140815.models.DescribeDBInstanceAttributeRequest;
import com.aliyun.rds20140815.models.DescribeDBInstanceAttributeResponseBody.DescribeDBInstanceAttributeResponseBodyItemsDBInstanceAttribute;
import io.rdsflow.activities.aliyun.AliyunClients;
import io.rdsflow.activities.aliyun.CloudApi;
import io.rdsflow.activities.aliyun.CloudError;
import io.rdsflow.activities.meta.AccountDao;
import io.rdsflow.activities.meta.CloudInstanceDao;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.service.api.Fields;
import io.rdsflow.service.api.InstanceView;
import io.rdsflow.service.api.RegisterRequest;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.Topology;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/instances/register} with {@code engine: aliyun}: an RDS instance rdsflow did not create
 * is checked with DescribeDBInstanceAttribute under the given account (another account's instance is
 * the cloud's NotFound, a 422) and stored in {@code instance_list} under its own id ({@code rm-...}, as
 * in seed 000) with its {@code aliyun_uid}, status RUNNING and monitoring on, so the account's DAS
 * collection group picks it up next round. rdsflow never deletes a registered instance in the cloud.
 */
public final class AliyunRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(AliyunRegistration.class);
  static final Pattern NAME = io.rdsflow.service.api.CreateInstanceValidator.INSTANCE_NAME;
  static final Pattern CLOUD_ID = Pattern.compile("r[mr]-[a-z0-9]{6,40}");
  static final Set<String> ENGINES = Set.of("MySQL", "MariaDB");
  static final Set<String> GONE = Set.of("Deleting", "Released", "Deleted");
  /** The register call waits this long at most for a throttled or failing cloud. */
  static final Duration CALL_BUDGET = Duration.ofSeconds(10);

  private final Jdbi jdbi;
  private final InstanceDao instances;
  private final CloudInstanceDao cloud;
  private final AccountDao accounts;
  private final AliyunClients clients;
  private final CloudApi api;

  public AliyunRegistration(Jdbi jdbi, AliyunClients clients, CloudApi api) {
    this.jdbi = jdbi;
    this.instances = new InstanceDao(jdbi);
    this.cloud = new CloudInstanceDao(jdbi);
    this.accounts = new AccountDao(jdbi);
    this.clients = clients;
    this.api = api;
  }

  public InstanceView register(RegisterRequest r, InstanceService views) {
    Fields.matches("name", r.name(), NAME, "2 to 64 letters, digits, '_' or '-', starting with a letter");
    Fields.matches("aliyunUid", r.aliyunUid(), AliyunCreateCheck.UID, "the account's numeric id (8 to 20 digits)");
    Fields.matches("instanceId", r.instanceId(), CLOUD_ID, "an RDS MySQL instance id such as rm-bp1abc123def456");
    Map<String, Object> externalOnly = new java.util.LinkedHashMap<>();
    externalOnly.put("host", r.host());
    externalOnly.put("port", r.port());
    externalOnly.put("user", r.user());
    externalOnly.put("password", r.password());
    externalOnly.forEach((field, value) -> {
      if (value != null) {
        throw ApiException.invalid(field, "only for engine external");
      }
    });
    Fields.labels(r.labels());
    CollectorSettings.check(r.collectors());
    if (accounts.find(r.aliyunUid()).isEmpty()) {
      throw ApiException.invalid("aliyunUid", "account " + r.aliyunUid() + " is not configured (add it with POST /v1/accounts)");
    }
    if (instances.nameInUse(r.name())) {
      throw ApiException.invalid("name", "an instance named " + r.name() + " exists already");
    }
    Optional<InstanceDao.Instance> known = cloud.findByCloudId(r.instanceId());
    if (known.isPresent() && known.get().status() != InstanceStatus.DELETED) {
      throw ApiException.conflict("instanceId: " + r.instanceId() + " is known to rdsflow already as "
          + known.get().id() + " (" + known.get().status() + ")");
    }
    var attribute = describe(r);
    if (!ENGINES.contains(attribute.getEngine())) {
      throw ApiException.invalid("instanceId", r.instanceId() + " runs " + attribute.getEngine()
          + "; only MySQL and MariaDB instances can be registered");
    }
    if (GONE.contains(attribute.getDBInstanceStatus())) {
      throw ApiException.invalid("instanceId", r.instanceId() + " is " + attribute.getDBInstanceStatus());
    }
    Topology topology = "Basic".equals(attribute.getCategory()) ? Topology.SINGLE : Topology.MASTER_SLAVE;
    int port = Integer.parseInt(attribute.getPort());
    String labels = r.labels() == null ? null : Json.write(r.labels());
    try {
      jdbi.useTransaction(h -> {
        if (known.isPresent()) {
          // registered before and deleted since: the row comes back
          h.createUpdate("UPDATE instance_list SET ins_name = :n, engine_version = :v, topology = :t, ins_status = :running, "
                  + "region_id = :region, labels_json = :l, error_message = NULL WHERE ins_id = :i AND ins_status = :deleted")
              .bind("i", known.get().id()).bind("n", r.name()).bind("v", attribute.getEngineVersion()).bind("t", topology.wire())
              .bind("region", attribute.getRegionId()).bind("l", labels).bind("running", InstanceStatus.RUNNING.wire())
              .bind("deleted", InstanceStatus.DELETED.wire()).execute();
        } else {
          InstanceDao.insert(h, new InstanceDao.Instance(r.instanceId(), r.name(), Engine.ALIYUN, attribute.getEngineVersion(), null,
              topology, InstanceStatus.RUNNING, r.aliyunUid(), attribute.getRegionId(), null, null, labels, null, false, null));
        }
        CloudInstanceDao.registered(h, known.map(InstanceDao.Instance::id).orElse(r.instanceId()), r.instanceId(),
            attribute.getConnectionString(), port);
      });
    } catch (UnableToExecuteStatementException e) {
      if (e.getCause() instanceof SQLIntegrityConstraintViolationException) {
        throw ApiException.conflict("instanceId: " + r.instanceId() + " was registered at the same time");
      }
      throw e;
    }
    String id = known.map(InstanceDao.Instance::id).orElse(r.instanceId());
    CollectorSettings.store(jdbi, id, r.collectors());
    LOG.info("[{}] aliyun instance {} of account {} registered for collection ({} {} {}, {}:{})", id, r.name(),
        r.aliyunUid(), attribute.getEngine(), attribute.getEngineVersion(), attribute.getCategory(),
        attribute.getConnectionString(), port);
    return views.get(id);
  }

  private DescribeDBInstanceAttributeResponseBodyItemsDBInstanceAttribute describe(RegisterRequest r) {
    try {
      AliyunClients.Rds rds = clients.rds(r.aliyunUid(), null);
      var items = api.call(rds, "DescribeDBInstanceAttribute", CALL_BUDGET, () -> { }, rt -> rds.client()
          .describeDBInstanceAttributeWithOptions(new DescribeDBInstanceAttributeRequest().setDBInstanceId(r.instanceId()), rt))
          .getBody().getItems();
      if (items == null || items.getDBInstanceAttribute() == null || items.getDBInstanceAttribute().isEmpty()) {
        throw ApiException.invalid("instanceId", r.instanceId() + " was not described by the cloud");
      }
      return items.getDBInstanceAttribute().get(0);
    } catch (AliyunClients.AccountUnavailable e) {
      throw ApiException.invalid("aliyunUid", e.getMessage());
    } catch (CloudError e) {
      if (e.notFound()) {
        throw ApiException.invalid("instanceId", r.instanceId() + " does not exist under account " + r.aliyunUid()
            + " (" + e.code() + ")");
      }
      if (e.retryable()) {
        throw new ApiException(503, "cloud_unavailable", "the RDS OpenAPI did not answer in time: " + e.getMessage());
      }
      throw ApiException.invalid("aliyunUid", "the cloud refused the call under account " + r.aliyunUid() + ": "
          + e.getMessage());
    }
  }

}
