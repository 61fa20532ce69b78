import { defineConfig } from "vitest/config";

// CI sets ACTBENCH_VITEST_JSON so that .ci/run can print "N passed, N failed".
const json = process.env.ACTBENCH_VITEST_JSON;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: json ? ["default", "json"] : ["default"],
    outputFile: json ? { json } : undefined,
  },
});
