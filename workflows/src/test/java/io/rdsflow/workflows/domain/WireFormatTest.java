package io.rdsflow.workflows.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rdsflow.workflows.create.CreateInput;
import io.rdsflow.workflows.steps.PlannedStep;
import io.rdsflow.workflows.steps.StepInput;
import io.rdsflow.workflows.steps.Target;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed values cross the Temporal boundary as the lower-case strings recorded histories hold. */
class WireFormatTest {
  private static String json(Object o) {
    return DefaultDataConverter.newDefaultInstance().toPayload(o).orElseThrow().getData().toString(StandardCharsets.UTF_8);
  }

  @Test
  void serializesAsTheWireStrings() {
    CreateInput in = new CreateInput("rl-1", Engine.LOCAL, Topology.MASTER_SLAVE, "10.11", true)
        .withPlan(List.of(new PlannedStep(1, 1, "do_init", Role.INSTANCE, Target.CONTROL, null)));
    assertThat(json(in)).isEqualTo("{\"instanceId\":\"rl-1\",\"engine\":\"local\",\"topology\":\"master-slave\","
        + "\"engineVersion\":\"10.11\",\"timeZoneRequested\":true,\"plan\":[{\"seq\":1,\"stage\":1,\"name\":\"do_init\","
        + "\"role\":\"instance\",\"target\":\"CONTROL\",\"skipReason\":null}],\"restored\":false}");
    assertThat(json(new StepInput("rl-1", "create-rl-1", 3, "do_make_dir", Role.SLAVE)))
        .isEqualTo("{\"instanceId\":\"rl-1\",\"workflowId\":\"create-rl-1\",\"seq\":3,\"step\":\"do_make_dir\",\"role\":\"slave\"}");
    assertThat(json(Engine.ALIYUN)).isEqualTo("\"aliyun\"");
    assertThat(json(InstanceStatus.RUNNING)).isEqualTo("\"RUNNING\"");
  }

  @Test
  void readsTheWireStringsAndNamesAnUnknownValue() {
    var converter = DefaultDataConverter.newDefaultInstance();
    CreateInput in = converter.fromPayload(converter.toPayload(new CreateInput("ra-1", Engine.ALIYUN, Topology.SINGLE, "8.0", false))
        .orElseThrow(), CreateInput.class, CreateInput.class);
    assertThat(in.engine()).isEqualTo(Engine.ALIYUN);
    assertThat(in.topology()).isEqualTo(Topology.SINGLE);
    assertThat(Role.of("master")).isEqualTo(Role.MASTER);
    assertThat(Engine.of(null)).isNull();
    assertThatThrownBy(() -> Engine.of("oracle")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oracle");
  }
}
