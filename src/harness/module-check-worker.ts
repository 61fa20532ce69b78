/**
 * The thread a user's activation module is imported and checked in
 * (module-check.ts starts one per module entry of a config): it imports the
 * module, resolves the entry's parameters, checks df (and each dParam)
 * against finite differences, samples the curve for activations.csv, and
 * posts back what the main thread keeps. It says which stage it is in, so
 * that a module which ends or hangs the thread is named with what it was
 * doing.
 */
import { parentPort, workerData } from "node:worker_threads";
import { getActivation } from "../activations/index.js";
import { activationCurve } from "../activations/curve.js";
import { UserError } from "../errors.js";
import { checkDerivative, moduleMeta, registerModuleActivation } from "./custom-activation.js";
import type { CheckReply, CheckRequest } from "./module-check.js";

const { ref, spec } = workerData as CheckRequest;
const post = (m: CheckReply): void => parentPort!.postMessage(m);

post({ stage: "import" });
try {
  const def = await registerModuleActivation(ref);
  post({ stage: "check" });
  const act = getActivation(spec);
  checkDerivative(act, `activation module ${ref.path}`);
  post({ done: { meta: moduleMeta(def), samples: activationCurve(act) } });
} catch (err) {
  post({ error: { message: err instanceof Error ? err.message : String(err), user: err instanceof UserError } });
}
