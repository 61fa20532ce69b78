// A claim that names what the config does not have is a config error, located in the file.
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { tmp, writeConfig } from "../harness/helpers.js";

const base = `seeds: 2
activations: [relu, {name: leaky_relu, alpha: 0.1}]
dataset: {name: moons, n: 50}
train: {epochs: 0}
grid: {model.hidden: [[4], [4, 4]], train.optimizer.lr: [0.1, 0.01]}
claims:
`;

async function load(claims: string) {
  return loadExperiment(writeConfig(tmp(), base + claims));
}

describe("claims in the config", () => {
  it("resolve activation names to labels and keep their defaults", async () => {
    const exp = await load(`  - {kind: order, activations: [relu, leaky_relu], metric: train_loss}
  - {kind: fraction, activation: relu, figure: collapsed, expected: "1 - (1 - 2^-width)^depth + 0 * train_optimizer_lr"}
`);
    expect(exp.claims[0]).toMatchObject({ kind: "order", activations: ["relu", "leaky_relu(alpha=0.1)"], epoch: "last", direction: "ascending" });
    expect(exp.claims[1]).toMatchObject({ kind: "fraction", within: 3 });
    const run = await load(`  - {kind: bounds, activation: relu, within: {test_acc: [0.8, 0.9], best_val_acc: [0.8, 0.9]}}\n`);
    expect(run.claims[0]).toMatchObject({ kind: "bounds", within: { test_acc: [0.8, 0.9] } });
  });
  it("name the line and field of an unknown activation, column, grid key or formula variable", async () => {
    await expect(load(`  - {kind: order, activations: [relu, gelu], metric: train_loss}\n`)).rejects.toThrow(
      /exp\.yaml:7:\d+: claims\[0\]\.activations\[1\]: "gelu" is not one of this config's activations \(relu, leaky_relu\(alpha=0\.1\)\)/,
    );
    await expect(load(`  - {kind: trend, activation: relu, metric: dead_fracs, over: train.optimizer.lr, direction: rising}\n`)).rejects.toThrow(
      /claims\[0\]\.metric: "dead_fracs" is not a curves\.csv or layers\.csv column; did you mean dead_frac/,
    );
    await expect(load(`  - {kind: trend, activation: relu, metric: dead_frac, over: train.lr, direction: rising}\n`)).rejects.toThrow(
      /claims\[0\]\.over: "train\.lr" is neither layer nor a grid key of this config \(model\.hidden, train\.optimizer\.lr\)/,
    );
    await expect(load(`  - {kind: bounds, activation: relu, within: {act_mean: [0, 1]}, where: {model.init: he_normal}}\n`)).rejects.toThrow(
      /claims\[0\]\.where\.model\.init: "model\.init" is not a grid key/,
    );
    await expect(load(`  - {kind: fraction, activation: relu, figure: collapsed, expected: "2^-height"}\n`)).rejects.toThrow(
      /claims\[0\]\.expected: the formula "2\^-height" uses height; expected only width, depth, lr, epochs, train_optimizer_lr/,
    );
    await expect(load(`  - {kind: bounds, activation: relu, within: {test_accuracy: [0.8, 0.9]}}\n`)).rejects.toThrow(
      /claims\[0\]\.within: "test_accuracy" is not a layers\.csv or runs\.csv column; did you mean test_acc/,
    );
    await expect(load(`  - {kind: bounds, activation: relu, within: {train_acc: [0.8, 0.9]}}\n`)).rejects.toThrow(/"train_acc" is not a layers\.csv or runs\.csv column/);
    await expect(load(`  - {kind: bounds, activation: relu, ratio: {of: 2, to: 1}, within: {best_test_acc: [0.8, 0.9]}}\n`)).rejects.toThrow(
      /claims\[0\]\.within\.best_test_acc: "best_test_acc" is a runs\.csv column \(one value per run\): a ratio of layers needs a layers\.csv column/,
    );
    await expect(load(`  - {kind: ordr, activations: [relu]}\n`)).rejects.toThrow(/claims/);
  });
});
