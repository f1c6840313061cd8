package io.pipeserve.runtime.trace.file;

import static io.pipeserve.runtime.trace.file.TimestampNames.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TraceTimelineTest {
  private JsonNode timeline;

  /** Two overlapping "ocr" requests 100 µs apart, and one request of a one-op pipeline "cls". */
  @BeforeEach
  void build() throws Exception {
    List<TraceRecord> traces = new ArrayList<>();
    traces.addAll(Requests.http(1, 1_000_000, 1).traces());
    traces.addAll(Requests.grpc(4, 1_100_000, 1).traces());
    traces.add(
        TraceRecord.builder(7, "cls", 1)
            .timestamp(HTTP_RECV_START, 1_000_000)
            .timestamp(REQUEST_START, 1_001_000)
            .timestamp(REQUEST_END, 1_009_000)
            .timestamp(HTTP_SEND_END, 1_010_000)
            .build());
    traces.add(
        Requests.op(8, 7, "angle", 1_000_000, 1, 2_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000));
    // Through text, as a viewer reads it.
    ObjectMapper json = new ObjectMapper();
    timeline = json.readTree(json.writeValueAsString(TraceTimeline.of(traces)));
  }

  private List<JsonNode> events(String phase) {
    List<JsonNode> events = new ArrayList<>();
    timeline
        .get("traceEvents")
        .forEach(
            e -> {
              if (e.get("ph").asText().equals(phase)) {
                events.add(e);
              }
            });
    return events;
  }

  private Map<String, String> threadNames(int pid) {
    Map<String, String> names = new HashMap<>();
    for (JsonNode m : events("M")) {
      if (m.get("name").asText().equals("thread_name") && m.get("pid").asInt() == pid) {
        names.put(m.get("tid").asText(), m.get("args").get("name").asText());
      }
    }
    return names;
  }

  private JsonNode event(int pid, String name, long traceId) {
    // Stage events follow their execution's span; find the span, then the stage after it.
    List<JsonNode> xs = events("X");
    for (int i = 0; i < xs.size(); i++) {
      JsonNode e = xs.get(i);
      if (e.get("pid").asInt() == pid && e.path("args").path("id").asLong() == traceId) {
        for (int j = i; j < xs.size(); j++) {
          if (xs.get(j).get("name").asText().equals(name)) {
            return xs.get(j);
          }
        }
      }
    }
    throw new AssertionError("no event " + name + " of trace " + traceId);
  }

  @Test
  void aProcessPerPipeline_namedByMetadataEvents() {
    Map<Integer, String> processes = new HashMap<>();
    for (JsonNode m : events("M")) {
      if (m.get("name").asText().equals("process_name")) {
        processes.put(m.get("pid").asInt(), m.get("args").get("name").asText());
      }
    }

    assertThat(processes).containsExactlyInAnyOrderEntriesOf(Map.of(1, "ocr", 2, "cls"));
  }

  @Test
  void aTrackPerOp_withALanePerOverlappingExecution() {
    assertThat(threadNames(1).values())
        .containsExactlyInAnyOrder("requests", "requests #2", "det", "det #2", "rec", "rec #2");
    assertThat(threadNames(2).values()).containsExactlyInAnyOrder("requests", "angle");
  }

  @Test
  void completeEvents_carryTheStagesDurationsInMicroseconds() {
    assertThat(event(1, "request", 1).get("dur").decimalValue()).isEqualByComparingTo("930");
    assertThat(event(1, "HTTP receive", 1).get("dur").decimalValue())
        .isEqualByComparingTo("20.555");
    assertThat(event(1, "gRPC wait/read", 4).get("ts").decimalValue())
        .isEqualByComparingTo("100"); // 100 µs after the earliest timestamp
    assertThat(event(1, "queue", 2).get("dur").decimalValue()).isEqualByComparingTo("15");
    assertThat(event(1, "compute input", 2).get("dur").decimalValue()).isEqualByComparingTo("40");
    assertThat(event(1, "infer", 2).get("dur").decimalValue()).isEqualByComparingTo("300");
    assertThat(event(1, "compute output", 2).get("dur").decimalValue()).isEqualByComparingTo("20");
    assertThat(event(2, "angle", 8).get("args").get("parent_id").asLong()).isEqualTo(7);
  }

  @Test
  void everyCompleteEvent_isWellFormed_onANamedThread() {
    Set<String> namedThreads = new HashSet<>();
    for (JsonNode m : events("M")) {
      if (m.get("name").asText().equals("thread_name")) {
        namedThreads.add(m.get("pid").asInt() + "/" + m.get("tid").asInt());
      }
    }

    assertThat(events("X"))
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(e.get("name").isTextual()).isTrue();
              assertThat(e.get("ts").isNumber()).isTrue();
              assertThat(e.get("dur").decimalValue()).isNotNegative();
              assertThat(namedThreads).contains(e.get("pid").asInt() + "/" + e.get("tid").asInt());
            });
  }

  @Test
  void eventsOfOneThread_nestOrAreDisjoint_asViewersRequire() {
    Map<String, List<JsonNode>> byThread = new HashMap<>();
    for (JsonNode e : events("X")) {
      byThread.computeIfAbsent(e.get("pid") + "/" + e.get("tid"), k -> new ArrayList<>()).add(e);
    }

    for (List<JsonNode> thread : byThread.values()) {
      for (JsonNode a : thread) {
        for (JsonNode b : thread) {
          BigDecimal aStart = a.get("ts").decimalValue();
          BigDecimal aEnd = aStart.add(a.get("dur").decimalValue());
          BigDecimal bStart = b.get("ts").decimalValue();
          BigDecimal bEnd = bStart.add(b.get("dur").decimalValue());
          boolean disjoint = aEnd.compareTo(bStart) <= 0 || bEnd.compareTo(aStart) <= 0;
          boolean aInB = aStart.compareTo(bStart) >= 0 && aEnd.compareTo(bEnd) <= 0;
          boolean bInA = bStart.compareTo(aStart) >= 0 && bEnd.compareTo(aEnd) <= 0;
          assertThat(disjoint || aInB || bInA).as("%s and %s", a, b).isTrue();
        }
      }
    }
  }
}
