package io.pipeserve.e2e.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The node's way out to the internet, which these machines do not have: a {@code curl} that serves
 * the URLs under known prefixes from local directories (the files {@code scripts/fetch-models.sh}
 * verified) and fails as curl {@code -f} fails on a 404 for any other URL. Everything else the
 * download script of a pod does (checksums, renames) runs for real.
 */
public final class DownloadMirror {
  private DownloadMirror() {}

  /**
   * Writes {@code bin/curl}.
   *
   * @param mirrored URL prefix to the directory holding what is under it
   */
  public static void install(Path bin, Map<String, Path> mirrored) {
    StringBuilder cases = new StringBuilder();
    mirrored.forEach(
        (prefix, dir) ->
            cases
                .append("    ")
                .append(quote(prefix))
                .append("*) file=")
                .append(quote(dir.toAbsolutePath().toString()))
                .append("/\"${url#")
                .append(quote(prefix))
                .append("}\" ;;\n"));
    String script =
        """
        #!/usr/bin/env bash
        # curl on the e2e node agent's pods: mirrored URLs only (see DownloadMirror).
        out=""
        url=""
        while [ $# -gt 0 ]; do
          case "$1" in
            -o|--output) out="$2"; shift 2 ;;
            --retry|--retry-delay|--retry-max-time|-m|--max-time|-H|--header|--connect-timeout) shift 2 ;;
            -*) shift ;;
            *) url="$1"; shift ;;
          esac
        done
        file=""
        case "$url" in
        %s    *) ;;
        esac
        if [ -z "$file" ] || [ ! -f "$file" ]; then
          echo "curl: (22) The requested URL returned error: 404 ($url is not mirrored on this node)" >&2
          exit 22
        fi
        if [ -n "$out" ]; then cp "$file" "$out"; else cat "$file"; fi
        """
            .formatted(cases);
    try {
      Files.createDirectories(bin);
      Path curl = bin.resolve("curl");
      Files.writeString(curl, script);
      Files.setPosixFilePermissions(curl, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
