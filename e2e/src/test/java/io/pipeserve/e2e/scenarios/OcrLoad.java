package io.pipeserve.e2e.scenarios;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Users sending OCR requests back to back (closed loop, {@code clients} at once, the sample images
 * in turn), each answer checked against the lines the image shows. Every request that fails or
 * reads wrong is kept, with why.
 */
final class OcrLoad implements AutoCloseable {
  private final Supplier<InetSocketAddress> gateway;
  private final List<Thread> clients = new ArrayList<>();
  private final AtomicLong answered = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private volatile boolean stopped;

  private OcrLoad(Supplier<InetSocketAddress> gateway) {
    this.gateway = gateway;
  }

  static OcrLoad start(Supplier<InetSocketAddress> gateway, int clients) {
    OcrLoad load = new OcrLoad(gateway);
    List<String> images = OcrClient.images();
    for (int i = 0; i < clients; i++) {
      int first = i;
      Thread client = new Thread(() -> load.send(images, first), "ocr-client-" + i);
      client.setDaemon(true);
      load.clients.add(client);
      client.start();
    }
    return load;
  }

  private void send(List<String> images, int first) {
    for (int n = first; !stopped; n++) {
      String image = images.get(n % images.size());
      try {
        List<String> read = OcrClient.http(gateway.get(), image);
        if (!read.equals(OcrClient.expected(image))) {
          failures.add(image + " read as " + read);
        }
        answered.incrementAndGet();
      } catch (Exception e) {
        failures.add(image + ": " + e);
      }
    }
  }

  /** Requests answered (right or wrong) so far. */
  long answered() {
    return answered.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Stops sending; the requests under way are finished. */
  @Override
  public void close() throws InterruptedException {
    stopped = true;
    for (Thread client : clients) {
      client.join(120_000);
    }
  }
}
