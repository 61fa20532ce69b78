/** The activation registry's public face: lookup, definition, listing and the micro-benchmark. */
export { activations, activationNames, activationSpecOf, canonicalName, defineActivation, getActivation, isBuiltin } from "./registry.js";
export { erf, erfc } from "./erf.js";
export type { Activation, ActivationDef, ActivationSpec, InitScheme, ParamDef, Params, MixSpec, NetworkActivation, ParamSharing, VectorForms } from "./types.js";
export { activationRows, type ActivationRow } from "./list.js";
export { benchActivations, type ActivationCost } from "./bench.js";
