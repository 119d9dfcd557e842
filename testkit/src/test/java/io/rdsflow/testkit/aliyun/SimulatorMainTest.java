package io.rdsflow.testkit.aliyun;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The standalone entry point, as a separate JVM. */
class SimulatorMainTest {

    @Test
    void parsesDurations() {
        assertThat(SimulatorMain.duration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(SimulatorMain.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(SimulatorMain.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(SimulatorMain.duration("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(SimulatorMain.duration("PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThat(SimulatorMain.duration("4")).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void printsPortServesStatsAndPrintsCountsOnShutdown() throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                SimulatorMain.class.getName(), "--port", "0", "--account", "77:LTAImain:main-secret",
                "--create-delay", "2s", "--fault-rate", "0.1", "--throttle-rps", "20",
                "--after-effect-fault-rate", "0.1", "--after-effect-drop-share", "0.25", "--instances-per-account", "1")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            int port = -1;
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("OPENAPI_SIMULATOR_PORT=")) {
                    port = Integer.parseInt(line.substring(line.indexOf('=') + 1));
                    break;
                }
            }
            assertThat(port).isPositive();
            HttpResponse<String> stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/_sim/stats")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(stats.statusCode()).isEqualTo(200);
            assertThat(stats.body()).contains("\"totalCalls\":0").contains("\"afterEffectFaults\":0");
            HttpResponse<String> instances = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/_sim/instances")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(instances.statusCode()).isEqualTo(200);
            assertThat(instances.body()).contains("\"DBInstanceId\":\"rm-sim01x00001\"").contains("\"uid\":\"77\"");

            p.toHandle().destroy(); // SIGTERM -> shutdown hook prints the counts (Process.destroy closes our pipe)
            StringBuilder rest = new StringBuilder();
            while ((line = out.readLine()) != null) {
                rest.append(line).append('\n');
            }
            assertThat(rest).contains("Calls per API", "instancesCreated=0", "afterEffectFaults=0");
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
