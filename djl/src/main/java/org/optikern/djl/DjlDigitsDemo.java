package org.optikern.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.optikern.examples.Digits;

/**
 * The DJL main job: an MLP built from DJL blocks (Linear, ReLU, Linear) trained on the project's
 * 1797 handwritten digits through DJL's {@code Trainer} and {@code EasyTrain.fit}, with an Optikern
 * optimizer (Signum by default) on DJL's PyTorch engine (or MXNet). Prints the loss and accuracy of
 * every epoch, with a progress bar over its batches.
 *
 * <p>Options: {@code --optimizer NAME} (any registered Optikern optimizer; signum), {@code --engine
 * PyTorch|MXNet} (PyTorch), {@code --epochs N} (30), {@code --lr X} (the optimizer's own default
 * unless given; 0.01 for signum), {@code --momentum X} (for optimizers that have it), {@code --hidden N}
 * (32), {@code --batch N} (32), {@code --seed N} (1).
 */
public final class DjlDigitsDemo {
  private DjlDigitsDemo() {}

  public static void main(String[] args) throws IOException, TranslateException {
    DemoOptions options = DemoOptions.parse(args);
    Engine engine = Engine.getEngine(options.engine());
    engine.setRandomSeed((int) options.seed());
    Digits digits = Digits.load(options.seed(), 0.2);

    Map<String, Object> params = new LinkedHashMap<>();
    if (options.learningRate() != null) {
      params.put("learning_rate", options.learningRate());
    }
    if (options.momentum() != null) {
      params.put("momentum", options.momentum());
    }
    OptikernOptimizer optimizer = OptikernOptimizer.builder(options.optimizer()).optParameters(params).build();

    try (NDManager manager = engine.newBaseManager();
        Model model = Model.newInstance("digits-mlp", engine.defaultDevice(), engine.getEngineName())) {
      model.setBlock(new SequentialBlock()
          .add(Linear.builder().setUnits(options.hidden()).build())
          .add(Activation::relu)
          .add(Linear.builder().setUnits(Digits.CLASSES).build()));
      ArrayDataset train = dataset(manager, digits.trainX(), digits.trainY(), options.batch(), true);
      ArrayDataset heldOut = dataset(manager, digits.testX(), digits.testY(), options.batch(), false);

      EpochReport report = new EpochReport(options.epochs(), train.size(), options.batch());
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(optimizer)
          .optDevices(new ai.djl.Device[] {engine.defaultDevice()})
          .addEvaluator(new Accuracy())
          .addTrainingListeners(TrainingListener.Defaults.basic())
          .addTrainingListeners(report);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(options.batch(), Digits.PIXELS));
        System.out.printf(Locale.ROOT, "DJL %s on %s (%s), Optikern %s (%s), %d training and %d held-out digits%n",
            engine.getEngineName(), engine.defaultDevice(), engine.getVersion(), optimizer.optikernOptimizer().name(),
            optimizer.optikernOptimizer().hyperparameters(), digits.trainY().length, digits.testY().length);
        EasyTrain.fit(trainer, options.epochs(), train, heldOut);
        System.out.printf(Locale.ROOT, "Held-out accuracy after %d epochs: %.1f%%%n", options.epochs(),
            100 * trainer.getTrainingResult().getValidateEvaluation("Accuracy"));
      }
    }
  }

  private static ArrayDataset dataset(NDManager manager, float[][] images, int[] labels, int batch, boolean shuffle) {
    float[] classes = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      classes[i] = labels[i];
    }
    NDArray x = manager.create(images);
    NDArray y = manager.create(classes);
    return new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(batch, shuffle).build();
  }
}
