package org.optikern.optim;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.optikern.model.StateShape;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;

/**
 * The checkpoint format of {@link Updater}, version 3 (versions 1, without scalar states, and 2,
 * without parameter groups, are still read). Big-endian, as {@link DataOutputStream} writes:
 *
 * <pre>
 * magic        8 bytes  "OPTIKERN"
 * version      int      3
 * optimizer    string   registry name of the optimizer ("signum")
 * num_update   int
 * counts       int n, then n times: int index, int count (ascending index)
 * states       int n, then n times (ascending index):
 *                int index, int k, k times: string name, tensor;
 *                byte 1 and a tensor (the float32 master copy) or byte 0,
 *                int m, m times: string name, long (the raw bits of a scalar state; from version 2)
 * groups       int g, then g times (from version 3): int n, n ints (the indices),
 *                int m, m times: string name, long (the raw bits of the value the group sets)
 * checksum     long     CRC-32 of every byte before it
 *
 * string       int length, then that many bytes of UTF-8
 * tensor       byte dtype (0 float32, 1 float64, 2 float16), int rank, rank ints (the shape),
 *              then the elements' raw bits (int, long or short each)
 * </pre>
 *
 * <p>Reading takes the whole input, checks magic, version and checksum, and parses it with every
 * length checked against the bytes that remain, so a damaged file fails with a message instead of
 * an out-of-memory error or a half-loaded updater.
 */
final class UpdaterCheckpoint {
  static final int VERSION = 3;
  /** The first version, without scalar states: still read. */
  static final int VERSION_WITHOUT_SCALAR_STATES = 1;
  /** The second, without parameter groups: still read, and loading it leaves the optimizer's groups as they are. */
  static final int VERSION_WITHOUT_GROUPS = 2;
  private static final byte[] MAGIC = "OPTIKERN".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_NAME_BYTES = 1024;

  private final String optimizer;
  private final UpdateCounts counts;
  private final Map<Integer, OptimizerState> states;
  /** The parameter groups, each its indices and the values it sets; null from a version without them. */
  private final List<SavedGroup> groups;

  /** A parameter group as saved: its indices and the values it sets. */
  record SavedGroup(List<Integer> indices, Map<String, Double> values) {}

  private UpdaterCheckpoint(String optimizer, UpdateCounts counts, Map<Integer, OptimizerState> states,
      List<SavedGroup> groups) {
    this.optimizer = optimizer;
    this.counts = counts;
    this.states = states;
    this.groups = groups;
  }

  UpdateCounts counts() {
    return counts;
  }

  Map<Integer, OptimizerState> states() {
    return states;
  }

  // ---- writing ----

