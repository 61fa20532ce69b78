/** The brain.js engine: the one training loop on the brain.js compute path, and the network it trains. */
import { train } from "../train.js";
import type { Engine } from "../types.js";
import { brainjsCompute } from "./computePath.js";

export { brainjsCompute } from "./computePath.js";
export { RegistryNeuralNetwork, type BrainHead, type RegistryNetworkOptions } from "./network.js";

export const brainjsEngine: Engine = { name: "brainjs", train: (config, data) => train(config, data, brainjsCompute) };
