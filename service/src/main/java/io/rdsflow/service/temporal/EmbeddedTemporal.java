package io.rdsflow.service.temporal;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The in-memory Temporal service of {@code temporal-test-server}, bound to 127.0.0.1 on a real
 * gRPC port with time skipping off. The only class that touches its internal API.
 */
public final class EmbeddedTemporal implements AutoCloseable {
  private final TestServicesStarter services;
  private final Server server;

  private EmbeddedTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  /** @param port 0 for a free port */
  public static EmbeddedTemporal start(int port) throws IOException {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      return new EmbeddedTemporal(services, builder.build().start());
    } catch (IOException e) {
      services.close();
      throw new IOException("cannot bind the embedded Temporal to 127.0.0.1:" + port
          + " (" + e.getMessage() + "); set temporal.embeddedPort to a free port, or temporal.target to an existing cluster", e);
    }
  }

  public int port() {
    return server.getPort();
  }

  public String target() {
    return "127.0.0.1:" + port();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    services.close();
  }
}
