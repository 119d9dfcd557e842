package io.rdsflow.service.instances;

import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.InstanceDao;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.NodeDao;
import io.rdsflow.service.api.CreateInstanceValidator;
import io.rdsflow.service.api.Fields;
import io.rdsflow.service.api.InstanceView;
import io.rdsflow.service.api.RegisterRequest;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.InstanceStatus;
import io.rdsflow.workflows.domain.Role;
import io.rdsflow.workflows.domain.Topology;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a MariaDB/MySQL server rdsflow did not create ({@code engine: external}): the
 * credentials are checked with a real connection, stored encrypted, and the server is collected by
 * the {@code external} group from the next round on.
 */
public final class ExternalRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalRegistration.class);
  static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9a-fA-F:]+\\]");
  static final Pattern USER = Pattern.compile("[A-Za-z0-9_.@-]{1,80}");

  private final Jdbi jdbi;
  private final InstanceDao instances;
  private final SecretCipher cipher;

  public ExternalRegistration(Jdbi jdbi, SecretCipher cipher) {
    this.jdbi = jdbi;
    this.instances = new InstanceDao(jdbi);
    this.cipher = cipher;
  }

  public InstanceView register(RegisterRequest r, InstanceService views) {
    Fields.matches("name", r.name(), CreateInstanceValidator.INSTANCE_NAME,
        "2 to 64 letters, digits, '_' or '-', starting with a letter");
    Fields.matches("host", r.host(), HOST, "a host name or IP address");
    if (r.port() == null || r.port() < 1 || r.port() > 65535) {
      throw ApiException.invalid("port", "must be between 1 and 65535");
    }
    Fields.matches("user", r.user(), USER, "a MySQL user name");
    Fields.required("password", r.password());
    Fields.optionalMax("password", r.password(), 128);
    Fields.labels(r.labels());
    CollectorSettings.check(r.collectors());
    if (instances.nameInUse(r.name())) {
      throw ApiException.invalid("name", "an instance named " + r.name() + " exists already");
    }
    check(r);
    String id = "re-" + HexFormat.of().formatHex(SecretCipher.randomBytes(6));
    jdbi.useTransaction(h -> {
      InstanceDao.insert(h, new InstanceDao.Instance(id, r.name(), Engine.EXTERNAL, null, null, Topology.SINGLE, InstanceStatus.RUNNING, null, null,
          null, null, r.labels() == null ? null : Json.write(r.labels()), null, false, null));
      h.createUpdate("INSERT INTO instance_nodes(ins_id, role, host, port) VALUES (:i, :role, :h, :p)")
          .bind("i", id).bind("role", Role.MASTER.wire()).bind("h", r.host()).bind("p", r.port()).execute();
    });
    CollectorSettings.store(jdbi, id, r.collectors());
    instances.setMonitoring(id, true, r.user(), cipher.encrypt(r.password()));
    LOG.info("[{}] external instance {} at {}:{} registered for collection", id, r.name(), r.host(), r.port());
    return views.get(id);
  }


  /** A real login; its failure is a 422 naming the credentials, never echoing the password. */
  private static void check(RegisterRequest r) {
    String url = "jdbc:mariadb://" + r.host() + ":" + r.port() + "/?sslMode=disable&connectTimeout=5000&socketTimeout=10000";
    try (Connection c = DriverManager.getConnection(url, r.user(), r.password())) {
      if (!c.isValid(5)) {
        throw ApiException.invalid("host", "the server at " + r.host() + ":" + r.port() + " did not answer a ping");
      }
    } catch (SQLException e) {
      String field = e.getErrorCode() == 1045 ? "password" : "host";
      throw ApiException.invalid(field, "cannot log in to " + r.host() + ":" + r.port() + " as " + r.user()
          + " (error " + e.getErrorCode() + (e.getErrorCode() == 1045 ? ": access denied" : ": " + firstLine(e.getMessage())) + ")");
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
