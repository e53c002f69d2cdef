package org.optikern.djl;

/** The command line of {@link DjlDigitsDemo}. */
record DemoOptions(String optimizer, String engine, int epochs, Double learningRate, Double momentum, int hidden,
    int batch, long seed) {

  static DemoOptions parse(String[] args) {
    String optimizer = "signum";
    String engine = "PyTorch";
    int epochs = 30;
    Double learningRate = null;
    Double momentum = null;
    int hidden = 32;
    int batch = 32;
    long seed = 1;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--optimizer" -> optimizer = value;
        case "--engine" -> engine = engineName(value);
        case "--epochs" -> epochs = Integer.parseInt(value);
        case "--lr" -> learningRate = Double.parseDouble(value);
        case "--momentum" -> momentum = Double.parseDouble(value);
        case "--hidden" -> hidden = Integer.parseInt(value);
        case "--batch" -> batch = Integer.parseInt(value);
        case "--seed" -> seed = Long.parseLong(value);
        default -> throw new IllegalArgumentException("unknown option " + flag + " (options: --optimizer, --engine, "
            + "--epochs, --lr, --momentum, --hidden, --batch, --seed)");
      }
    }
    return new DemoOptions(optimizer, engine, epochs, learningRate, momentum, hidden, batch, seed);
  }

  /** DJL's spelling of an engine name typed in any case. */
  private static String engineName(String value) {
    switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "pytorch":
        return "PyTorch";
      case "mxnet":
        return "MXNet";
      default:
        throw new IllegalArgumentException("engine " + value + ": the demo runs on PyTorch or MXNet");
    }
  }
}
