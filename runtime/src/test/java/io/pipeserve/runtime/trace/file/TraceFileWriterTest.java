package io.pipeserve.runtime.trace.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class TraceFileWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** Request n: pipeline trace id 3n+1 and its two op traces. */
  private static RequestTrace request(int n) {
    return Requests.http(3L * n + 1, 1_000_000L * n, 1);
  }

  /** The pipeline trace ids in a file, which must parse as one complete JSON array. */
  private static List<Long> pipelineIds(Path file) throws Exception {
    JsonNode array = JSON.readTree(file.toFile());
    assertThat(array.isArray()).as("%s is a JSON array", file).isTrue();
    List<Long> ids = new ArrayList<>();
    for (TraceRecord trace : TraceFileReader.read(file)) {
      if (trace.parentId().isEmpty()) {
        ids.add(trace.id());
      }
    }
    return ids;
  }

  private List<String> filesInDir() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void logFrequencyZero_writesNothingUntilFlush_thenFileIsOneCompleteArray() throws Exception {
    Path file = dir.resolve("trace.json");
    try (TraceFileWriter writer = TraceFileWriter.start(file, 0, 100)) {
      writer.submit(request(0));
      writer.submit(request(1));
      await().until(() -> writer.writtenCount() == 2);
      assertThat(file).doesNotExist();

      writer.flush().get(5, TimeUnit.SECONDS);

      assertThat(pipelineIds(file)).containsExactly(1L, 4L);
    }
  }

  @Test
  void logFrequencyZero_fileKeepsEveryTrace_acrossFlushesAndClose() throws Exception {
    Path file = dir.resolve("trace.json");
    TraceFileWriter writer = TraceFileWriter.start(file, 0, 100);
    writer.submit(request(0));
    writer.flush().get(5, TimeUnit.SECONDS);
    writer.submit(request(1));

    writer.close();

    assertThat(pipelineIds(file)).containsExactly(1L, 4L);
    assertThat(filesInDir()).containsExactly("trace.json");
  }

  @Test
  void logFrequencyN_writesEveryNRequestsToFileDotIndex_andTheRestOnClose() throws Exception {
    Path file = dir.resolve("trace.json");
    TraceFileWriter writer = TraceFileWriter.start(file, 2, 100);
    for (int n = 0; n < 5; n++) {
      writer.submit(request(n));
    }
    await().until(() -> Files.exists(dir.resolve("trace.json.1")));
    assertThat(pipelineIds(dir.resolve("trace.json.0"))).containsExactly(1L, 4L);
    assertThat(pipelineIds(dir.resolve("trace.json.1"))).containsExactly(7L, 10L);
    assertThat(dir.resolve("trace.json.2")).doesNotExist();

    writer.close();

    assertThat(pipelineIds(dir.resolve("trace.json.2"))).containsExactly(13L);
    assertThat(filesInDir()).containsExactly("trace.json.0", "trace.json.1", "trace.json.2");
  }

  @Test
  void logFrequencyN_flushWritesTheTracesShortOfN_toTheNextIndex() throws Exception {
    Path file = dir.resolve("trace.json");
    try (TraceFileWriter writer = TraceFileWriter.start(file, 10, 100)) {
      writer.submit(request(0));

      writer.flush().get(5, TimeUnit.SECONDS);
      writer.submit(request(1));
      writer.flush().get(5, TimeUnit.SECONDS);

      assertThat(pipelineIds(dir.resolve("trace.json.0"))).containsExactly(1L);
      assertThat(pipelineIds(dir.resolve("trace.json.1"))).containsExactly(4L);
    }
  }

  @Test
  void changeLogFrequency_flushesUnderTheOldValue_thenRotatesUnderTheNew() throws Exception {
    Path file = dir.resolve("trace.json");
    try (TraceFileWriter writer = TraceFileWriter.start(file, 0, 100)) {
      writer.submit(request(0));

      writer.changeLogFrequency(1).get(5, TimeUnit.SECONDS);
      writer.submit(request(1));
      await().until(() -> Files.exists(dir.resolve("trace.json.0")));

      assertThat(pipelineIds(file)).containsExactly(1L);
      assertThat(pipelineIds(dir.resolve("trace.json.0"))).containsExactly(4L);
    }
  }

  @Test
  @Timeout(10)
  void fullQueue_dropsAndCounts_insteadOfBlocking() throws Exception {
    Path file = dir.resolve("trace.json");
    // Not started: nothing drains the queue, as when the disk stalls.
    TraceFileWriter writer = new TraceFileWriter(file, 0, 2);

    assertThat(writer.submit(request(0))).isTrue();
    assertThat(writer.submit(request(1))).isTrue();
    assertThat(writer.submit(request(2))).isFalse();
    assertThat(writer.droppedCount()).isEqualTo(1);

    writer.startThread();
    writer.close();
    assertThat(pipelineIds(file)).containsExactly(1L, 4L);
  }

  @Test
  void submitAfterClose_isRefusedAndCounted() throws Exception {
    TraceFileWriter writer = TraceFileWriter.start(dir.resolve("trace.json"), 0, 10);
    writer.close();

    assertThat(writer.submit(request(0))).isFalse();
    assertThat(writer.droppedCount()).isEqualTo(1);
    writer.close();
  }

  @Test
  @Timeout(30)
  void concurrentSubmitters_everyTraceIsWrittenOnceOrCountedAsDropped() throws Exception {
    Path file = dir.resolve("trace.json");
    TraceFileWriter writer = TraceFileWriter.start(file, 50, 64);
    int threads = 4;
    int perThread = 500;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t * perThread;
      Thread submitter =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int n = first; n < first + perThread; n++) {
                  writer.submit(request(n));
                }
              });
      submitter.start();
      submitters.add(submitter);
    }
    go.countDown();
    for (Thread submitter : submitters) {
      submitter.join();
    }
    writer.close();

    List<Long> ids = new ArrayList<>();
    for (String name : filesInDir()) {
      ids.addAll(pipelineIds(dir.resolve(name)));
    }
    assertThat(ids).doesNotHaveDuplicates().hasSize((int) writer.writtenCount());
    assertThat(writer.writtenCount() + writer.droppedCount()).isEqualTo(threads * perThread);
    assertThat(filesInDir()).allMatch(name -> name.matches("trace\\.json\\.\\d+"));
  }

  @Test
  void closeFromSeveralThreads_writesOnce_andReturnsInEach() throws Exception {
    Path file = dir.resolve("trace.json");
    TraceFileWriter writer = TraceFileWriter.start(file, 0, 10);
    writer.submit(request(0));

    Thread other = new Thread(writer::close);
    other.start();
    writer.close();
    other.join(Duration.ofSeconds(5).toMillis());

    assertThat(other.isAlive()).isFalse();
    assertThat(pipelineIds(file)).containsExactly(1L);
  }
}
