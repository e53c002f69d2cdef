package org.optikern.djl;

import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a progress bar over each epoch's batches and, at its end, the training loss and accuracy
 * and the held-out ones. Must come after DJL's {@code EvaluatorTrainingListener}, whose epoch
 * results it reads.
 */
final class EpochReport extends TrainingListenerAdapter {
  private static final int BAR_WIDTH = 30;
  private final PrintStream out = System.out;
  private final int epochs;
  private final long batchesPerEpoch;
  private int epoch = 1;
  private long batch;
  private long epochStart = System.nanoTime();

  EpochReport(int epochs, long examples, int batchSize) {
    this.epochs = epochs;
    this.batchesPerEpoch = (examples + batchSize - 1) / batchSize;
  }

  @Override
  public void onTrainingBatch(Trainer trainer, BatchData batchData) {
    batch++;
    int filled = (int) (BAR_WIDTH * batch / batchesPerEpoch);
    out.printf(Locale.ROOT, "\repoch %2d/%d [%s%s] %d/%d batches", epoch, epochs, "=".repeat(filled),
        " ".repeat(Math.max(0, BAR_WIDTH - filled)), batch, batchesPerEpoch);
    out.flush();
  }

  @Override
  public void onEpoch(Trainer trainer) {
    TrainingResult result = trainer.getTrainingResult();
    long millis = (System.nanoTime() - epochStart) / 1_000_000;
    out.printf(Locale.ROOT, "\repoch %2d/%d  train loss %.4f  accuracy %5.1f%%  held-out loss %.4f  accuracy %5.1f%%  "
            + "(%d ms)%s%n", epoch, epochs, result.getTrainLoss(), 100 * result.getTrainEvaluation("Accuracy"),
        result.getValidateLoss(), 100 * result.getValidateEvaluation("Accuracy"), millis, " ".repeat(20));
    epoch++;
    batch = 0;
    epochStart = System.nanoTime();
  }
}
