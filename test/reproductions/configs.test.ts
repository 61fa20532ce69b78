// Every reproduction config loads, opens with its comment block (paper, claim,
// original setup, ours and deviations) and states claims with their source.
import { describe, expect, it } from "vitest";
import { commentBlock, reproductionConfigs } from "../../src/harness/reproduce.js";

describe("experiments/reproductions", () => {
  it("each config has a numbered title, the comment block's parts and sourced claims, in order", async () => {
    const configs = await reproductionConfigs();
    expect(configs.map((c) => /Reproduction (\d+[a-z]?)/.exec(c.title)?.[1])).toEqual(["1", "2", "3", "4a", "4b", "5", "6", "7", "8"]);
    for (const c of configs) {
      const text = c.about.join("\n");
      for (const part of [/^(Paper|Source):/m, /^Claim:/m, /^Original setup:/m, /^Ours:/m, /^Deviations:/m]) expect(text, `${c.file}: ${part}`).toMatch(part);
      expect(c.exp.claims.length, c.file).toBeGreaterThan(0);
      for (const claim of c.exp.claims) {
        expect(claim.says, c.file).toBeTruthy();
        expect(claim.source, c.file).toBeTruthy();
      }
    }
  });
  it("reads the leading comment block: the title line, then the rest without comment marks", () => {
    expect(commentBlock("# Reproduction 9: x.\n#\n# Paper: y\n#   z\nname: a\n# not this\n")).toEqual({ title: "Reproduction 9: x.", about: ["Paper: y", "  z"] });
  });
});
