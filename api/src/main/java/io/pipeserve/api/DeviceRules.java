package io.pipeserve.api;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Rules of an op's {@code device}. */
final class DeviceRules {
  private static final Pattern ID = Pattern.compile("\\d{1,9}");

  private DeviceRules() {}

  static void check(String at, DeviceSpec device, Problems problems) {
    boolean knownType = DeviceSpec.TYPES.contains(device.type());
    if (!knownType) {
      problems.add(at + ".type", Choices.unknown("device type", device.type(), DeviceSpec.TYPES));
    }
    if (!DeviceSpec.PRECISIONS.contains(device.precision())) {
      problems.add(
          at + ".precision",
          Choices.unknown("precision", device.precision(), DeviceSpec.PRECISIONS));
    }
    problems.atLeast(at + ".threads", device.threads(), 1);
    int ids = checkIds(at + ".ids", device.ids(), problems);
    if (!knownType) {
      return;
    }
    if (device.type().equals("cpu") && ids > 0) {
      problems.add(at + ".ids", "must be empty for device.type cpu, got '" + device.ids() + "'");
    } else if (!device.type().equals("cpu") && ids == 0) {
      problems.add(
          at + ".ids", "device.type " + device.type() + " needs at least one id, e.g. \"0\"");
    }
  }

  /** Reports malformed ids and returns how many entries were listed. */
  private static int checkIds(String at, String ids, Problems problems) {
    if (ids.isBlank()) {
      return 0;
    }
    String[] entries = ids.split(",", -1);
    Set<String> seen = new HashSet<>();
    for (String entry : entries) {
      String id = entry.trim();
      if (id.isEmpty()) {
        problems.add(at, "empty entry in '" + ids + "'; list ids as \"0,1\"");
      } else if (!ID.matcher(id).matches()) {
        problems.add(at, "'" + id + "' is not a non-negative integer");
      } else if (!seen.add(String.valueOf(Integer.parseInt(id)))) {
        problems.add(at, "id " + id + " is listed twice");
      }
    }
    return entries.length;
  }
}
