package org.optikern.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what Optikern logs (System.Logger goes to java.util.logging by default), instead of
 * printing it, until closed.
 */
final class LogCapture implements AutoCloseable {
  private final Logger logger = Logger.getLogger("org.optikern");
  private final List<String> messages = new ArrayList<>();
  private final boolean printing = logger.getUseParentHandlers();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      messages.add(record.getLevel() + " " + record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  LogCapture() {
    logger.addHandler(handler);
    logger.setUseParentHandlers(false);
  }

  List<String> messages() {
    return messages;
  }

  @Override
  public void close() {
    logger.setUseParentHandlers(printing);
    logger.removeHandler(handler);
  }
}
