package io.pipeserve.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.runtime.op.Sample;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChannelTest {

  private static Sample sample(long id, String key, String value) {
    return new Sample(id, 0, Map.of(key, value));
  }

  @Test
  void singleInput_entriesAreReadyInArrivalOrder() throws Exception {
    Channel c = new Channel(List.of("a"));
    c.put("a", sample(2, "v", "two"));
    c.put("a", sample(1, "v", "one"));

    assertThat(c.poll(1, TimeUnit.SECONDS).sample().dataId()).isEqualTo(2);
    assertThat(c.poll(1, TimeUnit.SECONDS).sample().dataId()).isEqualTo(1);
  }

  @Test
  void twoInputs_entryIsReadyOnlyWhenBothDeliveredTheSameDataId() throws Exception {
    Channel c = new Channel(List.of("a", "b"));
    c.put("a", sample(1, "x", "a1"));
    c.put("a", sample(2, "x", "a2"));
    c.put("b", sample(2, "x", "b2"));

    Sample merged = c.poll(1, TimeUnit.SECONDS).sample();

    assertThat(merged.dataId()).isEqualTo(2);
    assertThat(merged.string("a.x")).isEqualTo("a2");
    assertThat(merged.string("b.x")).isEqualTo("b2");
    assertThat(merged.string("x")).as("plain name from the first input").isEqualTo("a2");
    assertThat(c.poll(10, TimeUnit.MILLISECONDS)).as("id 1 still waits for b").isNull();
    assertThat(c.size()).isEqualTo(1);
  }

  @Test
  void discard_forgetsPartialAndReadyEntriesOfARequest() throws Exception {
    Channel c = new Channel(List.of("a", "b"));
    c.put("a", sample(1, "x", "a1"));
    c.put("a", sample(2, "x", "a2"));
    c.put("b", sample(2, "x", "b2"));

    c.discard(1);
    c.discard(2);

    assertThat(c.size()).isZero();
    c.put("b", sample(1, "x", "b1"));
    assertThat(c.poll(10, TimeUnit.MILLISECONDS)).as("a's half was discarded").isNull();
  }

  @Test
  void close_wakesAWaitingTaker() throws Exception {
    Channel c = new Channel(List.of("a"));
    Thread closer = new Thread(c::close);
    closer.start();

    long start = System.nanoTime();
    assertThat(c.poll(10, TimeUnit.SECONDS)).isNull();
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
  }
}
