package io.pipeserve.runtime.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaOpsTest {
  @TempDir Path dir;

  @Test
  void classInAPluginJar_isFoundAndRuns() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    jar(
        plugins.resolve("shout.jar"),
        "acme.Shout",
        """
        package acme;
        import io.pipeserve.runtime.op.*;
        import java.util.List;
        public class Shout implements JavaOp {
          public void process(List<Sample> batch) {
            for (Sample s : batch) s.put("text", s.string("text").toUpperCase() + "!");
          }
        }
        """);

    JavaOp op = JavaOps.instantiate("acme.Shout", JavaOps.pluginLoader(plugins));
    Sample s = new Sample(1, 0, Map.of("text", "hi"));
    op.process(List.of(s));

    assertThat(s.string("text")).isEqualTo("HI!");
  }

  @Test
  void unknownClass_namesTheClassAndWhereItWasLookedFor() {
    assertThatThrownBy(() -> JavaOps.instantiate("acme.Missing", getClass().getClassLoader()))
        .hasMessageContaining("acme.Missing")
        .hasMessageContaining("server.pluginDir");
  }

  @Test
  void classNotImplementingJavaOp_isRejected() {
    assertThatThrownBy(() -> JavaOps.instantiate("java.lang.Object", getClass().getClassLoader()))
        .hasMessageContaining("does not implement")
        .hasMessageContaining(JavaOp.class.getName());
  }

  @Test
  void missingPluginDir_isAStartUpError() {
    assertThatThrownBy(() -> JavaOps.pluginLoader(dir.resolve("nope")))
        .hasMessageContaining("server.pluginDir")
        .hasMessageContaining("not a directory");
  }

  /** Compiles one class against the test classpath and packs it alone into a jar. */
  private void jar(Path jar, String className, String source) throws IOException {
    Path src = dir.resolve("src").resolve(className.replace('.', '/') + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(
            null,
            null,
            null,
            "-cp",
            System.getProperty("java.class.path"),
            "-d",
            classes.toString(),
            src.toString());
    assertThat(rc).as("javac exit code").isZero();
    String entry = className.replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(entry));
      out.write(Files.readAllBytes(classes.resolve(entry)));
      out.closeEntry();
    }
  }
}
