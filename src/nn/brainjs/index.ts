export { brainjsEngine, trainBrainjs } from "./engine.js";
export { RegistryNeuralNetwork, type BrainHead, type RegistryNetworkOptions } from "./network.js";
