package org.optikern.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPU's vendor string ({@code GenuineIntel}, {@code AuthenticAMD}), where the operating system
 * says it: Linux's {@code /proc/cpuinfo} ({@code vendor_id}), Windows'
 * {@code PROCESSOR_IDENTIFIER}. Java has no API for it. {@link VectorSupport} needs it because the
 * best vector width for a memory-bound kernel differs between vendors' AVX-512 designs.
 */
final class CpuVendor {
  static final String INTEL = "GenuineIntel";

  private CpuVendor() {}

  /**
   * The vendor string, or empty where it cannot be read (not Linux or Windows, or no access). Reads
   * it on every call: its one caller, {@code VectorSupport}'s default cap, asks once and keeps the
   * answer. Never throws: whatever goes wrong, the vendor is unknown and the default cap stays 256 bits.
   */
  static Optional<String> name() {
    try {
      Optional<String> fromLinux = fromCpuInfo(Path.of("/proc/cpuinfo"));
      if (fromLinux.isPresent()) {
        return fromLinux;
      }
      return fromWindowsIdentifier(System.getenv("PROCESSOR_IDENTIFIER"));
    } catch (RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  /** The first {@code vendor_id : ...} line of a {@code /proc/cpuinfo}. */
  static Optional<String> fromCpuInfo(Path cpuInfo) {
    try (Stream<String> lines = Files.lines(cpuInfo, StandardCharsets.ISO_8859_1)) {
      return lines.filter(line -> line.startsWith("vendor_id") && line.indexOf(':') > 0)
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .filter(vendor -> !vendor.isEmpty())
          .findFirst();
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  /** Windows' {@code PROCESSOR_IDENTIFIER}, e.g. {@code Intel64 Family 6 Model 85 Stepping 7, GenuineIntel}. */
  static Optional<String> fromWindowsIdentifier(String identifier) {
    if (identifier == null) {
      return Optional.empty();
    }
    String vendor = identifier.substring(identifier.lastIndexOf(',') + 1).trim();
    return vendor.isEmpty() ? Optional.empty() : Optional.of(vendor);
  }
}
