package org.optikern.djl;

/**
 * The ways DJL hands a step to an optimizer in these tests: PyTorch's local parameter server (views,
 * gradients zeroed by the optimizer), MXNet's KVStore ({@code MxParameterServer}, the default) and
 * MXNet with {@code -Dai.djl.use_local_parameter_server=true}, both copying.
 */
enum EnginePath {
  PYTORCH("PyTorch", false, true),
  MXNET_KVSTORE("MXNet", false, false),
  MXNET_LOCAL_SERVER("MXNet", true, false);

  private static final String LOCAL_SERVER = "ai.djl.use_local_parameter_server";

  final String engineName;
  final boolean localServer;
  final boolean zeroesGradients;

  EnginePath(String engineName, boolean localServer, boolean zeroesGradients) {
    this.engineName = engineName;
    this.localServer = localServer;
    this.zeroesGradients = zeroesGradients;
  }

  /** Runs {@code body} with the parameter-server property set as this path needs (read when a Trainer is made). */
  void run(Runnable body) {
    String previous = System.getProperty(LOCAL_SERVER);
    if (localServer) {
      System.setProperty(LOCAL_SERVER, "true");
    } else {
      System.clearProperty(LOCAL_SERVER);
    }
    try {
      body.run();
    } finally {
      if (previous == null) {
        System.clearProperty(LOCAL_SERVER);
      } else {
        System.setProperty(LOCAL_SERVER, previous);
      }
    }
  }
}
