package io.rdsflow.service.metrics;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.Type;
import io.prometheus.client.exporter.common.TextFormat;
import io.rdsflow.activities.collect.CollectionDao;
import io.rdsflow.activities.collect.Sample;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The per-target part of {@code /metrics}: the latest collection snapshots (from the metadata database, so any
 * replica serves the whole fleet) as {@code rds_*} families (and, with {@code prometheus.mysqldExporterNames},
 * their mysqld_exporter view), rendered in the Prometheus text format once per snapshot change.
 *
 * <p>Why: these are nearly all of the exposition (14,550 of 14,860 series, 2.4 MB at 1000 DAS targets) and they
 * change only when a target is collected, while Prometheus may scrape any number of times in between. Before, each
 * series was a Dropwizard gauge converted anew on every scrape (p50 74 ms, and ~40 MB of garbage per scrape that
 * grew the heap from 365 MB to 1.14 GB resident: bench/collection). Now each target's lines are rendered when its
 * snapshot is read; when any changed, the exposition becomes the list of the targets' arrays in family order
 * ({@link ByteChunks}: references, no copy of the text, no array big enough to be a humongous object for G1), and its
 * gzip is made when a client asks: a scrape with no new snapshot serves the same bytes.
 *
 * <p>Names and labels are those of {@link MetricRules#RDS} through {@link PrometheusSampleBuilder}: {@code rds_<metric>}
 * ({@code _total} for a counter), labels {@code instance_id, instance_name, engine, aliyun_uid, role}, then the
 * sample's own (clashes prefixed {@code label_}). Only changed snapshots are re-read, at most once a second. A target
 * not refreshed for two periods reports {@code rds_up 0} (and {@code rds_instance_info}) and nothing else.
 */
public final class SnapshotPublisher {
  private static final long MIN_REFRESH_MILLIS = 1000;
  private static final List<String> IDENTITY = List.of("instance_id", "instance_name", "engine", "aliyun_uid", "role");
  private static final String HEADER = "# HELP ";

  private final CollectionDao dao;
  private final Clock clock;
  private final Function<List<MetricFamilySamples>, List<MetricFamilySamples>> view;
  /** By target id: the snapshot rendered and its text, family by family. */
  private final Map<String, Rendered> targets = new TreeMap<>();
  /** Every family's {@code # HELP}/{@code # TYPE} lines, by their text: one array shared by all targets. */
  private final Map<String, byte[]> headerBytes = new HashMap<>();
  private Exposition exposition = Exposition.EMPTY;
  private long lastRefresh = Long.MIN_VALUE;

  /**
   * One target's families: for each, the {@code # HELP}/{@code # TYPE} lines and the sample lines (UTF-8). Not the
   * snapshot it came from: its samples die young, where kept for a whole period they were the bulk of what the old
   * generation had to collect (and the target turning stale, which needs it again, is rare: it is read again then).
   */
  private record Rendered(Instant collectedAt, boolean fresh, long staleAt, Map<String, byte[][]> families, int series) {}

  /** The rendered per-target text (UTF-8; gzipped by {@link ByteChunks#gzip}), the same bytes until a snapshot changes. */
  public record Exposition(ByteChunks text, int series) {
    static final Exposition EMPTY = new Exposition(ByteChunks.EMPTY, 0);
  }

  /** No second view of the series. */
  public static final Function<List<MetricFamilySamples>, List<MetricFamilySamples>> NO_VIEW = families -> List.of();

  /**
   * @param view more families made from one target's {@code rds_*} families, published after them (rendered with
   *     them, once per change): {@code MysqldExporterNames::of} with {@code prometheus.mysqldExporterNames}, else
   *     {@link #NO_VIEW}
   */
  public SnapshotPublisher(CollectionDao dao, Clock clock, Function<List<MetricFamilySamples>, List<MetricFamilySamples>> view) {
    this.dao = dao;
    this.clock = clock;
    this.view = view;
  }

  /** Brings the rendering up to date with the stored snapshots (at most once a second) and returns it. */
  public synchronized Exposition refresh() {
    long now = clock.millis();
    if (now < lastRefresh + MIN_REFRESH_MILLIS) {
      return exposition;
    }
    lastRefresh = now;
    Map<String, Instant> stamps = new HashMap<>();
    dao.stamps().forEach(s -> stamps.put(s.targetId(), s.collectedAt()));
    boolean changed = targets.keySet().retainAll(stamps.keySet());
    for (Map.Entry<String, Instant> s : stamps.entrySet()) {
      Rendered have = targets.get(s.getKey());
      // a new snapshot, or a target turning stale (its lines become rds_up 0 and rds_instance_info)
      if (have == null || !have.collectedAt().equals(s.getValue()) || (have.fresh() && now > have.staleAt())) {
        CollectionDao.Snapshot snap = dao.snapshot(s.getKey()).orElse(null);
        if (snap != null) {
          targets.put(snap.targetId(), render(snap, now));
          changed = true;
        }
      }
    }
    if (changed) {
      exposition = join();
    }
    return exposition;
  }

  /** The families of all targets, each once: its header from the first target that has it, then every target's lines. */
  private Exposition join() {
    Map<String, byte[]> headers = new TreeMap<>();
    int series = 0;
    for (Rendered r : targets.values()) {
      for (Map.Entry<String, byte[][]> f : r.families().entrySet()) {
        headers.putIfAbsent(f.getKey(), f.getValue()[0]);
      }
      series += r.series();
    }
    ByteChunks out = new ByteChunks(); // the targets' own arrays, not copies: they never change once rendered
    for (Map.Entry<String, byte[]> h : headers.entrySet()) {
      out.add(h.getValue());
      for (Rendered r : targets.values()) {
        byte[][] f = r.families().get(h.getKey());
        if (f != null) {
          out.add(f[1]);
        }
      }
    }
    return new Exposition(out.seal(), series);
  }

  private Rendered render(CollectionDao.Snapshot snap, long now) {
    boolean fresh = snap.collectedAt().toEpochMilli() + 2 * snap.periodMillis() >= now;
    List<MetricFamilySamples> families = families(snap, fresh);
    families.addAll(view.apply(families));
    StringWriter text = new StringWriter(256 + 160 * families.size());
    try {
      TextFormat.write004(text, Collections.enumeration(families));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not throw
    }
    int series = 0;
    for (MetricFamilySamples f : families) {
      series += f.samples.size();
    }
    return new Rendered(snap.collectedAt(), fresh, snap.collectedAt().toEpochMilli() + 2 * snap.periodMillis(),
        split(text.toString()), series);
  }

  /**
   * write004's text cut at each {@code # HELP} line: family name → {header lines, sample lines}, as UTF-8; the header
   * lines are the same for every target, and held once ({@link #headerBytes}).
   */
  private Map<String, byte[][]> split(String text) {
    Map<String, byte[][]> families = new LinkedHashMap<>();
    int at = 0;
    while (at < text.length()) {
      int nameEnd = text.indexOf(' ', at + HEADER.length());
      String name = text.substring(at + HEADER.length(), nameEnd);
      int typeEnd = text.indexOf('\n', text.indexOf('\n', at) + 1) + 1; // after the # HELP and # TYPE lines
      int next = text.indexOf("\n" + HEADER, typeEnd - 1);
      int end = next < 0 ? text.length() : next + 1;
      byte[] header = headerBytes.computeIfAbsent(text.substring(at, typeEnd), h -> h.getBytes(StandardCharsets.UTF_8));
      families.put(name, new byte[][] {header, text.substring(typeEnd, end).getBytes(StandardCharsets.UTF_8)});
      at = end;
    }
    return families;
  }

  /** The target's {@code rds_*} families, as the mapping rules named them: one per metric, its samples in order. */
  static List<MetricFamilySamples> families(CollectionDao.Snapshot snap, boolean fresh) {
    List<String> identity = new ArrayList<>(IDENTITY.size());
    for (String label : IDENTITY) {
      String v = snap.identity().get(label);
      identity.add(v == null ? "" : v);
    }
    Map<String, String> userLabels = new LinkedHashMap<>();
    snap.identity().forEach((k, v) -> {
      if (k.startsWith("label:")) {
        userLabels.put(k.substring("label:".length()), v);
      }
    });
    Map<String, Family> families = new LinkedHashMap<>();
    add(families, identity, new Sample("up", Map.of(), snap.ok() && fresh ? 1.0 : 0.0, false));
    add(families, identity, new Sample("instance_info", userLabels, 1.0, false));
    if (snap.ok() && fresh) {
      for (Sample s : snap.samples()) {
        add(families, identity, s);
      }
    }
    List<MetricFamilySamples> out = new ArrayList<>(families.size());
    families.forEach((name, f) -> out.add(new MetricFamilySamples(name, f.type, "rds_" + f.metric + ", per target (rdsflow)",
        new ArrayList<>(f.samples.values()))));
    return out;
  }

  private record Family(String metric, Type type, Map<List<List<String>>, MetricFamilySamples.Sample> samples) {}

  private static void add(Map<String, Family> families, List<String> identity, Sample s) {
    String family = PrometheusSampleBuilder.snake("rds_" + s.metric());
    Family f = families.computeIfAbsent(family,
        k -> new Family(s.metric(), s.counter() ? Type.COUNTER : Type.GAUGE, new LinkedHashMap<>()));
    List<String> names = new ArrayList<>(IDENTITY.size() + s.labels().size());
    names.addAll(IDENTITY);
    List<String> values = new ArrayList<>(names.size());
    values.addAll(identity);
    s.labels().forEach((k, v) -> PrometheusSampleBuilder.addLabel(k, v, names, values));
    String sampleName = f.type() == Type.COUNTER ? family + "_total" : family;
    // the same series twice in a snapshot: the last value, as one Dropwizard name held it before
    f.samples().put(List.of(names, values), new MetricFamilySamples.Sample(sampleName, names, values, s.value()));
  }

  /** How many series the per-target part holds; for tests and benchmarks. */
  public synchronized int seriesCount() {
    return exposition.series();
  }
}
