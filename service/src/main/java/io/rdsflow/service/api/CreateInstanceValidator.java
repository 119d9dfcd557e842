package io.rdsflow.service.api;

import io.rdsflow.activities.local.ParameterCatalog;
import io.rdsflow.service.errors.ApiException;
import io.rdsflow.workflows.domain.Engine;
import io.rdsflow.workflows.domain.Topology;
import java.time.ZoneId;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Every check of a CreateInstance request that needs no database: names, passwords, privileges,
 * whitelist entries, parameters, time zone, backup plan. The first problem is a 422 naming the field.
 */
public final class CreateInstanceValidator {
  /** Instance names, for CreateInstance and registration alike. */
  public static final Pattern INSTANCE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{1,63}");
  static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z][a-z0-9_]{1,31}");
  static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
  static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9!@#$%^&*()_+=\\-]{8,32}");
  static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(/(\\d{1,2}))?");
  /** A UTC offset time zone such as {@code +08:00}. */
  public static final Pattern OFFSET = Pattern.compile("[+-](0\\d|1[0-4]):[0-5]\\d");
  static final Pattern HHMM = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
  static final Pattern VERSION = Pattern.compile("\\d{1,2}\\.\\d{1,2}");
  static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,64}");
  /** Host names as agents register them (DNS-like, ASCII). */
  static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final Set<String> RESERVED_ACCOUNTS = Set.of("root", "mysql", "mariadb", "admin", "sys", "system",
      "replicator", "aurora", "mariadb.sys", "public", "information_schema", "performance_schema");
  static final Set<String> RESERVED_DATABASES = Set.of("mysql", "information_schema", "performance_schema", "sys", "test");
  static final Set<String> CHARSETS = Set.of("utf8mb4", "utf8mb3", "utf8", "latin1", "gbk", "binary");
  static final Set<String> PRIVILEGES = Set.of("ReadWrite", "ReadOnly");
  /** The charset of a requested database that names none. */
  static final String DEFAULT_CHARSET = "utf8mb4";

  private CreateInstanceValidator() {}

  /**
   * Checks the request and returns it typed and normalised, the one place either happens;
   * {@code localVersion} says what the local binaries serve (major.minor) and is asked only for engine local.
   */
  public static CreateInstanceSpec validate(CreateInstanceRequest r, Supplier<String> localVersion) {
    if (r == null) {
      throw ApiException.invalid("body", "is required");
    }
    Fields.matches("name", r.name(), INSTANCE_NAME, "2 to 64 letters, digits, '_' or '-', starting with a letter");
    Fields.required("engine", r.engine());
    Engine engine = Fields.oneOf("engine", r.engine(), Engine.LOCAL, Engine.ALIYUN);
    Fields.matches("engineVersion", r.engineVersion(), VERSION, "major.minor such as 10.11 or 8.0");
    if (engine == Engine.LOCAL && r.engineVersion().equals("5.5")) {
      throw ApiException.invalid("engineVersion", "MySQL 5.5 is not served by the local engine (end of life)");
    }
    if (engine == Engine.LOCAL) {
      String served = localVersion.get();
      if (!r.engineVersion().equals(served)) {
        throw ApiException.invalid("engineVersion", r.engineVersion() + " cannot be served: this machine's server binaries are "
            + served);
      }
    }
    Fields.required("topology", r.topology());
    Topology topology = Fields.oneOf("topology", r.topology(), Topology.SINGLE, Topology.MASTER_SLAVE);
    Map<String, String> parameters = parameters(r.parameters());
    whitelist(r.whitelist());
    Set<String> dbs = databases(r.databases());
    accounts(r.accounts(), dbs);
    if (r.timeZone() != null && !OFFSET.matcher(r.timeZone()).matches() && !ZoneId.getAvailableZoneIds().contains(r.timeZone())) {
      throw ApiException.invalid("timeZone", "must be an offset such as +08:00 or a zone name such as Asia/Shanghai");
    }
    if (r.backup() != null) {
      Integer days = r.backup().retentionDays();
      if (days == null || days < 1 || days > 730) {
        throw ApiException.invalid("backup.retentionDays", "must be between 1 and 730");
      }
      Fields.matches("backup.preferredTime", r.backup().preferredTime(), HHMM, "HH:mm");
    }
    if (r.clientToken() != null) {
      Fields.matches("clientToken", r.clientToken(), TOKEN, "1 to 64 printable ASCII characters");
    }
    if (r.placement() != null && engine == Engine.LOCAL) {
      placementHost("placement.master", r.placement().master());
      placementHost("placement.slave", r.placement().slave());
    }
    return new CreateInstanceSpec(r.name(), engine, r.engineVersion(), topology, Collections.unmodifiableMap(parameters),
        listed(r.whitelist()), listed(r.accounts()).stream().map(CreateInstanceValidator::normalized).toList(),
        listed(r.databases()).stream().map(CreateInstanceValidator::normalized).toList(), r.timeZone(), r.backup(),
        r.clientToken(), r.placement(), r.aliyunUid(), r.regionId(), r.zoneId(), r.instanceClass(), r.storageGb(), r.vpcId(),
        r.vswitchId());
  }

  private static <T> List<T> listed(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  private static CreateInstanceRequest.AccountSpec normalized(CreateInstanceRequest.AccountSpec a) {
    return new CreateInstanceRequest.AccountSpec(a.name(), a.password(), listed(a.privileges()));
  }

  private static CreateInstanceRequest.DatabaseSpec normalized(CreateInstanceRequest.DatabaseSpec d) {
    return new CreateInstanceRequest.DatabaseSpec(d.name(), d.charset() == null ? DEFAULT_CHARSET : d.charset());
  }

  /** The shape of a host name; that the host is registered is checked against the metadata. */
  static void placementHost(String field, String host) {
    if (host != null) {
      Fields.matches(field, host, HOST_NAME, "the name of a registered host (letters, digits, '.', '_', '-')");
    }
  }

  /** The request's parameters, normalised (the one normalisation: stored so, used so by do_build_params). */
  public static Map<String, String> parameters(Map<String, String> params) {
    Map<String, String> out = new LinkedHashMap<>();
    if (params == null) {
      return out;
    }
    for (Map.Entry<String, String> e : params.entrySet()) {
      ParameterCatalog.Normalized n = ParameterCatalog.normalize(e.getKey(), e.getValue());
      if (!n.valid()) {
        throw ApiException.invalid("parameters." + e.getKey(), n.problem());
      }
      out.put(e.getKey(), n.value());
    }
    return out;
  }

  static void whitelist(List<String> entries) {
    if (entries == null) {
      return;
    }
    if (entries.size() > 100) {
      throw ApiException.invalid("whitelist", "at most 100 entries");
    }
    for (int i = 0; i < entries.size(); i++) {
      String e = entries.get(i);
      var m = e == null ? null : IPV4.matcher(e);
      boolean ok = m != null && m.matches();
      for (int g = 1; ok && g <= 4; g++) {
        ok = Integer.parseInt(m.group(g)) <= 255;
      }
      if (ok && m.group(6) != null) {
        ok = Integer.parseInt(m.group(6)) <= 32;
      }
      if (!ok) {
        throw ApiException.invalid("whitelist[" + i + "]", "'" + e + "' is not an IPv4 address or CIDR block");
      }
    }
  }

  static Set<String> databases(List<CreateInstanceRequest.DatabaseSpec> dbs) {
    Set<String> names = new HashSet<>();
    if (dbs == null) {
      return names;
    }
    for (int i = 0; i < dbs.size(); i++) {
      CreateInstanceRequest.DatabaseSpec d = dbs.get(i);
      String field = "databases[" + i + "]";
      if (d == null) {
        throw ApiException.invalid(field, "is null");
      }
      Fields.matches(field + ".name", d.name(), DATABASE_NAME, "1 to 64 lowercase letters, digits, '_' or '-', starting with a letter");
      if (RESERVED_DATABASES.contains(d.name())) {
        throw ApiException.invalid(field + ".name", d.name() + " is reserved");
      }
      if (d.charset() != null && !CHARSETS.contains(d.charset())) { // exact: no case folding (the Kelvin sign folds to 'k')
        throw ApiException.invalid(field + ".charset", "must be one of " + String.join(", ", CHARSETS.stream().sorted().toList()));
      }
      if (!names.add(d.name())) {
        throw ApiException.invalid(field + ".name", "database " + d.name() + " is listed twice");
      }
    }
    return names;
  }

  static void accounts(List<CreateInstanceRequest.AccountSpec> accounts, Set<String> dbs) {
    if (accounts == null) {
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < accounts.size(); i++) {
      CreateInstanceRequest.AccountSpec a = accounts.get(i);
      String field = "accounts[" + i + "]";
      if (a == null) {
        throw ApiException.invalid(field, "is null");
      }
      Fields.matches(field + ".name", a.name(), ACCOUNT_NAME, "2 to 32 lowercase letters, digits or '_', starting with a letter");
      if (RESERVED_ACCOUNTS.contains(a.name()) || a.name().startsWith("rdsflow_")) {
        throw ApiException.invalid(field + ".name", a.name() + " is reserved");
      }
      if (!names.add(a.name())) {
        throw ApiException.invalid(field + ".name", "account " + a.name() + " is listed twice");
      }
      password(field + ".password", a.password());
      List<CreateInstanceRequest.PrivilegeSpec> privileges = a.privileges() == null ? List.of() : a.privileges();
      for (int j = 0; j < privileges.size(); j++) {
        CreateInstanceRequest.PrivilegeSpec p = privileges.get(j);
        String pf = field + ".privileges[" + j + "]";
        if (p == null) {
          throw ApiException.invalid(pf, "is null");
        }
        Fields.required(pf + ".database", p.database());
        if (!dbs.contains(p.database())) {
          throw ApiException.invalid(pf + ".database", "database " + p.database() + " is not among the requested databases");
        }
        if (p.privilege() == null || !PRIVILEGES.contains(p.privilege())) {
          throw ApiException.invalid(pf + ".privilege", "must be ReadWrite or ReadOnly");
        }
      }
    }
  }

  static void password(String field, String password) {
    if (password == null || password.isEmpty()) {
      throw ApiException.invalid(field, "is required");
    }
    if (!PASSWORD.matcher(password).matches()) {
      throw ApiException.invalid(field, "must be 8 to 32 characters of letters, digits and !@#$%^&*()_+-= (no quotes, spaces or backslashes)");
    }
    int classes = 0;
    classes += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
    classes += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
    classes += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
    classes += password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0;
    if (classes < 3) {
      throw ApiException.invalid(field, "must mix at least three of: upper case, lower case, digits, special characters");
    }
  }
}
