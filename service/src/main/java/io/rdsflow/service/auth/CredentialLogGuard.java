package io.rdsflow.service.auth;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Keeps {@code Authorization} headers out of the log, whatever levels are set (in the configuration or
 * by the admin port's {@code log-level} task):
 *
 * <ul>
 *   <li>Jetty logs below INFO are dropped: at DEBUG its parser prints every request header, and its
 *       buffer dumps print raw request bytes, parts of which no pattern can recognise. Jetty is thus
 *       pinned at INFO; {@code isDebugEnabled()} answers false, so it does not even build those lines.
 *   <li>Any other line that shows an {@code Authorization:} (or {@code Proxy-Authorization}) value is
 *       written with the value replaced by {@code ***} (lines below INFO are dropped instead).
 * </ul>
 *
 * Installed on the logback context once; it survives the context's resets (Dropwizard's logging
 * set-up resets the context).
 */
public final class CredentialLogGuard extends TurboFilter implements LoggerContextListener {
  private static final String PINNED = "org.eclipse.jetty";
  private static final Pattern HEADER = Pattern.compile(
      "(?i)(authorization[\"']?\\s*[:=]\\s*\\[?\\s*)([^\\r\\n,\\]})]+)");
  private static final String FQCN = CredentialLogGuard.class.getName();

  private final ThreadLocal<Boolean> relogging = ThreadLocal.withInitial(() -> false);

  /** Installs the guard on the context, once. */
  public static synchronized void install(LoggerContext context) {
    for (TurboFilter f : context.getTurboFilterList()) {
      if (f instanceof CredentialLogGuard) {
        return;
      }
    }
    CredentialLogGuard guard = new CredentialLogGuard();
    guard.setName("credential-log-guard");
    guard.setContext(context);
    guard.start();
    context.addTurboFilter(guard);
    context.addListener(guard);
  }

  /** The text with every Authorization header value replaced by {@code ***}. */
  public static String mask(String text) {
    Matcher m = HEADER.matcher(text);
    return m.find() ? m.replaceAll("$1***") : text;
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level.levelInt < Level.INFO_INT && isPinned(logger.getName())) {
      return FilterReply.DENY;
    }
    if (format == null || relogging.get() || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL; // an is...Enabled() question, our own masked line, or a line not written anyway
    }
    String text = params == null || params.length == 0 ? format : MessageFormatter.arrayFormat(format, params).getMessage();
    if (text == null || !containsIgnoreCase(text, "authorization")) {
      return FilterReply.NEUTRAL;
    }
    String masked = mask(text);
    if (masked.equals(text)) {
      return FilterReply.NEUTRAL;
    }
    if (level.levelInt >= Level.INFO_INT) {
      relogging.set(true);
      try {
        logger.log(marker, FQCN, Level.toLocationAwareLoggerInteger(level), masked, null, t);
      } finally {
        relogging.set(false);
      }
    }
    return FilterReply.DENY;
  }

  private static boolean containsIgnoreCase(String text, String word) {
    for (int i = 0; i + word.length() <= text.length(); i++) {
      if (text.regionMatches(true, i, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isPinned(String name) {
    return name.equals(PINNED) || name.startsWith(PINNED + ".");
  }

  @Override
  public boolean isResetResistant() {
    return true;
  }

  @Override
  public void onStart(LoggerContext context) {}

  @Override
  public void onReset(LoggerContext context) {
    // the reset emptied the turbo filter list; put the guard back
    if (!context.getTurboFilterList().contains(this)) {
      start();
      context.addTurboFilter(this);
    }
  }

  @Override
  public void onStop(LoggerContext context) {}

  @Override
  public void onLevelChange(Logger logger, Level level) {}
}
