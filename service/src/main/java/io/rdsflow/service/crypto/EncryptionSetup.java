package io.rdsflow.service.crypto;

import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.SettingsDao;
import io.rdsflow.service.config.RdsflowConfiguration;
import io.rdsflow.service.db.MetadataDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the encryption password comes from: {@code ENCRYPTION_PASSWORD} (or
 * {@code security.encryptionPassword}); with the embedded database and none set, a random key kept
 * in {@code <dataDir>/encryption.key} (0600). An external database requires the password.
 */
public final class EncryptionSetup {
  private static final Logger LOG = LoggerFactory.getLogger(EncryptionSetup.class);

  private EncryptionSetup() {}

  public static SecretCipher open(RdsflowConfiguration config, MetadataDatabase db) {
    return EncryptionKeys.open(new SettingsDao(db.jdbi()), password(config, db.isEmbedded()).toCharArray());
  }

  public static String password(RdsflowConfiguration config, boolean embeddedDatabase) {
    String password = config.security.encryptionPassword();
    if (password != null) {
      return password;
    }
    if (!embeddedDatabase) {
      throw new IllegalStateException("ENCRYPTION_PASSWORD is required with an external metadata database"
          + " (database.url is set): secrets there must not depend on a file on one host");
    }
    return keyFile(config.dataPath().resolve("encryption.key"));
  }

  private static String keyFile(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, Base64.getEncoder().encodeToString(SecretCipher.randomBytes(32)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        LOG.warn("ENCRYPTION_PASSWORD is not set: generated a random encryption key in {} (mode 0600)."
            + " Keep that file with the data directory, or set ENCRYPTION_PASSWORD and run 'rekey'.", file);
      } else {
        LOG.warn("ENCRYPTION_PASSWORD is not set: using the encryption key in {}", file);
      }
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create the encryption key file " + file + ": " + e.getMessage(), e);
    }
  }
}
