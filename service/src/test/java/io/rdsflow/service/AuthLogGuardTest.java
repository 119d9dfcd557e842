package io.rdsflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.rdsflow.service.auth.CredentialLogGuard;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link CredentialLogGuard}: Jetty stays at INFO, other lines lose their Authorization values. */
class AuthLogGuardTest {
  private static final String TOKEN = "Basic YWRtaW46c2VjcmV0LXBhc3N3b3Jk";

  @Test
  void authorizationValuesNeverReachTheLog() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    CredentialLogGuard.install(context);
    CredentialLogGuard.install(context);
    assertThat(context.getTurboFilterList().stream().filter(f -> f instanceof CredentialLogGuard)).hasSize(1);

    ch.qos.logback.classic.Logger jetty = context.getLogger("org.eclipse.jetty.http.HttpParser");
    Level before = jetty.getLevel();
    Logger ours = LoggerFactory.getLogger("io.rdsflow.guardtest");
    try (LogCapture logs = new LogCapture()) {
      jetty.setLevel(Level.TRACE);
      assertThat(jetty.isDebugEnabled()).isFalse();
      jetty.debug("parsedHeader(Authorization: {})", TOKEN);
      jetty.info("an info line of jetty stays");

      ours.warn("request headers {}", Map.of("Authorization", TOKEN));
      ours.info("Authorization: " + TOKEN + "\nnext line stays");
      ours.debug("header authorization={}", TOKEN);
      ours.info("plain line with {} and {}", "no", "credentials");

      String all = logs.all();
      assertThat(all).doesNotContain("YWRtaW46c2VjcmV0LXBhc3N3b3Jk");
      assertThat(all).contains("an info line of jetty stays").doesNotContain("parsedHeader");
      assertThat(all).contains("request headers {Authorization=***}");
      assertThat(all).contains("Authorization: ***\nnext line stays");
      assertThat(all).doesNotContain("header authorization");
      assertThat(all).contains("plain line with no and credentials");
    } finally {
      jetty.setLevel(before);
    }
  }

  @Test
  void maskKeepsTheRest() {
    assertThat(CredentialLogGuard.mask("GET / Authorization: Basic abc, Host: x")).isEqualTo("GET / Authorization: ***, Host: x");
    assertThat(CredentialLogGuard.mask("{\"authorization\": \"Bearer t\"}")).isEqualTo("{\"authorization\": ***}");
    assertThat(CredentialLogGuard.mask("no header here")).isEqualTo("no header here");
  }
}
