package io.rdsflow.service;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log line (with stack traces) written while it is attached: INFO and up, everything of rdsflow's own. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger ours = (Logger) LoggerFactory.getLogger("io.rdsflow");
  private final ch.qos.logback.classic.Level previous;
  private final ch.qos.logback.classic.Level previousOurs;

  public LogCapture() {
    setContext(root.getLoggerContext());
    start();
    previous = root.getLevel();
    previousOurs = ours.getLevel();
    root.setLevel(ch.qos.logback.classic.Level.INFO);
    ours.setLevel(ch.qos.logback.classic.Level.ALL);
    root.addAppender(this);
  }

  @Override
  protected synchronized void append(ILoggingEvent e) {
    String line = e.getLoggerName() + " " + e.getFormattedMessage();
    if (e.getThrowableProxy() != null) {
      line += "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
    }
    lines.add(line);
  }

  public synchronized String all() {
    return String.join("\n", lines);
  }

  public synchronized int size() {
    return lines.size();
  }

  @Override
  public void close() {
    root.detachAppender(this);
    root.setLevel(previous);
    ours.setLevel(previousOurs);
  }
}
