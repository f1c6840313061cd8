package io.pipeserve.runtime.step.image;

/** Loads OpenCV's native library (bundled in org.openpnp:opencv) once per process. */
public final class OpenCv {
  private static boolean loaded;

  private OpenCv() {}

  /** Loads the natives on first call; later calls return at once. */
  public static synchronized void load() {
    if (!loaded) {
      // loadLocally extracts the bundled library for this platform; it needs no network.
      nu.pattern.OpenCV.loadLocally();
      loaded = true;
    }
  }
}
