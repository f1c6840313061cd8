package io.pipeserve.bench.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Command-line values as people write them: {@code 30s}, {@code 500ms}, {@code 500/s}. */
final class Converters {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");
  private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)(?:/(s|m))?");

  private Converters() {}

  /** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}; a bare number is seconds. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new TypeConversionException(
            "'" + value + "' is not a duration: write 30s, 500ms, 2m or 1h");
      }
      double n = Double.parseDouble(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      double millis =
          switch (unit) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 1000;
          };
      return Duration.ofNanos(Math.round(millis * 1e6));
    }
  }

  /** Requests per second: {@code 500/s}, {@code 500}, or per minute {@code 30/m}. */
  static final class RateConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      Matcher m = RATE.matcher(value.trim().toLowerCase(Locale.ROOT));
      if (!m.matches() || Double.parseDouble(m.group(1)) <= 0) {
        throw new TypeConversionException(
            "'" + value + "' is not a rate: write 500/s (or 500), or 30/m");
      }
      double n = Double.parseDouble(m.group(1));
      return "m".equals(m.group(2)) ? n / 60 : n;
    }
  }
}
