package io.rdsflow.activities.local;

import io.rdsflow.mysqld.MysqldServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Administrative connections to a node, always through its local socket as root: first with the
 * stored root password, and only while the node is fresh (root has none yet) without one.
 */
public final class NodeSql {
  private NodeSql() {}

  public static Connection root(MysqldServer server, String rootPassword) throws SQLException {
    String url = "jdbc:mariadb://localhost/?localSocket=" + server.socket() + "&sslMode=disable&allowMultiQueries=true";
    try {
      return DriverManager.getConnection(url, "root", rootPassword);
    } catch (SQLException withPassword) {
      if (withPassword.getErrorCode() != 1045) {
        throw withPassword;
      }
      try {
        return DriverManager.getConnection(url, "root", "");
      } catch (SQLException fresh) {
        throw withPassword;
      }
    }
  }
}
