package org.optikern.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default cap on the SIMD kernels' vectors, and where the CPU's vendor comes from. */
class VectorWidthDefaultTest {
  private static final Optional<String> INTEL = Optional.of("GenuineIntel");
  private static final Optional<String> AMD = Optional.of("AuthenticAMD");

  @Test
  void intelFromJdk25Gets512Bits() {
    assertEquals(512, VectorSupport.defaultCap(25, INTEL));
    assertEquals(512, VectorSupport.defaultCap(26, INTEL));
  }

  @Test
  void wideVectorsAndCapsStopAt512BitsWhereSixteenFloatPartialsFillAVector() {
    assertEquals(512, VectorSupport.vectorBits(2048, 2048));
    assertEquals(512, VectorSupport.vectorBits(1024, Integer.MAX_VALUE));
    assertEquals(256, VectorSupport.vectorBits(2048, 256));
    assertEquals(128, VectorSupport.vectorBits(128, 512));
  }

  @Test
  void earlierJdksAndOtherVendorsKeep256Bits() {
    assertEquals(256, VectorSupport.defaultCap(17, INTEL));
    assertEquals(256, VectorSupport.defaultCap(24, INTEL));
    assertEquals(256, VectorSupport.defaultCap(25, AMD));
    assertEquals(256, VectorSupport.defaultCap(25, Optional.empty()));
  }

  @Test
  void linuxVendorIsTheFirstVendorIdLine(@TempDir Path dir) throws IOException {
    Path cpuInfo = dir.resolve("cpuinfo");
    Files.writeString(cpuInfo, "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n\n"
        + "processor\t: 1\nvendor_id\t: GenuineIntel\n");
    assertEquals(INTEL, CpuVendor.fromCpuInfo(cpuInfo));
  }

  @Test
  void noCpuInfoOrNoVendorLineIsUnknown(@TempDir Path dir) throws IOException {
    assertEquals(Optional.empty(), CpuVendor.fromCpuInfo(dir.resolve("absent")));
    Path armCpuInfo = dir.resolve("cpuinfo");
    Files.writeString(armCpuInfo, "processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\n");
    assertEquals(Optional.empty(), CpuVendor.fromCpuInfo(armCpuInfo));
    Path noColon = dir.resolve("no-colon");
    Files.writeString(noColon, "vendor_id\nvendor_id\t: AuthenticAMD\n");
    assertEquals(AMD, CpuVendor.fromCpuInfo(noColon));
  }

  @Test
  void windowsVendorEndsTheProcessorIdentifier() {
    assertEquals(INTEL, CpuVendor.fromWindowsIdentifier("Intel64 Family 6 Model 85 Stepping 7, GenuineIntel"));
    assertEquals(AMD, CpuVendor.fromWindowsIdentifier("AMD64 Family 25 Model 17 Stepping 1, AuthenticAMD"));
    assertEquals(Optional.empty(), CpuVendor.fromWindowsIdentifier(null));
    assertEquals(Optional.empty(), CpuVendor.fromWindowsIdentifier(""));
    assertEquals(Optional.empty(), CpuVendor.fromWindowsIdentifier(","));
    assertEquals(INTEL, CpuVendor.fromWindowsIdentifier("GenuineIntel"));
  }
}
