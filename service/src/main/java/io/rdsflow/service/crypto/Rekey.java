package io.rdsflow.service.crypto;

import io.rdsflow.activities.crypto.SecretCipher;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Re-encrypts every stored secret under a new password, in one transaction. */
public final class Rekey {
  /** Table → (key column, secret columns): every column that holds ciphertext. */
  private static final List<String[]> SECRET_COLUMNS = List.of(
      new String[] {"aliyun_accounts", "aliyun_uid", "access_key_secret_encrypted"},
      new String[] {"instance_list", "ins_id", "monitor_password_encrypted"},
      new String[] {"instance_list", "ins_id", "root_password_encrypted"},
      new String[] {"instance_accounts", "CONCAT(ins_id, '/', account_name)", "password_encrypted"});

  private Rekey() {}

  /** @return how many values were re-encrypted */
  public static int run(Jdbi jdbi, SecretCipher oldCipher, SecretCipher newCipher) {
    return jdbi.inTransaction(h -> {
      int n = 0;
      for (String[] t : SECRET_COLUMNS) {
        List<Map<String, Object>> rows = h.createQuery("SELECT " + t[1] + " AS k, " + t[2] + " AS v FROM " + t[0]
                + " WHERE " + t[2] + " IS NOT NULL FOR UPDATE")
            .mapToMap().list();
        for (Map<String, Object> row : rows) {
          String plain = oldCipher.decrypt((String) row.get("v"));
          h.createUpdate("UPDATE " + t[0] + " SET " + t[2] + " = :v WHERE " + t[1] + " = :k")
              .bind("v", newCipher.encrypt(plain)).bind("k", row.get("k").toString()).execute();
          n++;
        }
      }
      h.createUpdate("UPDATE settings SET value = :v WHERE name = :n")
          .bind("v", EncryptionKeys.newKeyCheck(newCipher)).bind("n", EncryptionKeys.CHECK).execute();
      return n;
    });
  }
}
