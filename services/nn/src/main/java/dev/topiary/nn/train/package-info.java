/**
 * The training loop every service shares: {@link dev.topiary.nn.train.Trainer} trains a DL4J
 * MultiLayerNetwork or ComputationGraph in place with a {@link dev.topiary.nn.train.TrainingConfig},
 * reporting to a {@link dev.topiary.nn.train.TrainingListener} and calling a
 * {@link dev.topiary.nn.train.StepHook} after every update (the pruner re-applies its masks there).
 *
 * <pre>
 *   TrainingConfig config = TrainingConfig.defaults().withEpochs(3).withLearningRate(5e-4);
 *   TrainingResult result = new Trainer(config).fit(net, DatasetCatalog.resolve("fashion-mnist"),
 *           listener, model -&gt; masks.apply(model));
 * </pre>
 *
 * <p>Inside, one class per job: {@code InstalledUpdater} writes the updater into the network,
 * {@code ValidationSplit} and {@code EpochBatches} pick and serve the rows, a {@code StepEngine}
 * performs the updates ({@code DenseStepEngine} for plain MLPs, {@code Dl4jStepEngine} for the
 * rest), {@code EarlyStopping} and {@code ProgressMeter} watch, {@code TrainingThreads} sets the
 * native thread counts. {@link dev.topiary.nn.train.TrainBenchmark} is {@code topiary bench train}.
 */
package dev.topiary.nn.train;
