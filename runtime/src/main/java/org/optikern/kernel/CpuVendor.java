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

  /** The vendor string, or empty where it cannot be read (not Linux or Windows, or no access). */
  static Optional<String> name() {
    return Cached.NAME;
  }

  private static final class Cached {
    static final Optional<String> NAME = read();
  }

  private static Optional<String> read() {
    Optional<String> fromLinux = fromCpuInfo(Path.of("/proc/cpuinfo"));
    if (fromLinux.isPresent()) {
      return fromLinux;
    }
    return fromWindowsIdentifier(System.getenv("PROCESSOR_IDENTIFIER"));
  }

  /** The first {@code vendor_id : ...} line of a {@code /proc/cpuinfo}. */
  static Optional<String> fromCpuInfo(Path cpuInfo) {
    if (!Files.isReadable(cpuInfo)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(cpuInfo, StandardCharsets.US_ASCII)) {
      return lines.filter(line -> line.startsWith("vendor_id"))
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
    String[] parts = identifier.split(",");
    String vendor = parts[parts.length - 1].trim();
    return vendor.isEmpty() ? Optional.empty() : Optional.of(vendor);
  }
}
