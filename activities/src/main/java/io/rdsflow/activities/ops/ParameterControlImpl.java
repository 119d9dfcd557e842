package io.rdsflow.activities.ops;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rdsflow.activities.meta.Json;
import io.rdsflow.activities.meta.OperationDao;
import io.rdsflow.activities.meta.RequestDao;
import io.rdsflow.activities.steps.StepFailure;
import io.rdsflow.workflows.activities.ParameterControl;
import io.rdsflow.workflows.operate.OperationStepInput;
import io.rdsflow.workflows.operate.OperationStepResult;
import io.rdsflow.workflows.operate.SpecChangePlans;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code rdsflow_persist_parameters}: the parameters of the operation's request (validated and normalised by the
 * API, stored in its row) become the instance's parameters, so every my.cnf written from now on holds them.
 */
public final class ParameterControlImpl implements ParameterControl {
  /** The {@code source} of a parameter set by an operation (next to template and request). */
  public static final String SOURCE = "operation";

  private final OperationSteps steps;
  private final OperationDao operations;
  private final RequestDao requests;

  public ParameterControlImpl(Jdbi jdbi, OperationSteps steps) {
    this.steps = steps;
    this.operations = new OperationDao(jdbi);
    this.requests = new RequestDao(jdbi);
  }

  @Override
  public OperationStepResult persistParameters(OperationStepInput in) {
    return steps.run(in, () -> {
      Map<String, String> wanted = requested(operations, in.operationId());
      requests.upsertParams(in.instanceId(), wanted, SOURCE);
      Map<String, String> facts = new LinkedHashMap<>();
      wanted.forEach((k, v) -> facts.put(SpecChangePlans.FACT_PARAMETER + k, v));
      return new OperationStepResult("stored: " + wanted, facts);
    });
  }

  /** The normalised parameters the operation's row holds. */
  public static Map<String, String> requested(OperationDao operations, String operationId) {
    OperationDao.Operation op = operations.find(operationId)
        .orElseThrow(() -> new StepFailure("operation " + operationId + " has no row"));
    Map<String, Object> request = Json.read(op.paramsJson(), new TypeReference<Map<String, Object>>() {});
    Object params = request.get("parameters");
    if (!(params instanceof Map<?, ?> m) || m.isEmpty()) {
      throw new StepFailure("operation " + operationId + " names no parameters");
    }
    Map<String, String> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    return out;
  }
}
