package io.rdsflow.service.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.rdsflow.service.crypto.EncryptionKeys;
import io.rdsflow.service.crypto.Rekey;
import io.rdsflow.activities.crypto.SecretCipher;
import io.rdsflow.activities.meta.SettingsDao;
import io.rdsflow.service.config.RdsflowConfiguration;
import io.rdsflow.service.crypto.EncryptionSetup;
import io.rdsflow.service.db.MetadataDatabase;
import java.util.Base64;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code rekey [config.yml]}: re-encrypts every stored secret under the password in the environment
 * variable {@code NEW_ENCRYPTION_PASSWORD} (or the one named by {@code --new-password-env}). The
 * current password comes from where the service takes it. Stop the service first.
 */
public final class RekeyCommand extends ConfiguredCommand<RdsflowConfiguration> {
  public RekeyCommand() {
    super("rekey", "Re-encrypt every stored secret under a new ENCRYPTION_PASSWORD");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser.addArgument("--new-password-env").setDefault("NEW_ENCRYPTION_PASSWORD")
        .help("environment variable holding the new password");
  }

  @Override
  protected void run(Bootstrap<RdsflowConfiguration> bootstrap, Namespace namespace, RdsflowConfiguration config) {
    String variable = namespace.getString("new_password_env");
    String newPassword = System.getenv(variable);
    if (newPassword == null || newPassword.isBlank()) {
      throw new IllegalArgumentException("set the new password in the environment variable " + variable);
    }
    MetadataDatabase db = MetadataDatabase.open(config, null);
    try {
      SettingsDao settings = new SettingsDao(db.jdbi());
      SecretCipher oldCipher = EncryptionSetup.open(config, db);
      byte[] salt = Base64.getDecoder().decode(settings.get("kdf_salt").orElseThrow());
      SecretCipher newCipher = SecretCipher.fromPassword(newPassword.toCharArray(), salt);
      int n = Rekey.run(db.jdbi(), oldCipher, newCipher);
      EncryptionKeys.open(settings, newPassword.toCharArray());
      System.out.println("Re-encrypted " + n + " secret(s). Start the service with ENCRYPTION_PASSWORD set to the new password.");
    } finally {
      db.stop();
    }
  }
}