  static void write(OutputStream out, String optimizer, UpdateCounts counts, Map<Integer, OptimizerState> states,
      List<ParameterGroup> groups) throws IOException {
    // the checksum is computed as the bytes go out: no second copy of the states in memory
    CRC32 crc = new CRC32();
    DataOutputStream data = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(out), crc));
    data.write(MAGIC);
    data.writeInt(VERSION);
    writeString(data, optimizer);
    data.writeInt(counts.numUpdate());
    data.writeInt(counts.byIndex().size());
    for (Map.Entry<Integer, Integer> count : counts.byIndex().entrySet()) {
      data.writeInt(count.getKey());
      data.writeInt(count.getValue());
    }
    data.writeInt(states.size());
    for (Map.Entry<Integer, OptimizerState> entry : new TreeMap<>(states).entrySet()) {
      OptimizerState state = entry.getValue();
      data.writeInt(entry.getKey());
      data.writeInt(state.names().size());
      for (int s = 0; s < state.names().size(); s++) {
        writeString(data, state.names().get(s));
        writeTensor(data, state.arrays().get(s));
      }
      data.writeBoolean(state.master().isPresent());
      if (state.master().isPresent()) {
        writeTensor(data, state.master().get());
      }
      data.writeInt(state.scalarNames().size());
      for (int s = 0; s < state.scalarNames().size(); s++) {
        writeString(data, state.scalarNames().get(s));
        data.writeLong(Double.doubleToRawLongBits(state.scalarValues()[s]));
      }
    }
    data.writeInt(groups.size());
    for (ParameterGroup group : groups) {
      data.writeInt(group.indices().size());
      for (int index : group.indices()) {
        data.writeInt(index);
      }
      Map<String, Double> values = Optimizer.resolvedValues(group);
      data.writeInt(values.size());
      for (Map.Entry<String, Double> value : values.entrySet()) {
        writeString(data, value.getKey());
        data.writeLong(Double.doubleToRawLongBits(value.getValue()));
      }
    }
    data.flush();
    // every byte so far has passed through the checksum; the checksum itself goes to out directly
    DataOutputStream tail = new DataOutputStream(out);
    tail.writeLong(crc.getValue());
    tail.flush();
  }

  private static void writeString(DataOutputStream data, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    data.writeInt(utf8.length);
    data.write(utf8);
  }

  private static void writeTensor(DataOutputStream data, Tensor state) throws IOException {
    // an off-heap state is written from a copy: the same bits, and a checkpoint does not say where states lived
    Tensor tensor = state.isOffHeap() ? state.onHeap() : state;
    data.writeByte(dtypeCode(tensor.dtype()));
    int[] shape = tensor.shape();
    data.writeInt(shape.length);
    for (int dimension : shape) {
      data.writeInt(dimension);
    }
    switch (tensor.dtype()) {
      case FLOAT32 -> {
        for (float value : tensor.floatData()) {
          data.writeInt(Float.floatToRawIntBits(value));
        }
      }
      case FLOAT64 -> {
        for (double value : tensor.doubleData()) {
          data.writeLong(Double.doubleToRawLongBits(value));
        }
      }
      case FLOAT16 -> {
        for (short value : tensor.halfData()) {
          data.writeShort(value);
        }
      }
    }
  }

  private static int dtypeCode(DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> 0;
      case FLOAT64 -> 1;
      case FLOAT16 -> 2;
    };
  }

  // ---- reading ----

  static UpdaterCheckpoint read(InputStream in) throws IOException {
    byte[] bytes = in.readAllBytes();
    if (bytes.length < MAGIC.length || !ByteBuffer.wrap(bytes, 0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
      throw new InvalidCheckpointException("not an Optikern updater checkpoint: it does not start with OPTIKERN");
    }
    if (bytes.length < MAGIC.length + Integer.BYTES) {
      throw new InvalidCheckpointException("checkpoint is truncated: " + bytes.length + " bytes, it ends inside its header");
    }
    int version = ByteBuffer.wrap(bytes).getInt(MAGIC.length);
    if (version < VERSION_WITHOUT_SCALAR_STATES || version > VERSION) {
      throw new InvalidCheckpointException("checkpoint format version " + version + " is not supported: this Optikern reads "
          + "versions " + VERSION_WITHOUT_SCALAR_STATES + " to " + VERSION);
    }
    int bodyEnd = bytes.length - Long.BYTES;
    if (bodyEnd < MAGIC.length + Integer.BYTES) {
      throw new InvalidCheckpointException("checkpoint is truncated: " + bytes.length + " bytes, it ends before its checksum");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bodyEnd);
    if (crc.getValue() != ByteBuffer.wrap(bytes).getLong(bodyEnd)) {
      throw new InvalidCheckpointException("checkpoint is truncated or corrupted: its CRC-32 checksum does not match ("
          + bytes.length + " bytes)");
    }
    ByteBuffer body = ByteBuffer.wrap(bytes, 0, bodyEnd);
    body.position(MAGIC.length + Integer.BYTES);
    try {
      UpdaterCheckpoint checkpoint = parse(body, version);
      if (body.hasRemaining()) {
        throw new InvalidCheckpointException("checkpoint has " + body.remaining() + " unexpected bytes before its checksum");
      }
      return checkpoint;
    } catch (BufferUnderflowException e) {
      throw new InvalidCheckpointException("checkpoint ends in the middle of a record (at byte " + body.position() + ")");
    }
  }

  private static UpdaterCheckpoint parse(ByteBuffer body, int version) throws InvalidCheckpointException {
    String optimizer = readString(body, "optimizer name");
    int numUpdate = body.getInt();
    int countEntries = readCount(body, 2 * Integer.BYTES, "update counts");
    Map<Integer, Integer> counts = new TreeMap<>();
    for (int c = 0; c < countEntries; c++) {
      int index = body.getInt();
      int count = body.getInt();
      if (count < 0) {
        throw new InvalidCheckpointException("update count of index " + index + " is negative: " + count);
      }
      if (counts.put(index, count) != null) {
        throw new InvalidCheckpointException("index " + index + " has two update counts");
      }
      if (count > numUpdate) {
        throw new InvalidCheckpointException("index " + index + " has count " + count + " above num_update " + numUpdate);
      }
    }
    int stateEntries = readCount(body, 2 * Integer.BYTES + 1, "states");
    Map<Integer, OptimizerState> states = new LinkedHashMap<>();
    for (int e = 0; e < stateEntries; e++) {
      int index = body.getInt();
      int arrayCount = readCount(body, Integer.BYTES + 6, "state arrays of index " + index);
      List<String> names = new ArrayList<>();
      List<Tensor> arrays = new ArrayList<>();
      for (int a = 0; a < arrayCount; a++) {
        names.add(readString(body, "state name of index " + index));
        arrays.add(readTensor(body, "state '" + names.get(a) + "' of index " + index));
      }
      byte hasMaster = body.get();
      if (hasMaster != 0 && hasMaster != 1) {
        throw new InvalidCheckpointException("master-copy flag of index " + index + " is " + hasMaster + ", not 0 or 1");
      }
      Tensor master = hasMaster == 1 ? readTensor(body, "master copy of index " + index) : null;
      List<String> scalarNames = new ArrayList<>();
      double[] scalarValues = new double[0];
      if (version >= VERSION_WITHOUT_GROUPS) {
        int scalarCount = readCount(body, Integer.BYTES + Long.BYTES, "scalar states of index " + index);
        scalarValues = new double[scalarCount];
        for (int s = 0; s < scalarCount; s++) {
          scalarNames.add(readString(body, "scalar state name of index " + index));
          scalarValues[s] = Double.longBitsToDouble(body.getLong());
        }
      }
      if (states.put(index, new OptimizerState(optimizer, names, arrays, master, scalarNames, scalarValues)) != null) {
        throw new InvalidCheckpointException("index " + index + " has two states");
      }
    }
    for (int index : states.keySet()) {
      // an index gets its state when its first update is counted: a state without a count is a damaged file
      Integer count = counts.get(index);
      if (count == null || count < 1) {
        throw new InvalidCheckpointException("index " + index + " has a state but " + (count == null ? "no update count"
            : "update count " + count) + ": a state is kept only once an update of its index has been counted");
      }
    }
    List<SavedGroup> groups = version >= VERSION ? readGroups(body) : null;
    return new UpdaterCheckpoint(optimizer, new UpdateCounts(numUpdate, counts), states, groups);
  }

  private static List<SavedGroup> readGroups(ByteBuffer body) throws InvalidCheckpointException {
    int groupCount = readCount(body, 2 * Integer.BYTES, "parameter groups");
    List<SavedGroup> groups = new ArrayList<>();
    java.util.Set<Integer> grouped = new java.util.HashSet<>();
    for (int g = 0; g < groupCount; g++) {
      int indexCount = readCount(body, Integer.BYTES, "indices of parameter group " + g);
      List<Integer> indices = new ArrayList<>();
      for (int i = 0; i < indexCount; i++) {
        int index = body.getInt();
        if (!grouped.add(index)) {
          throw new InvalidCheckpointException("index " + index + " is in two parameter groups");
        }
        indices.add(index);
      }
      int valueCount = readCount(body, Integer.BYTES + Long.BYTES, "values of parameter group " + g);
      Map<String, Double> values = new TreeMap<>();
      for (int v = 0; v < valueCount; v++) {
        String name = readString(body, "value name of parameter group " + g);
        if (values.put(name, Double.longBitsToDouble(body.getLong())) != null) {
          throw new InvalidCheckpointException("parameter group " + g + " sets " + name + " twice");
        }
      }
      groups.add(new SavedGroup(indices, values));
    }
    return groups;
  }

  /** A non-negative entry count whose entries, at least {@code minimumBytes} each, fit in what remains. */
  private static int readCount(ByteBuffer body, int minimumBytes, String what) throws InvalidCheckpointException {
    int count = body.getInt();
    if (count < 0 || (long) count * minimumBytes > body.remaining()) {
      throw new InvalidCheckpointException("checkpoint claims " + count + " " + what + ", which do not fit in its "
          + body.remaining() + " remaining bytes");
    }
    return count;
  }

  private static String readString(ByteBuffer body, String what) throws InvalidCheckpointException {
    int length = body.getInt();
    if (length < 0 || length > MAX_NAME_BYTES || length > body.remaining()) {
      throw new InvalidCheckpointException(what + " has an impossible length " + length);
    }
    byte[] utf8 = new byte[length];
    body.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static Tensor readTensor(ByteBuffer body, String what) throws InvalidCheckpointException {
    byte code = body.get();
    DType dtype = switch (code) {
      case 0 -> DType.FLOAT32;
      case 1 -> DType.FLOAT64;
      case 2 -> DType.FLOAT16;
      default -> throw new InvalidCheckpointException(what + " has an unknown dtype code " + code);
    };
    int rank = body.getInt();
    if (rank < 1 || rank > Tensor.MAX_RANK) {
      throw new InvalidCheckpointException(what + " has an impossible rank " + rank);
    }
    int[] shape = new int[rank];
    long size = 1;
    int elementBytes = switch (dtype) {
      case FLOAT32 -> Float.BYTES;
      case FLOAT64 -> Double.BYTES;
      case FLOAT16 -> Short.BYTES;
    };
    for (int d = 0; d < rank; d++) {
      shape[d] = body.getInt();
      size *= Math.max(shape[d], 0);
      if (shape[d] < 0 || size * elementBytes > body.remaining()) {
        throw new InvalidCheckpointException(what + " has shape dimension " + shape[d] + ", which does not fit in the "
            + body.remaining() + " remaining bytes");
      }
    }
    int n = (int) size;
    return switch (dtype) {
      case FLOAT32 -> {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
          values[i] = Float.intBitsToFloat(body.getInt());
        }
        yield Tensor.of(values, shape);
      }
      case FLOAT64 -> {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
          values[i] = Double.longBitsToDouble(body.getLong());
        }
        yield Tensor.of(values, shape);
      }
      case FLOAT16 -> {
        short[] values = new short[n];
        body.asShortBuffer().get(values);
        body.position(body.position() + n * Short.BYTES);
        yield Tensor.ofHalf(values, shape);
      }
    };
  }

  // ---- fitting an optimizer ----

  /**
   * Checks that every state is one {@code target} would have created, for the same optimizer, with
   * the checkpoint's parameter groups (made here, each value checked as at construction); returns
   * those groups, or null from a version without groups (the optimizer's then stay).
   */
  List<ParameterGroup> checkFits(Optimizer target) throws InvalidCheckpointException {
    if (!optimizer.equals(target.name())) {
      throw new InvalidCheckpointException("checkpoint is from optimizer '" + optimizer + "', this updater's optimizer is '"
          + target.name() + "'");
    }
    List<ParameterGroup> made = null;
    Map<Integer, ParameterGroup> byIndex = new java.util.HashMap<>();
    if (groups != null) {
      made = new ArrayList<>();
      for (SavedGroup saved : groups) {
        ParameterGroup group;
        try {
          group = target.makeGroup(saved.indices(), saved.values());
        } catch (IllegalArgumentException e) {
          throw new InvalidCheckpointException("parameter group " + saved.values() + " of indices " + saved.indices()
              + " does not fit " + target.name() + ": " + e.getMessage());
        }
        made.add(group);
        group.indices().forEach(index -> byIndex.put(index, group));
      }
    }
    for (Map.Entry<Integer, OptimizerState> entry : states.entrySet()) {
      checkState(target, entry.getKey(), entry.getValue(), groups == null ? null : byIndex);
    }
    return made;
  }

  private static List<String> stateNames(Optimizer target, int index, DType dtype, boolean factored,
      Map<Integer, ParameterGroup> groups) {
    return groups == null ? target.stateNames(index, dtype, factored) : target.stateNames(index, dtype, factored, groups);
  }

  private static void checkState(Optimizer target, int index, OptimizerState state,
      Map<Integer, ParameterGroup> groups) throws InvalidCheckpointException {
    String where = "state of index " + index;
    Tensor master = state.master().orElse(null);
    if (master != null && !target.multiPrecision()) {
      throw new InvalidCheckpointException(where + " holds a float32 master copy, but this optimizer is not multi_precision");
    }
    if (master != null && master.dtype() != DType.FLOAT32) {
      throw new InvalidCheckpointException(where + ": its master copy is " + master.dtype().mxnetName() + ", not float32");
    }
    Tensor first = master != null ? master : state.arrays().isEmpty() ? null : state.arrays().get(0);
    DType dtype = first == null ? DType.FLOAT32 : first.dtype();
    if (master == null && dtype == DType.FLOAT16 && target.multiPrecision()) {
      throw new InvalidCheckpointException(where + " is float16 without a master copy, but this optimizer is "
          + "multi_precision: it keeps float16 weights' states in float32 with a master copy");
    }
    // a spec with values per row or column keeps other arrays for weights of two or more dimensions
    boolean factored = target.descriptor().factored()
        && state.names().equals(stateNames(target, index, dtype, true, groups));
    List<String> expected = stateNames(target, index, dtype, factored, groups);
    if (!state.names().equals(expected)) {
      throw new InvalidCheckpointException(where + " has arrays " + state.names() + ", but " + target.name()
          + " with these hyperparameters keeps " + expected);
    }
    if (!state.scalarNames().equals(target.descriptor().scalarStateNames())) {
      throw new InvalidCheckpointException(where + " has scalar states " + state.scalarNames() + ", but "
          + target.name() + " keeps " + target.descriptor().scalarStateNames());
    }
    Tensor firstFull = null;
    for (int s = 0; s < state.arrays().size(); s++) {
      if (target.descriptor().stateShape(state.names().get(s)) == StateShape.FULL) {
        firstFull = firstFull != null ? firstFull : state.arrays().get(s);
      }
    }
    for (int s = 0; s < state.arrays().size(); s++) {
      Tensor array = state.arrays().get(s);
      StateShape shape = target.descriptor().stateShape(state.names().get(s));
      // a value per row or column: its shape is checked against the weight's when it is updated
      boolean shapeOk = shape != StateShape.FULL || firstFull == null || array.sameShape(firstFull);
      if (array.dtype() != dtype || !shapeOk) {
        throw new InvalidCheckpointException(where + ": array '" + state.names().get(s) + "' is " + array
            + ", unlike the state's " + first);
      }
    }
  }
}
