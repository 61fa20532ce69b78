/**
 * Claims: hypotheses a config states about its sweep (`claims:`), checked
 * after the sweep and shown in the report and at the end of the terminal
 * output. They never change a run or an exit code.
 */
export { claimsSchema, claimSchema, type Claim } from "./schema.js";
export { evaluateClaims, manifestClaims, type ClaimResult, type ClaimVerdict } from "./evaluate.js";
export { claimsHtml, claimsMarkdown, claimsTerminal } from "./render.js";
